"""Datetime functions (spec §9.3): buckets, conversions, query-window functions, parsing and formatting."""

import pytest

from trailtui.insights.functions import SCALAR_FUNCTIONS
from trailtui.insights.values import Duration, QueryContext, Timestamp, render

MAY_1_2022_12_00_40_919 = 1651406440919


def call(name, *arguments):
    return SCALAR_FUNCTIONS[name.lower()].implementation(*arguments)


def test_bin_floors_the_timestamp_and_returns_a_timestamp():
    binned = call("bin", Timestamp(MAY_1_2022_12_00_40_919), Duration(5, "m"))
    assert isinstance(binned, Timestamp)
    assert render(binned) == "2022-05-01 12:00:00.000"


def test_bin_applies_unit_caps():
    assert call("bin", Timestamp(1651406610000), Duration(300, "s")) == call(
        "bin", Timestamp(1651406610000), Duration(60, "s")
    )
    assert render(call("bin", Timestamp(1651406610000), Duration(90, "m"))) == "2022-05-01 12:00:00.000"


def test_datefloor_and_dateceil():
    stamp = Timestamp(MAY_1_2022_12_00_40_919)
    assert render(call("datefloor", stamp, Duration(1, "h"))) == "2022-05-01 12:00:00.000"
    assert render(call("dateceil", stamp, Duration(1, "h"))) == "2022-05-01 13:00:00.000"
    assert render(call("datefloor", stamp, Duration(1, "mo"))) == "2022-05-01 00:00:00.000"
    assert render(call("dateceil", stamp, Duration(1, "y"))) == "2023-01-01 00:00:00.000"


def test_bucket_functions_accept_plain_milliseconds_and_iso_text():
    assert call("datefloor", MAY_1_2022_12_00_40_919, Duration(1, "d")) == 1651363200000
    assert call("datefloor", "2022-05-01T12:00:40Z", Duration(1, "d")) == 1651363200000


def test_bucket_functions_on_missing_or_bad_input_are_missing():
    assert call("bin", None, Duration(1, "m")) is None
    assert call("datefloor", "yesterday", Duration(1, "m")) is None
    assert call("dateceil", Timestamp(0), "1h") is None
    assert call("bin", Timestamp(0), Duration(0, "m")) is None


def test_from_millis_returns_a_timestamp():
    stamp = call("fromMillis", "1651406440919")
    assert isinstance(stamp, Timestamp)
    assert render(stamp) == "2022-05-01 12:00:40.919"
    assert call("fromMillis", "abc") is None


def test_to_millis_of_the_guide_example():
    assert call("toMillis", "2022-01-14T13:18:31.000-08:00") == 1642195111000


def test_to_millis_of_timestamps_and_numbers():
    assert call("toMillis", Timestamp(42)) == 42
    assert type(call("toMillis", Timestamp(42))) is int
    assert call("toMillis", "2022-05-01 12:00:40.919") == MAY_1_2022_12_00_40_919
    assert call("toMillis", "not a date") is None
    assert call("toMillis", None) is None


def test_now_is_epoch_seconds():
    context = QueryContext(start_ms=1_000, end_ms=61_000, now_ms=1651406440919)
    assert call("now", context) == 1651406440


def test_query_window_functions_in_milliseconds():
    context = QueryContext(start_ms=1_000, end_ms=61_000, now_ms=0)
    assert call("queryStartTime", context) == 1_000
    assert call("queryEndTime", context) == 61_000
    assert call("queryTimeRange", context) == 60_000


def test_query_window_functions_without_a_window_are_missing():
    context = QueryContext(start_ms=None, end_ms=None, now_ms=0)
    assert call("queryStartTime", context) is None
    assert call("queryTimeRange", context) is None


@pytest.mark.parametrize("name", ["now", "queryStartTime", "queryEndTime", "queryTimeRange"])
def test_context_functions_are_flagged(name):
    assert SCALAR_FUNCTIONS[name.lower()].needs_context


def test_parse_date_with_a_java_pattern():
    assert call("parseDate", "2022-01-14 13:18:31.000 -0800", "yyyy-MM-dd HH:mm:ss.SSS Z") == 1642195111000
    assert call("parseDate", "14/Jan/2022:21:18:31", "dd/MMM/yyyy:HH:mm:ss") == 1642195111000


def test_parse_date_reads_dates_without_offset_in_the_given_zone():
    assert call("parseDate", "2022-01-14 13:18:31", "yyyy-MM-dd HH:mm:ss", "-08:00") == 1642195111000
    assert call("parseDate", "2022-01-14 13:18:31", "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles") == (
        1642195111000
    )


def test_parse_date_with_quoted_literals():
    assert call("parseDate", "2022-01-14T21:18:31Z", "yyyy-MM-dd'T'HH:mm:ssX") == 1642195111000


def test_parse_date_of_bad_input_is_missing():
    assert call("parseDate", "garbage", "yyyy-MM-dd") is None
    assert call("parseDate", "2022-01-14", "qqqq") is None
    assert call("parseDate", "2022-01-14", "yyyy-MM-dd", "Nowhere/Special") is None


def test_format_date_with_strftime_directives():
    stamp = Timestamp(1642195111000)
    assert call("formatDate", stamp, "%Y-%m-%d %H:%M:%S") == "2022-01-14 21:18:31"
    assert call("formatDate", stamp, "%H:%M", "America/Los_Angeles") == "13:18"
    assert call("formatDate", stamp, "%H:%M", "+05:30") == "02:48"
    assert call("strftime", stamp, "%Y") == "2022"


def test_format_date_of_bad_input_is_missing():
    assert call("formatDate", "soon", "%Y") is None
    assert call("formatDate", Timestamp(0), "%Y", "Not/AZone") is None
