"""Space-delimited patterns (spec §5, §9.10): splitting, slots, conditions and extracted values."""

from __future__ import annotations

import pytest

from trailtui.metrics import testing
from trailtui.metrics.patterns import FilterPattern
from trailtui.metrics.patterns.space_delimited import split_fields

from .helpers import make_event

APACHE = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534'
NOT_FOUND = '10.0.0.2 - - [10/Oct/2000:13:26:00 -0700] "GET /index.html HTTP/1.1" 404 20'
GONE = '10.0.0.3 - bob [10/Oct/2000:13:27:00 -0700] "GET /old.html HTTP/1.1" 410 7'


def extracted(pattern: str, message: str) -> dict[str, str] | None:
    return FilterPattern.parse(pattern).extracted_values(message)


def test_splitting_keeps_bracketed_and_quoted_fields_whole() -> None:
    assert [value for value, _ in split_fields(APACHE)] == [
        "127.0.0.1",
        "-",
        "frank",
        "10/Oct/2000:13:25:15 -0700",
        "GET /apache_pb.gif HTTP/1.0",
        "200",
        "1534",
    ]


def test_runs_of_spaces_count_as_one_separator() -> None:
    assert [value for value, _ in split_fields("  a   b ")] == ["a", "b"]


def test_documented_extraction_of_every_named_field() -> None:
    assert extracted("[ip, identity, user_id, timestamp, request, status_code, size]", APACHE) == {
        "$ip": "127.0.0.1",
        "$identity": "-",
        "$user_id": "frank",
        "$timestamp": "10/Oct/2000:13:25:15 -0700",
        "$request": "GET /apache_pb.gif HTTP/1.0",
        "$status_code": "200",
        "$size": "1534",
    }


def test_leading_ellipsis_numbers_the_fields_it_covers() -> None:
    values = extracted("[..., size]", APACHE)
    assert values is not None
    assert list(values) == ["$1", "$2", "$3", "$4", "$5", "$6", "$size"]
    assert values["$size"] == "1534"


def test_trailing_empty_slot_is_positional() -> None:
    values = extracted("[..., request=*.html*, status_code=4*,]", NOT_FOUND)
    assert values is not None
    assert list(values) == ["$1", "$2", "$3", "$4", "$request", "$status_code", "$7"]
    assert values["$7"] == "20"


def test_empty_brackets_match_everything_and_extract_every_field() -> None:
    assert extracted("[]", "a b") == {"$1": "a", "$2": "b"}
    assert extracted("[]", "") == {}


# (pattern, message, matches)
CASES = [
    ("[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", NOT_FOUND, True),
    ("[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", APACHE, False),
    ("[..., request =*.html*, status_code = 4*, bytes]", NOT_FOUND, True),
    (
        "[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]",
        GONE,
        True,
    ),
    (
        "[ip, user, username, timestamp, request, status_code = 404 || status_code = 410, bytes]",
        APACHE,
        False,
    ),
    ("[ip, server, username, timestamp, request, status_code, bytes > 1000]", APACHE, True),
    ("[ip, server, username, timestamp, request, status_code, bytes > 1000]", NOT_FOUND, False),
    ("[w1=ERROR || w1=WARNING, w2]", "WARNING disk", True),
    ("[w1=ERROR || w1=WARNING, w2]", "INFO disk", False),
    ("[w1!=ERROR && w1!=WARNING, w2]", "INFO disk", True),
    ("[w1!=ERROR && w1!=WARNING, w2]", "ERROR disk", False),
    ("[w1=ERROR || w1=%WARN%, w2]", "XWARNX disk", True),
    ("[w1=ERROR || w1=WARN && w1=WARN, w2]", "WARN disk", True),
    (
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        "INFO 2024-01-01 10:00 GET /service/resource/42 12",
        True,
    ),
    (
        "[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]",
        "INFO 2024-01-01 10:00 GET /service/resource/x 12",
        False,
    ),
    ('[level = "ERROR", rest]', "ERROR now", True),
    ("[a, b]", "only", False),
    ("[a, b = 2]", "1 2 3", False),
    ("[a = 1, ..., z = 9]", "1 9", True),
    ("[a = 1, ..., z = 9]", "1 2 3 9", True),
    ("[a = 1, ..., z = 9]", "1", False),
    ("[a, ..., y, z]", "1 2", False),
    ("[a, ..., y, z]", "1 2 3", True),
    ("[n > 1e2]", "150", True),
    ("[n > 1e2]", "abc", False),
]


@pytest.mark.parametrize(("pattern", "message", "expected"), CASES)
def test_conditions(pattern: str, message: str, expected: bool) -> None:
    assert FilterPattern.parse(pattern).matches_message(message) is expected


def test_last_unconstrained_field_absorbs_the_rest_of_the_line() -> None:
    assert extracted("[w1=ERROR, w2]", "ERROR disk  is   full ") == {"$w1": "ERROR", "$w2": "disk  is   full"}


def test_last_empty_slot_absorbs_the_rest_of_the_line() -> None:
    assert extracted("[w1,]", "a b c") == {"$w1": "a", "$2": "b c"}


def test_middle_ellipsis_splits_the_fields_around_it() -> None:
    assert extracted("[first, ..., last]", "a b c d") == {"$first": "a", "$2": "b", "$3": "c", "$last": "d"}


def test_space_delimited_reads_the_event_message() -> None:
    pattern = FilterPattern.parse("[first, ...]")
    assert pattern.fields(make_event({}, message="x y")) == {"$first": "x", "$2": "y"}


def test_test_metric_filter_returns_the_extracted_values() -> None:
    response = testing.test_metric_filter(
        "[ip, identity, user_id, timestamp, request, status_code, size]", [APACHE]
    )
    assert response["matches"][0]["eventNumber"] == 0
    assert response["matches"][0]["extractedValues"]["$size"] == "1534"
