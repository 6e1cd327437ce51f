"""Value semantics: durations and buckets, coercion, comparison, natural sort, rendering, regexes."""

import pickle
import random

import pytest

from trailtui.insights.values import (
    Duration,
    QueryContext,
    Timestamp,
    ceil_timestamp,
    compare,
    compile_regex,
    duration_ms,
    equals,
    floor_timestamp,
    natural_sort_key,
    render,
    to_number,
    truthy,
)

MAY_1_2022_12_00_40_919 = 1651406440919  # a Sunday


def ms(text: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(text + "+00:00").timestamp() * 1000)


# --- durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "expected_ms"),
    [
        (1, "ms", 1),
        (5, "s", 5_000),
        (5, "m", 300_000),
        (1, "h", 3_600_000),
        (2, "d", 172_800_000),
        (1, "w", 604_800_000),
    ],
)
def test_duration_ms_of_each_fixed_unit(amount, unit, expected_ms):
    assert duration_ms(Duration(amount, unit)) == expected_ms


@pytest.mark.parametrize(
    ("written", "behaves_as"),
    [
        (Duration(300, "s"), Duration(60, "s")),  # the guide's example: bin(300s) is bin(60s)
        (Duration(90, "m"), Duration(60, "m")),
        (Duration(5000, "ms"), Duration(1000, "ms")),
        (Duration(48, "h"), Duration(24, "h")),
    ],
)
def test_unit_caps_limit_the_amount_to_the_natural_size_of_the_unit(written, behaves_as):
    assert duration_ms(written) == duration_ms(behaves_as)


def test_days_are_not_capped():
    assert duration_ms(Duration(45, "d")) == 45 * 86_400_000


@pytest.mark.parametrize("unit", ["mo", "q", "y"])
def test_calendar_units_have_no_fixed_length(unit):
    with pytest.raises(ValueError, match="calendar"):
        duration_ms(Duration(1, unit))


def test_non_positive_durations_are_rejected():
    with pytest.raises(ValueError, match="positive"):
        duration_ms(Duration(0, "m"))


# --- time buckets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "floor", "ceil"),
    [
        (Duration(5, "m"), "2022-05-01T12:00:00", "2022-05-01T12:05:00"),
        (Duration(1, "h"), "2022-05-01T12:00:00", "2022-05-01T13:00:00"),
        (Duration(1, "d"), "2022-05-01T00:00:00", "2022-05-02T00:00:00"),
        (Duration(1, "w"), "2022-04-25T00:00:00", "2022-05-02T00:00:00"),  # ISO week starts Monday
        (Duration(1, "mo"), "2022-05-01T00:00:00", "2022-06-01T00:00:00"),
        (Duration(1, "q"), "2022-04-01T00:00:00", "2022-07-01T00:00:00"),
        (Duration(1, "y"), "2022-01-01T00:00:00", "2023-01-01T00:00:00"),
    ],
)
def test_floor_and_ceil_align_on_utc_epoch_or_calendar(period, floor, ceil):
    assert floor_timestamp(MAY_1_2022_12_00_40_919, period) == ms(floor)
    assert ceil_timestamp(MAY_1_2022_12_00_40_919, period) == ms(ceil)


def test_ceil_of_a_boundary_is_the_boundary_itself():
    top_of_hour = ms("2022-05-01T12:00:00")
    assert ceil_timestamp(top_of_hour, Duration(1, "h")) == top_of_hour


def test_capped_bucket_300s_floors_to_the_minute():
    assert floor_timestamp(MAY_1_2022_12_00_40_919, Duration(300, "s")) == ms("2022-05-01T12:00:00")
    assert floor_timestamp(ms("2022-05-01T12:03:30"), Duration(300, "s")) == ms("2022-05-01T12:03:00")


def test_multi_month_buckets_count_from_january():
    assert floor_timestamp(MAY_1_2022_12_00_40_919, Duration(2, "mo")) == ms("2022-05-01T00:00:00")
    assert floor_timestamp(ms("2022-06-15T00:00:00"), Duration(6, "mo")) == ms("2022-01-01T00:00:00")


def test_buckets_before_the_epoch_floor_downwards():
    assert floor_timestamp(-1, Duration(1, "s")) == -1000
    assert floor_timestamp(-1, Duration(1, "mo")) == ms("1969-12-01T00:00:00")


# --- timestamps and context -----------------------------------------------------------------------


def test_timestamp_is_an_int_rendered_as_utc_date_text():
    stamp = Timestamp(MAY_1_2022_12_00_40_919)
    assert stamp + 81 == MAY_1_2022_12_00_40_919 + 81
    assert render(stamp) == "2022-05-01 12:00:40.919"
    assert str(stamp) == "2022-05-01 12:00:40.919"


def test_timestamp_pickles_as_a_timestamp():
    assert isinstance(pickle.loads(pickle.dumps(Timestamp(5))), Timestamp)


def test_query_context_is_frozen():
    context = QueryContext(start_ms=1, end_ms=2, now_ms=3)
    with pytest.raises(AttributeError):
        context.now_ms = 4  # type: ignore[misc]


