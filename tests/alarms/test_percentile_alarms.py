"""ExtendedStatistic alarms and EvaluateLowSampleCountPercentile (spec §4.7)."""

from __future__ import annotations

from fractions import Fraction

import orjson
import pytest

from trailtui.metrics.alarms import AlarmDefinition, AlarmState
from trailtui.metrics.alarms.statistic import minimum_significant_samples, percentile_fraction

from .helpers import PERIOD_MS, T0, alarm, evaluator_in_state

NEWEST = T0 - PERIOD_MS


@pytest.mark.parametrize(
    ("statistic", "minimum"),
    [
        ("p99", 1000),
        ("p90", 100),
        ("p50", 20),
        ("p99.9", 10000),
        ("p10", 100),
        ("p25", 40),
        ("p0", 0),
        ("p100", 0),
    ],
)
def test_fewest_significant_samples_per_percentile(statistic: str, minimum: int) -> None:
    percentile = percentile_fraction(statistic)

    assert percentile is not None
    assert minimum_significant_samples(percentile) == Fraction(minimum)


@pytest.mark.parametrize("statistic", ["Sum", "tm90", "IQM", None])
def test_only_pnn_statistics_are_percentiles(statistic: str | None) -> None:
    assert percentile_fraction(statistic) is None


def p99_alarm(low_sample_count: str | None) -> AlarmDefinition:
    return alarm(
        Statistic=None,
        ExtendedStatistic="p99",
        EvaluationPeriods=1,
        EvaluateLowSampleCountPercentile=low_sample_count,
    )


@pytest.mark.parametrize(("samples", "expected"), [(999, AlarmState.OK), (1000, AlarmState.ALARM)])
def test_ignore_keeps_the_state_while_a_period_has_too_few_samples(
    samples: int, expected: AlarmState
) -> None:
    evaluator = evaluator_in_state(p99_alarm("ignore"), AlarmState.OK)

    evaluator.evaluate({NEWEST: 50.0}, T0, sample_counts={NEWEST: samples})

    assert evaluator.state is expected


@pytest.mark.parametrize("low_sample_count", ["evaluate", None])
def test_evaluate_changes_state_whatever_the_sample_count(low_sample_count: str | None) -> None:
    evaluator = evaluator_in_state(p99_alarm(low_sample_count), AlarmState.OK)

    evaluator.evaluate({NEWEST: 50.0}, T0, sample_counts={NEWEST: 3})

    assert evaluator.state is AlarmState.ALARM


def test_without_sample_counts_a_percentile_alarm_always_evaluates() -> None:
    evaluator = evaluator_in_state(p99_alarm("ignore"), AlarmState.OK)

    evaluator.evaluate({NEWEST: 50.0}, T0)

    assert evaluator.state is AlarmState.ALARM


def test_low_sample_count_ignore_does_not_apply_to_plain_statistics() -> None:
    definition = alarm(EvaluationPeriods=1, EvaluateLowSampleCountPercentile="ignore")
    evaluator = evaluator_in_state(definition, AlarmState.OK)

    evaluator.evaluate({NEWEST: 50.0}, T0, sample_counts={NEWEST: 1})

    assert evaluator.state is AlarmState.ALARM


def test_reason_data_names_the_extended_statistic_and_the_sample_count() -> None:
    evaluator = evaluator_in_state(p99_alarm(None), AlarmState.OK)

    evaluator.evaluate({NEWEST: 50.0}, T0, sample_counts={NEWEST: 1200})

    assert evaluator.state_reason_data is not None
    data = orjson.loads(evaluator.state_reason_data)
    assert data["statistic"] == "p99"
    assert data["evaluatedDatapoints"] == [
        {"timestamp": "2023-11-14T22:13:00.000+0000", "sampleCount": 1200.0, "value": 50.0}
    ]
