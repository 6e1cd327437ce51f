"""parse → print → parse gives the same tree, for every valid pattern used in these tests."""

from __future__ import annotations

import pytest

from trailtui.metrics.patterns import FilterPattern, parse_pattern, print_pattern

from . import test_cis_patterns, test_pattern_json, test_pattern_space_delimited, test_pattern_terms

EVERY_PATTERN = sorted(
    set(test_cis_patterns.CIS_PATTERNS.values())
    | {pattern for pattern, _ in test_pattern_json.DOCUMENTED_RESULTS}
    | {pattern for pattern, _ in test_pattern_json.BEHAVIOURS}
    | {pattern for pattern, _, _ in test_pattern_terms.TERM_CASES}
    | {pattern for pattern, _, _ in test_pattern_terms.REGEX_CASES}
    | {pattern for pattern, _, _ in test_pattern_space_delimited.CASES}
    | {"[]", "[..., size]", "[..., request=*.html*, status_code=4*,]", "[w1,]", "[,]", "[first, ..., last]"}
)


@pytest.mark.parametrize("pattern", EVERY_PATTERN)
def test_round_trip(pattern: str) -> None:
    tree = parse_pattern(pattern)
    printed = print_pattern(tree)
    assert parse_pattern(printed) == tree
    assert print_pattern(parse_pattern(printed)) == printed


@pytest.mark.parametrize(
    ("pattern", "canonical"),
    [
        (
            '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
            '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
        ),
        ("{$.a.b[0][*].['c.d']=x}", "{ $.a.b[0][*].['c.d'] = x }"),
        ("{ $.a is null && $.b not exists }", "{ $.a IS NULL && $.b NOT EXISTS }"),
        ("{ $.a=%^x\\d% }", "{ $.a = %^x\\d% }"),
        ('  ?ERROR   -"a \\"b\\""  ', '?ERROR -"a \\"b\\""'),
        ("[a=1||a=2&&a!=3,...,b>1e3,]", "[a = 1 || a = 2 && a != 3, ..., b > 1e3, ]"),
        ("   ", ""),
    ],
)
def test_canonical_print(pattern: str, canonical: str) -> None:
    assert print_pattern(parse_pattern(pattern)) == canonical
    assert FilterPattern.parse(pattern).text == canonical
