"""Small builders for alarm tests: requests, definitions, datapoint series and evaluators in a given state."""

from __future__ import annotations

from typing import Any

from trailtui.metrics.alarms import AlarmDefinition, AlarmEvaluator, AlarmState

PERIOD_MS = 60_000
T0 = 1_700_000_040_000
"""A minute boundary (2023-11-14T22:14:00Z)."""
THRESHOLD = 10.0
BREACHING = 20.0
NOT_BREACHING = 5.0


def alarm_request(**changes: Any) -> dict[str, Any]:
    """A valid PutMetricAlarm request (N = 3, M = 3, > 10 on a Sum per minute), with `changes` applied."""
    request: dict[str, Any] = {
        "AlarmName": "AssumeRoleStorm",
        "MetricName": "AssumeRoleCount",
        "Namespace": "SecurityMetrics",
        "Statistic": "Sum",
        "Period": 60,
        "EvaluationPeriods": 3,
        "Threshold": THRESHOLD,
        "ComparisonOperator": "GreaterThanThreshold",
    }
    request.update(changes)
    return {name: value for name, value in request.items() if value is not None}


def alarm(**changes: Any) -> AlarmDefinition:
    return AlarmDefinition.from_request(alarm_request(**changes))


def series(pattern: str, end_ms: int = T0, period_ms: int = PERIOD_MS) -> dict[int, float]:
    """Datapoints from a pattern like `0 - X - X`, oldest first, whose newest period ends at `end_ms`.

    `X` breaches, `0` does not, `-` is missing.
    """
    symbols = pattern.split()
    values = {"X": BREACHING, "0": NOT_BREACHING}
    return {
        end_ms - (len(symbols) - index) * period_ms: values[symbol]
        for index, symbol in enumerate(symbols)
        if symbol != "-"
    }


def evaluator_in_state(
    definition: AlarmDefinition, state: AlarmState, next_due_ms: int = T0
) -> AlarmEvaluator:
    """An evaluator whose last evaluation, one period before `next_due_ms`, left it in `state`."""
    if state is AlarmState.INSUFFICIENT_DATA:
        return AlarmEvaluator(definition, created_ms=next_due_ms)
    period_ms = definition.period * 1000
    previous_due_ms = next_due_ms - period_ms
    evaluator = AlarmEvaluator(definition, created_ms=previous_due_ms)
    wanted_breach = state is AlarmState.ALARM
    candidates = (definition.threshold + 1, definition.threshold - 1)
    value = next(
        v
        for v in candidates
        if definition.comparison_operator.breaches(v, definition.threshold) is wanted_breach
    )
    starts = (previous_due_ms - age * period_ms for age in range(1, evaluator.evaluation_range + 1))
    evaluator.evaluate(dict.fromkeys(starts, value), previous_due_ms)
    assert evaluator.state is state
    return evaluator
