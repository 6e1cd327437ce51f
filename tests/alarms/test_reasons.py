"""State reasons in the observed formats of spec §5.1: StateReason text and StateReasonData JSON."""

from __future__ import annotations

import math

import orjson
import pytest

from trailtui.metrics.alarms import AlarmEvaluator, AlarmState
from trailtui.metrics.alarms.reason import java_double

from .helpers import PERIOD_MS, T0, alarm, evaluator_in_state, series

MAY_18_2019_10_18 = 1_558_174_680_000
JULY_16_2024_13_14 = 1_721_135_640_000


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (10.0, "10.0"),
        (1051.0, "1051.0"),
        (10.08, "10.08"),
        (15.398333333333332, "15.398333333333332"),
        (0.0, "0.0"),
        (-3.5, "-3.5"),
        (0.001, "0.001"),
        (0.0001, "1.0E-4"),
        (9999999.0, "9999999.0"),
        (1e7, "1.0E7"),
        (123456789.0, "1.23456789E8"),
        (-2.5e-5, "-2.5E-5"),
        (math.inf, "Infinity"),
        (math.nan, "NaN"),
    ],
)
def test_values_print_as_java_double_to_string(value: float, printed: str) -> None:
    assert java_double(value) == printed


def test_transition_reason_reproduces_the_observed_one_datapoint_sample() -> None:
    definition = alarm(ComparisonOperator="GreaterThanOrEqualToThreshold", EvaluationPeriods=1)
    evaluator = evaluator_in_state(definition, AlarmState.OK, next_due_ms=MAY_18_2019_10_18)

    (change,) = evaluator.evaluate({MAY_18_2019_10_18 - PERIOD_MS: 10.08}, MAY_18_2019_10_18)

    assert change.reason == (
        "Threshold Crossed: 1 out of the last 1 datapoints [10.08 (18/05/19 10:17:00)] was greater than or "
        "equal to the threshold (10.0) (minimum 1 datapoint for OK -> ALARM transition)."
    )


def test_transition_to_ok_needs_n_minus_m_plus_one_datapoints() -> None:
    definition = alarm(ComparisonOperator="GreaterThanOrEqualToThreshold", Threshold=80)
    evaluator = evaluator_in_state(definition, AlarmState.ALARM)

    (change,) = evaluator.evaluate({T0 - 60_000: 1.0, T0 - 120_000: 2.0, T0 - 180_000: 3.0}, T0)

    assert change.reason == (
        "Threshold Crossed: 3 out of the last 3 datapoints "
        "[1.0 (14/11/23 22:13:00), 2.0 (14/11/23 22:12:00), 3.0 (14/11/23 22:11:00)] "
        "were not greater than or equal to the threshold (80.0) "
        "(minimum 1 datapoint for ALARM -> OK transition)."
    )


def test_m_of_n_transition_lists_only_the_datapoints_supporting_the_new_state() -> None:
    evaluator = evaluator_in_state(alarm(DatapointsToAlarm=2), AlarmState.OK)

    (change,) = evaluator.evaluate(series("0 0 X 0 X"), T0)

    assert change.reason == (
        "Threshold Crossed: 2 out of the last 3 datapoints "
        "[20.0 (14/11/23 22:13:00), 20.0 (14/11/23 22:11:00)] "
        "were greater than the threshold (10.0) (minimum 2 datapoints for OK -> ALARM transition)."
    )


def test_a_kept_state_is_reasserted_in_the_short_form() -> None:
    definition = alarm(EvaluationPeriods=1, Threshold=3)
    evaluator = evaluator_in_state(definition, AlarmState.ALARM, next_due_ms=T0)

    assert evaluator.evaluate({T0 - PERIOD_MS: 63.0}, T0) == []
    assert evaluator.state_reason == (
        "Threshold Crossed: 1 datapoint [63.0 (14/11/23 22:13:00)] was greater than the threshold (3.0)."
    )
    assert evaluator.state_updated_timestamp == T0
    assert evaluator.state_transitioned_timestamp == T0 - PERIOD_MS


def test_insufficient_data_counts_n_unknown_datapoints() -> None:
    evaluator = evaluator_in_state(alarm(EvaluationPeriods=5), AlarmState.OK)

    evaluator.evaluate({}, T0)

    assert evaluator.state_reason == "Insufficient Data: 5 datapoints were unknown."


def test_breaching_fills_are_told_after_the_threshold() -> None:
    evaluator = evaluator_in_state(alarm(TreatMissingData="breaching"), AlarmState.OK)

    evaluator.evaluate(series("- - - - X"), T0)

    assert evaluator.state_reason == (
        "Threshold Crossed: 1 out of the last 3 datapoints [20.0 (14/11/23 22:13:00)] was greater than the "
        "threshold (10.0) and 2 missing datapoints were treated as [Breaching] "
        "(minimum 3 datapoints for OK -> ALARM transition)."
    )


def test_only_filled_datapoints_say_no_datapoints_were_received() -> None:
    evaluator = evaluator_in_state(alarm(TreatMissingData="notBreaching"), AlarmState.ALARM)

    evaluator.evaluate({}, T0)

    assert evaluator.state_reason == (
        "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated "
        "as [NonBreaching]."
    )


def test_reason_data_follows_the_observed_shape() -> None:
    definition = alarm(EvaluationPeriods=1, Threshold=12, Unit="Milliseconds")
    evaluator = AlarmEvaluator(definition, created_ms=JULY_16_2024_13_14)
    start = JULY_16_2024_13_14 - PERIOD_MS

    evaluator.evaluate({start: 1051.0}, JULY_16_2024_13_14, sample_counts={start: 1051})

    assert evaluator.state_reason_data == (
        '{"version":"1.0","queryDate":"2024-07-16T13:14:00.000+0000","startDate":"2024-07-16T13:13:00.000+0000",'
        '"unit":"Milliseconds","statistic":"Sum","period":60,"recentDatapoints":[1051.0],"threshold":12.0,'
        '"evaluatedDatapoints":[{"timestamp":"2024-07-16T13:13:00.000+0000","sampleCount":1051.0,"value":1051.0}]}'
    )


def test_reason_data_lists_recent_datapoints_oldest_first_and_evaluated_ones_newest_first() -> None:
    evaluator = AlarmEvaluator(alarm(), created_ms=T0)

    evaluator.evaluate(series("0 X 0"), T0)

    assert evaluator.state_reason_data is not None
    data = orjson.loads(evaluator.state_reason_data)
    assert data["recentDatapoints"] == [5.0, 20.0, 5.0]
    assert [item["timestamp"][11:16] for item in data["evaluatedDatapoints"]] == ["22:13", "22:12", "22:11"]
    assert "unit" not in data


def test_insufficient_data_reason_data_has_timestamps_only() -> None:
    evaluator = AlarmEvaluator(alarm(), created_ms=T0)

    evaluator.evaluate({}, T0)

    assert evaluator.state_reason_data is not None
    data = orjson.loads(evaluator.state_reason_data)
    assert data["recentDatapoints"] == []
    assert data["evaluatedDatapoints"] == [
        {"timestamp": "2023-11-14T22:13:00.000+0000"},
        {"timestamp": "2023-11-14T22:12:00.000+0000"},
        {"timestamp": "2023-11-14T22:11:00.000+0000"},
    ]
