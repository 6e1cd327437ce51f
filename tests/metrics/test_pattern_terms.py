"""Term patterns, standalone regexes and the empty pattern (spec §2, §3, §9.1–9.3)."""

from __future__ import annotations

import pytest

from trailtui.metrics import testing
from trailtui.metrics.patterns import FilterPattern, PatternKind, parse_pattern
from trailtui.metrics.patterns.syntax import EmptyPattern, Term, TermKind, TermPattern

from .helpers import make_event, text_matches

# (pattern, message, matches)
TERM_CASES = [
    ("ERROR", "Exiting with ERRORCODE: -1", True),
    ("ERROR Exception", "[ERROR] Caught IllegalArgumentException", True),
    ("ERROR", "error: lower case", False),
    ('"INTERNAL SERVER ERROR"', "500 INTERNAL SERVER ERROR returned", True),
    ('"INTERNAL SERVER ERROR"', "INTERNAL ERROR SERVER", False),
    ('"[ERROR]"', "[ERROR] boom", True),
    ('"[ERROR]"', "ERROR boom", False),
    ("Exception ERROR", "ERROR then Exception", True),
    ("ERROR Exception", "ERROR only", False),
    ("?ERROR ?ARGUMENTS", "bad ARGUMENTS", True),
    ("?ERROR ?ARGUMENTS", "ERROR", True),
    ("?ERROR ?ARGUMENTS", "all fine", False),
    ("?ERROR ?ARGUMENTS REQUEST", "REQUEST without the others", True),
    ("?ERROR ?ARGUMENTS REQUEST", "ERROR ARGUMENTS", False),
    ("ERROR -ARGUMENTS", "ERROR in REQUEST", True),
    ("ERROR -ARGUMENTS", "ERROR in ARGUMENTS", False),
    ('ERROR -"bad request"', "ERROR: bad request", False),
    ('ERROR -"bad request"', "ERROR: bad-request", True),
    ("?ERROR -DEBUG", "ERROR", True),
    ("?ERROR -DEBUG", "nothing at all", True),
    ("-DEBUG", "DEBUG here", False),
    ('?"a b" ?c', "xa by", True),
    ('" "', "nospace", True),
    ('" "', "", True),
    ('ERROR " "', "ERROR", False),
    ('ERROR " "', "ERROR here", True),
    ('"say \\"hi\\""', 'they say "hi"', True),
    ("kms.amazonaws.com", '{"eventSource":"kms.amazonaws.com"}', True),
    ("ERROR-CODE", "ERROR-CODE 5", True),
    ("", "anything", True),
    ("   ", "anything", True),
]

REGEX_CASES = [
    ("%AUTHORIZED%", "UNAUTHORIZED access", True),
    ("%^AUTHORIZED%", "UNAUTHORIZED access", False),
    ("%access$%", "UNAUTHORIZED access", True),
    ("%^starting|^initializing|^shutting down%", "shutting down now", True),
    ("%^starting|^initializing|^shutting down%", "now shutting down", False),
    ("%10\\.10\\.0\\.1%", "from 10.10.0.1", True),
    ("%10\\.10\\.0\\.1%", "from 10x10x0x1", False),
    ("%\\x3A%", "a:b", True),
    ("%\\x28%", "f(x)", True),
    ("%^\\d{3}$%", "404", True),
    ("%^\\d{3}$%", "4040", False),
    ("%^a{,2}b%", "aab", True),
    ("%^a{2,}b%", "ab", False),
    ("%[^a-z]+%", "abc", False),
    ("%[]x]%", "a]b", True),
    ("%\\w+@\\w+%", "user@host", True),
    ("%a\\sb%", "a\tb", True),
    ("%a\\sb%", "a\rb", False),
    ("%a\\Sb%", "a-b", True),
    ("%[\\s]x%", "a x", True),
    ("%colou?r%", "color", True),
    ("%#=@/;,-_:%", "#=@/;,-_:", True),
]


@pytest.mark.parametrize(("pattern", "message", "expected"), TERM_CASES)
def test_terms(pattern: str, message: str, expected: bool) -> None:
    assert text_matches(pattern, message) is expected


@pytest.mark.parametrize(("pattern", "message", "expected"), REGEX_CASES)
def test_standalone_regex(pattern: str, message: str, expected: bool) -> None:
    assert FilterPattern.parse(pattern).kind is PatternKind.REGEX
    assert text_matches(pattern, message) is expected


def test_terms_parse_with_kinds_and_quoting() -> None:
    assert parse_pattern('?ERROR -"a b" x') == TermPattern(
        (
            Term("ERROR", quoted=False, kind=TermKind.OPTIONAL),
            Term("a b", quoted=True, kind=TermKind.EXCLUDED),
            Term("x", quoted=False, kind=TermKind.REQUIRED),
        )
    )


def test_empty_pattern_kind() -> None:
    assert parse_pattern(" \t ") == EmptyPattern()
    assert FilterPattern.parse("").kind is PatternKind.EMPTY


@pytest.mark.parametrize("pattern", ["", '" "'])
def test_match_all_patterns_never_build_the_message(pattern: str) -> None:
    unserialisable = make_event({"trap": {1, 2}})
    assert FilterPattern.parse(pattern).matches(unserialisable)


def test_terms_read_the_compact_json_message() -> None:
    event = make_event({"eventName": "ConsoleLogin", "errorMessage": "Failed authentication"})
    assert FilterPattern.parse('"Failed authentication" ConsoleLogin').matches(event)
    assert FilterPattern.parse('"\\"eventName\\":\\"ConsoleLogin\\""').matches(event)
    assert not FilterPattern.parse('"\\"eventName\\": "').matches(event)


def test_documented_test_metric_filter_example() -> None:
    messages = [
        "[INFO] Starting",
        "[WARN] Slow",
        "[ERROR] no Exception here",
        "[INFO] Exception swallowed",
        "[ERROR] Caught IllegalArgumentException",
    ]
    response = testing.test_metric_filter('"[ERROR]" Exception', messages)
    assert response == {
        "matches": [
            {"eventNumber": 2, "eventMessage": messages[2], "extractedValues": {}},
            {"eventNumber": 4, "eventMessage": messages[4], "extractedValues": {}},
        ]
    }
