"""Reasons are written when read: an evaluator read after every step and one read only at the end agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.metrics.alarms import AlarmDefinition, AlarmEvaluator

from .helpers import PERIOD_MS, T0, alarm

SUM_DEFINITIONS = st.builds(
    lambda periods, to_alarm, treatment: alarm(
        EvaluationPeriods=periods, DatapointsToAlarm=min(to_alarm, periods), TreatMissingData=treatment
    ),
    st.integers(1, 4),
    st.integers(1, 4),
    st.sampled_from(["missing", "ignore", "breaching", "notBreaching"]),
)
DATAPOINTS = st.dictionaries(
    st.integers(-30, 30).map(lambda minutes: T0 + minutes * PERIOD_MS),
    st.sampled_from([0.0, 5.0, 20.0, float("nan")]),
    max_size=30,
)


def read_everything(evaluator: AlarmEvaluator) -> object:
    return (
        evaluator.state,
        evaluator.state_reason,
        evaluator.state_reason_data,
        evaluator.state_updated_timestamp,
        evaluator.state_transitioned_timestamp,
        evaluator.describe(),
        evaluator.history(),
        [change.to_json() for change in evaluator.changes],
    )


@settings(max_examples=300, deadline=None)
@given(
    definition=SUM_DEFINITIONS,
    datapoints=DATAPOINTS,
    steps=st.lists(st.integers(0, 6 * PERIOD_MS), min_size=1, max_size=12),
    reads=st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_reading_at_any_time_changes_nothing(
    definition: AlarmDefinition, datapoints: dict[int, float], steps: list[int], reads: list[bool]
) -> None:
    always, sometimes, never = (AlarmEvaluator(definition, created_ms=T0 - 30 * PERIOD_MS) for _ in range(3))
    now_ms = T0 - 30 * PERIOD_MS
    for step, read in zip(steps, reads, strict=False):
        now_ms += step
        changes = [evaluator.evaluate(datapoints, now_ms) for evaluator in (always, sometimes, never)]
        assert [change.to_json() for change in changes[0]] == [change.to_json() for change in changes[2]]
        assert changes[0] == changes[1] == changes[2]
        snapshot = read_everything(always)
        if read:
            assert read_everything(sometimes) == snapshot
    assert read_everything(never) == read_everything(sometimes) == read_everything(always)
