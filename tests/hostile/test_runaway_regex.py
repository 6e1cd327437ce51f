"""Runaway regular expressions: patterns that make a backtracking engine take exponential or polynomial
time finish at once on hostile text, in queries, parse globs and filter patterns; patterns a linear-time
engine cannot take are refused with a clear error; both engines answer the same."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.bounded_regex import BACKTRACKING_TEXT_LIMIT, BoundedRegex, is_tame
from trailtui.insights.values import compile_regex
from trailtui.metrics.patterns.regex import compile_regex as compile_pattern_regex
from trailtui.metrics.patterns.tokens import PatternError

CATASTROPHIC = [r"(a+)+$", r"(a|aa)+$", r"(a*)*b", r".*.*.*.*.*x", r"\w+\d+\w+\d+x", r"(\w+\s?)+$"]
HOSTILE_TEXT = "a" * 200_000 + "!"


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_query_regex_finishes_on_a_long_hostile_text(pattern: str) -> None:
    assert compile_regex(pattern).search(HOSTILE_TEXT) is None


@pytest.mark.parametrize("pattern", [r".*.*.*.*.*x", r"a*a*a*a*a*a*x", r"[a-z]+[a-z]+[a-z]+[0-9]"])
def test_a_catastrophic_filter_pattern_regex_finishes_on_a_long_hostile_text(pattern: str) -> None:
    assert compile_pattern_regex(pattern, 0).search(HOSTILE_TEXT) is None


def test_a_filter_pattern_regex_cannot_nest_quantifiers_it_has_no_groups() -> None:
    with pytest.raises(PatternError, match="no groups"):
        compile_pattern_regex("(a+)+$", 0)


@pytest.mark.parametrize("pattern", [r"a*+", r"(?>a+)b"])
def test_a_pattern_the_linear_engine_cannot_take_is_refused_when_compiled(pattern: str) -> None:
    with pytest.raises(ValueError, match="linear-time"):
        compile_regex(pattern)


@pytest.mark.parametrize(
    ("pattern", "tame"),
    [
        ("aws-cli", True),
        (r"(?P<v>\d+)\.(\d+)", True),
        (r".*x", True),
        ("(a+)+", False),
        ("(GET|PUT)+", False),
        ("a?a?a?aaa", False),
        (r"\d+\.\d+\.\d+", False),
    ],
)
def test_only_tame_patterns_on_short_texts_use_the_backtracking_engine(pattern: str, tame: bool) -> None:
    assert is_tame(re.compile(pattern)) is tame


PIECES = st.sampled_from(["a", "b", "ab", ".", r"\d", r"\w", "[ab]", "[^a]", "1", "(a|b)", "(a)", "^", "$"])
QUANTIFIERS = st.sampled_from(["", "", "*", "+", "?", "{1,3}", "*?", "+?"])
PATTERNS = st.lists(st.tuples(PIECES, QUANTIFIERS), min_size=1, max_size=6).map(
    lambda parts: "".join(piece + (quantifier if piece not in "^$" else "") for piece, quantifier in parts)
)
TEXTS = st.text(alphabet="ab1 \u00e9\u0661", max_size=40)


@settings(max_examples=200, deadline=None)
@given(PATTERNS, TEXTS, st.booleans())
def test_both_engines_find_the_same_match(pattern: str, text: str, long: bool) -> None:
    """The answer never depends on which engine gave it (a long text goes to RE2; only a tame pattern is
    matched by `re` on a long text here, as that reference is what would run away)."""
    regex = BoundedRegex(pattern)
    padded = text + " " * (BACKTRACKING_TEXT_LIMIT + 1) if long and is_tame(re.compile(pattern)) else text
    backtracking = re.compile(pattern, re.ASCII).search(padded)
    found = regex.search(padded)
    assert (found is None) == (backtracking is None)
    if found is not None and backtracking is not None:
        assert found.span() == backtracking.span()
        assert found.groups() == backtracking.groups()


def test_a_catastrophic_query_over_a_hostile_trail_completes_from_the_cli(tmp_path: Path) -> None:
    trail = tmp_path / "long.ndjson"
    records = [
        {"eventName": f"E{n}", "eventTime": "2024-03-01T10:00:00Z", "userAgent": "a" * 50_000 + "b"}
        for n in range(20)
    ]
    trail.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    query = (
        'filter userAgent like /(a+)+$/ or @message like /.*.*.*.*x/ or eventName = "E3"'
        ' | parse @message "*a*a*a*q" as one, two, three, four | stats count(*)'
    )
    completed = subprocess.run(
        [sys.executable, "-m", "trailtui", "query", query, str(trail), "--format", "ndjson"],
        capture_output=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert orjson.loads(completed.stdout) == {"count(*)": "1"}
