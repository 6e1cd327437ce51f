"""How datapoints decide the state: comparison operators, M out of N, missing data, premature alarms."""

from __future__ import annotations

import math

import pytest

from trailtui.metrics.alarms import AlarmEvaluator, AlarmState

from .helpers import PERIOD_MS, T0, THRESHOLD, alarm, evaluator_in_state, series

OK, ALARM, INSUFFICIENT = AlarmState.OK, AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA


def state_after_one_value(operator: str, value: float) -> AlarmState:
    evaluator = AlarmEvaluator(alarm(ComparisonOperator=operator, EvaluationPeriods=1), created_ms=T0)
    evaluator.evaluate({T0 - PERIOD_MS: value}, T0)
    return evaluator.state


@pytest.mark.parametrize(
    ("operator", "below", "at", "above"),
    [
        ("GreaterThanOrEqualToThreshold", OK, ALARM, ALARM),
        ("GreaterThanThreshold", OK, OK, ALARM),
        ("LessThanThreshold", ALARM, OK, OK),
        ("LessThanOrEqualToThreshold", ALARM, ALARM, OK),
    ],
)
def test_comparison_operator_below_at_and_above_the_threshold(
    operator: str, below: AlarmState, at: AlarmState, above: AlarmState
) -> None:
    assert state_after_one_value(operator, THRESHOLD - 0.5) is below
    assert state_after_one_value(operator, THRESHOLD) is at
    assert state_after_one_value(operator, THRESHOLD + 0.5) is above


def test_a_new_alarm_starts_unchecked_in_insufficient_data() -> None:
    evaluator = AlarmEvaluator(alarm(), created_ms=T0)

    assert evaluator.state is INSUFFICIENT
    assert evaluator.state_reason == "Unchecked: Initial alarm creation"
    assert evaluator.state_updated_timestamp == T0


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("0 0 X 0 X", ALARM),
        ("0 0 0 X X", ALARM),
        ("X X 0 0 X", OK),
        ("X X X 0 0", OK),
        ("0 0 0 0 X", OK),
    ],
)
def test_two_out_of_three_counts_only_the_three_newest_when_none_is_missing(
    pattern: str, expected: AlarmState
) -> None:
    evaluator = AlarmEvaluator(alarm(DatapointsToAlarm=2), created_ms=T0)

    evaluator.evaluate(series(pattern), T0)

    assert evaluator.state is expected


def test_with_enough_real_datapoints_the_newest_real_ones_are_evaluated_reaching_back() -> None:
    evaluator = AlarmEvaluator(alarm(DatapointsToAlarm=3, TreatMissingData="notBreaching"), created_ms=T0)

    evaluator.evaluate(series("X X - X -"), T0)

    assert evaluator.state is ALARM


def test_missing_treatment_goes_to_insufficient_data_when_the_whole_range_is_empty() -> None:
    evaluator = evaluator_in_state(alarm(), ALARM)

    evaluator.evaluate({}, T0)

    assert evaluator.state is INSUFFICIENT
    assert evaluator.state_reason == "Insufficient Data: 3 datapoints were unknown."


def test_ignore_keeps_the_state_and_its_reason_when_there_is_not_enough_data() -> None:
    evaluator = evaluator_in_state(alarm(TreatMissingData="ignore"), ALARM)
    reason_before = evaluator.state_reason

    assert evaluator.evaluate({}, T0) == []
    assert (evaluator.state, evaluator.state_reason) == (ALARM, reason_before)


def test_breaching_treatment_alarms_on_an_empty_range() -> None:
    evaluator = evaluator_in_state(alarm(TreatMissingData="breaching"), OK)

    evaluator.evaluate({}, T0)

    assert evaluator.state is ALARM


def test_not_breaching_treatment_is_ok_on_an_empty_range() -> None:
    evaluator = evaluator_in_state(alarm(TreatMissingData="notBreaching"), ALARM)

    evaluator.evaluate({}, T0)

    assert evaluator.state is OK


@pytest.mark.parametrize("pattern", ["- - - - X", "- - - X -"])
def test_breaches_too_recent_for_the_premature_rule_keep_the_state_under_missing(pattern: str) -> None:
    evaluator = evaluator_in_state(alarm(), OK)

    evaluator.evaluate(series(pattern), T0)

    assert evaluator.state is OK


def test_a_breach_older_than_the_last_n_periods_does_not_trigger_the_premature_rule() -> None:
    evaluator = evaluator_in_state(alarm(), OK)

    evaluator.evaluate(series("X - - - -"), T0)

    assert evaluator.state is OK


def test_premature_rule_alarms_once_the_lone_breach_is_m_periods_old() -> None:
    evaluator = evaluator_in_state(alarm(), OK)
    datapoints = series("- - - - X")

    states = []
    for minutes in range(3):
        evaluator.evaluate(datapoints, T0 + minutes * PERIOD_MS)
        states.append(evaluator.state)

    assert states == [OK, OK, ALARM]


def test_dynamodb_alarms_always_treat_missing_data_as_ignore() -> None:
    evaluator = evaluator_in_state(alarm(Namespace="AWS/DynamoDB", TreatMissingData="breaching"), OK)

    evaluator.evaluate({}, T0)

    assert evaluator.state is OK


def test_a_nan_value_is_a_period_without_data() -> None:
    evaluator = evaluator_in_state(alarm(EvaluationPeriods=1), ALARM)

    evaluator.evaluate({T0 - PERIOD_MS: math.nan}, T0)

    assert evaluator.state is INSUFFICIENT


def test_a_period_whose_value_is_zero_is_present_not_missing() -> None:
    evaluator = evaluator_in_state(alarm(EvaluationPeriods=1), ALARM)

    evaluator.evaluate({T0 - PERIOD_MS: 0.0}, T0)

    assert evaluator.state is OK


def test_keys_not_aligned_to_the_period_are_not_read() -> None:
    evaluator = AlarmEvaluator(alarm(EvaluationPeriods=1), created_ms=T0)

    evaluator.evaluate({T0 - PERIOD_MS + 1: 99.0}, T0)

    assert evaluator.state is INSUFFICIENT


def test_a_longer_evaluation_range_reaches_further_back() -> None:
    datapoints = series("X X X - - - -")
    default_range = AlarmEvaluator(alarm(), created_ms=T0)
    seven_periods = AlarmEvaluator(alarm(), created_ms=T0, evaluation_range=7)

    default_range.evaluate(datapoints, T0)
    seven_periods.evaluate(datapoints, T0)

    assert (default_range.state, seven_periods.state) == (INSUFFICIENT, ALARM)


def test_an_evaluation_range_shorter_than_n_is_refused() -> None:
    with pytest.raises(ValueError, match="evaluation_range"):
        AlarmEvaluator(alarm(), evaluation_range=2)