# --- coercion -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("42", 42),
        (" -7 ", -7),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        (".5", 0.5),
        (3, 3),
        (1.5, 1.5),
        (True, 1),
        (False, 0),
        (Timestamp(9), 9),
    ],
)
def test_to_number_parses_numbers_and_numeric_text(value, number):
    assert to_number(value) == number


@pytest.mark.parametrize("value", [None, "", "abc", "12abc", "nan", "inf", "0x1f", {"a": 1}, [1]])
def test_to_number_is_none_for_everything_else(value):
    assert to_number(value) is None


def test_to_number_keeps_integers_as_ints():
    assert isinstance(to_number("300"), int)


def test_to_number_survives_integers_beyond_the_parsing_limit():
    assert to_number("9" * 5000) == float("inf")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), (True, True), (False, False), (1, True), (0, False), ("1", True), ("0", False),
     ("true", True), ("TRUE", True), ("false", False), ("yes", False), ({"a": 1}, False)],
)  # fmt: skip
def test_truthy(value, expected):
    assert truthy(value) is expected


# --- comparison -----------------------------------------------------------------------------------


def test_numeric_looking_values_compare_numerically():
    assert compare("10", 9) == 1
    assert compare("300", 300) == 0
    assert equals("300", 300)


def test_other_values_compare_by_code_point():
    assert compare("B", "a") == -1
    assert compare("10", "9a") == -1


def test_missing_never_compares():
    assert compare(None, "x") is None
    assert compare("x", None) is None
    assert not equals(None, None)


def test_maps_and_lists_never_compare():
    assert compare({"a": 1}, {"a": 1}) is None
    assert not equals([1], [1])


def test_booleans_equal_true_false_words_and_one_zero():
    assert equals(True, "true")
    assert equals(False, "false")
    assert equals("TRUE", True)
    assert equals(True, 1)
    assert equals(False, "0")
    assert not equals(True, "false")


def test_wildcards_are_literal_in_equality():
    assert not equals("AWS_KMS", "AWS_*")


# --- natural sort ---------------------------------------------------------------------------------

DOCUMENTED_ASCENDING = ["!:", "#", "*%04", "0#", "5A", "111A", "2345_", "@", "@_", "A", "A9876fghj",
                        "a12345hfh", "0", "01", "1", "2", "3"]  # fmt: skip


def test_natural_sort_reproduces_the_documented_example():
    shuffled = DOCUMENTED_ASCENDING[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=natural_sort_key) == DOCUMENTED_ASCENDING


def test_natural_sort_puts_non_numbers_before_numbers():
    assert sorted(["10", "b", "9", "a"], key=natural_sort_key) == ["a", "b", "9", "10"]


def test_natural_sort_treats_signed_and_decimal_values_as_numbers():
    assert sorted(["2.5", "-1", "x", 10], key=natural_sort_key) == ["x", "-1", "2.5", 10]


def test_natural_sort_compares_digit_runs_by_length_then_value():
    assert sorted(["a10", "a9", "a09"], key=natural_sort_key) == ["a9", "a09", "a10"]


def test_natural_sort_puts_missing_last():
    assert sorted([None, "a", "1"], key=natural_sort_key) == ["a", "1", None]


def test_natural_sort_key_orders_mixed_python_types():
    assert sorted([3, "b", True, 2.5], key=natural_sort_key) == ["b", True, 2.5, 3]


# --- rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "1"),
        (False, "0"),
        (123, "123"),
        (2.0, "2"),
        (2.5, "2.5"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-0.0, "0"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        ("text", "text"),
        ({"a": [1, True, None]}, '{"a":[1,true,null]}'),
        (["x", 2**70], '["x",1180591620717411303424]'),
    ],
)
def test_render(value, text):
    assert render(value) == text


def test_render_missing_is_none():
    assert render(None) is None


# --- regular expressions --------------------------------------------------------------------------


def test_named_groups_use_the_angle_bracket_syntax():
    match = compile_regex(r"(?<user>\w+)@").search("alice@x")
    assert match is not None
    assert match.group("user") == "alice"


def test_case_insensitive_flag_is_supported():
    assert compile_regex("(?i)exception").search("NullPointerException")


def test_regexes_are_cached():
    assert compile_regex("a+b") is compile_regex("a+b")


@pytest.mark.parametrize("pattern", [r"(a)\1", "a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "(?P<x>a)(?P=x)"])
def test_backreferences_and_lookarounds_are_rejected(pattern):
    with pytest.raises(ValueError, match="not supported"):
        compile_regex(pattern)


def test_escaped_backslash_before_a_digit_is_not_a_backreference():
    assert compile_regex(r"a\\1").search("a\\1")


def test_brackets_and_escaped_parentheses_are_not_groups():
    assert compile_regex(r"[(?=]\(?<x").search("=(<x")


def test_invalid_regex_raises_value_error():
    with pytest.raises(ValueError, match="invalid regular expression"):
        compile_regex("(unclosed")
