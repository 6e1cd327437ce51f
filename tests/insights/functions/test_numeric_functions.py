"""Numeric functions (spec §9.1): results, coercion of numeric text, and missing results on bad data."""

import math

import pytest

from trailtui.insights.functions import SCALAR_FUNCTIONS


def call(name, *arguments):
    return SCALAR_FUNCTIONS[name.lower()].implementation(*arguments)


def test_abs():
    assert call("abs", -3) == 3
    assert call("abs", "-2.5") == 2.5


def test_ceil_and_floor_return_integers():
    assert call("ceil", 1.2) == 2
    assert call("floor", "-1.2") == -2
    assert isinstance(call("ceil", 1.2), int)


def test_round_to_integer_rounds_half_away_from_zero():
    assert call("round", 2.5) == 3
    assert call("round", -2.5) == -3
    assert call("round", "1.4") == 1


def test_round_to_decimals():
    assert call("round", 2.675, 2) == 2.68
    assert call("round", 1234, -2) == 1200


def test_greatest_and_least_ignore_missing_arguments():
    assert call("greatest", 1, "10", None, 3) == 10
    assert call("least", 4, None, "-2") == -2
    assert call("greatest", None, None) is None


def test_greatest_of_text_compares_by_code_point():
    assert call("greatest", "apple", "pear") == "pear"


def test_log_and_sqrt():
    assert call("log", math.e) == pytest.approx(1)
    assert call("sqrt", "16") == 4
    assert call("log", 0) is None
    assert call("sqrt", -1) is None


def test_haversine_in_kilometres():
    paris_to_london = call("haversine", 48.8566, 2.3522, 51.5074, -0.1278)
    assert paris_to_london == pytest.approx(343.5, abs=1)
    assert call("haversine", 0, 0, 0, 0) == 0


def test_conversions():
    assert call("toNumber", "12") == 12
    assert call("toNumber", "1.5") == 1.5
    assert call("toDouble", "12") == 12.0
    assert isinstance(call("toDouble", "12"), float)
    assert call("toInt", "12.9") == 12
    assert call("toInt", "-12.9") == -12
    assert call("toLong", str(2**40)) == 2**40


def test_to_int_and_to_long_are_missing_out_of_range():
    assert call("toInt", 2**31) is None
    assert call("toInt", 2**31 - 1) == 2**31 - 1
    assert call("toLong", 2**63) is None


@pytest.mark.parametrize(
    "name",
    ["abs", "ceil", "floor", "round", "log", "sqrt", "toNumber", "toInt", "toLong", "toDouble"],
)
@pytest.mark.parametrize("bad", [None, "abc", {"a": 1}, [1], ""])
def test_numeric_functions_on_missing_or_garbage_are_missing(name, bad):
    assert call(name, bad) is None


def test_non_finite_values_do_not_raise():
    assert call("ceil", float("inf")) is None
    assert call("round", float("nan")) is None
    assert call("toInt", float("inf")) is None
    assert call("haversine", "x", 0, 0, 0) is None
