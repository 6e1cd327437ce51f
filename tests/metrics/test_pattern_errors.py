"""Malformed patterns raise PatternError with one line naming the column; nothing else ever escapes."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.metrics.patterns import PatternError, parse_pattern, print_pattern

# (pattern, 1-based column, start of the reason)
ERRORS = [
    ('{($.eventName = "ConsoleLogin"}', 31, "expected ')'"),
    ("{ $.a = }", 9, "expected a value after '='"),
    ("{ $.a = 1", 10, "expected '}'"),
    ("{ $.a = 1 } x", 13, "unexpected text after '}'"),
    ("{}", 2, "expected a selector"),
    ("{ a = 1 }", 3, "expected a selector"),
    ("{ $.a = 1 && }", 14, "expected a selector"),
    ("{ $ = 1 }", 3, "a selector needs at least one step"),
    ("{ $.a. = 1 }", 6, "expected .name"),
    ("{ $.a.b[x] = 1 }", 8, "expected .name"),
    ("{ $.['a = 1 }", 6, "unterminated key"),
    ('{ $.a = "x }', 9, "unterminated string"),
    ("{ $.a =! 1 }", 8, "unexpected character '!'"),
    ("{ $.a IS NOT NULL }", 10, "IS NOT is not supported"),
    ("{ $.a EXISTS }", 7, "EXISTS is not supported"),
    ("{ $.a IS MAYBE }", 10, "expected NULL, TRUE or FALSE"),
    ("{ $.a NOT THERE }", 11, "expected EXISTS after NOT"),
    ("{ $.a }", 7, "expected an operator"),
    ('{ $.a < "x" }', 9, "'<' compares numbers"),
    ("{ $.a >= abc }", 10, "'>=' compares numbers"),
    ("{ $.a > %1% }", 9, "'>' compares numbers"),
    ("{ $.a = %x% || $.b = %y% || $.c = %z% }", 35, "a pattern can use at most 2 regular expressions"),
    ("{ $.a[*].b[*] = 1 }", 3, "a selector can use at most one wildcard"),
    ("{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 || $.d[*] = 1 }", 44, "a pattern can use at most 3"),
    ("{" + "(" * 33 + "$.a = 1" + ")" * 33 + "}", 34, "parentheses nest more than 32 deep"),
    ("%a(b)%", 3, "regular expressions have no groups"),
    ("%something!%", 11, "'!' is not allowed in a regular expression"),
    ("%é%", 2, "regular expressions cannot contain multi-byte characters"),
    ("%a\\n%", 3, "unknown escape"),
    ("%a\\1%", 3, "unknown escape"),
    ("%a\\%", 3, "a regular expression cannot end with"),
    ("%a\\x4%", 3, "expected two hex digits"),
    ("%a**%", 1, "invalid regular expression"),
    ("%a", 1, "unterminated regular expression"),
    ("%a% b", 4, "a regular expression must be the whole pattern"),
    ("a=b", 2, "'=' in a term"),
    ("ERROR?", 6, "'?' in a term"),
    ("ERROR*", 6, "'*' in a term"),
    ('ab"c"', 3, "'\"' in a term"),
    ('"a"b', 4, "expected a space between terms"),
    ("-", 2, "expected a term after '-'"),
    ("a ?", 4, "expected a term after '?'"),
    ("--a", 2, "'-' in a term"),
    ('"abc', 1, "unterminated string"),
    ("[a", 3, "expected ',' or ']'"),
    ("[a,b]]", 6, "unexpected text after ']'"),
    ("[1a]", 2, "expected a field name"),
    ("[a = ]", 6, "expected a value after '='"),
    ("[a, a]", 5, "field 'a' is named twice"),
    ("[..., ...]", 7, "a pattern can use '...' only once"),
    ("[a = 1 || b = 2]", 11, "a condition in this slot must name the field 'a'"),
    ("[a = 1 || a]", 12, "expected an operator"),
    ("[a = (1)]", 6, "expected a value"),
    ("  { $.a = }", 11, "expected a value"),
    ("x" * 1025, 1025, "a pattern is at most 1,024 characters"),
]


@pytest.mark.parametrize(("pattern", "column", "reason"), ERRORS)
def test_error_names_the_column(pattern: str, column: int, reason: str) -> None:
    with pytest.raises(PatternError) as raised:
        parse_pattern(pattern)
    assert str(raised.value).startswith(f"column {column}: {reason}")
    assert raised.value.position == column - 1
    assert "\n" not in str(raised.value)


def test_error_message_quotes_control_characters_instead_of_printing_them() -> None:
    with pytest.raises(PatternError) as raised:
        parse_pattern("{ $.a = 1 \x1b }")
    assert "\x1b" not in str(raised.value)


def test_a_pattern_of_exactly_the_limit_parses() -> None:
    assert parse_pattern("x" * 1024)


SYMBOLS = "{}[]()$.*=!<>&|%\"'?-, \\^+_:/#@;\t\n"
WORDS = [
    "a",
    "b",
    "Z",
    "0",
    "9",
    "e",
    "IS",
    "NOT",
    "NULL",
    "EXISTS",
    "TRUE",
    "...",
    "$.a",
    "[*]",
    "\\x2",
    "&&",
    "||",
]
PATTERN_ALPHABET = st.sampled_from([*SYMBOLS, *WORDS])
patternish_text = st.lists(PATTERN_ALPHABET, max_size=40).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(max_size=80), patternish_text))
def test_parser_raises_only_pattern_error(text: str) -> None:
    with contextlib.suppress(PatternError):
        parse_pattern(text)


@settings(max_examples=1500, deadline=None)
@given(patternish_text)
def test_whatever_parses_prints_back_to_the_same_tree(text: str) -> None:
    try:
        tree = parse_pattern(text)
    except PatternError:
        return
    assert parse_pattern(print_pattern(tree)) == tree
