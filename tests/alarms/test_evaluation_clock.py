"""When evaluations happen as the replay clock advances, and that evaluation never fails on any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.metrics.alarms import AlarmDefinition, AlarmEvaluator, AlarmState

from .helpers import PERIOD_MS, T0, alarm, series


def test_the_alarm_is_created_at_the_first_clock_reading_and_evaluated_at_the_next_boundary() -> None:
    evaluator = AlarmEvaluator(alarm(EvaluationPeriods=1))

    assert evaluator.evaluate(series("X"), T0 - 30_000) == []
    assert evaluator.state_updated_timestamp == T0 - 30_000
    (change,) = evaluator.evaluate(series("X"), T0)
    assert (change.new_state, change.timestamp_ms) == (AlarmState.ALARM, T0)


def test_an_alarm_created_on_a_boundary_is_evaluated_there() -> None:
    evaluator = AlarmEvaluator(alarm(EvaluationPeriods=1), created_ms=T0)

    assert [change.timestamp_ms for change in evaluator.evaluate(series("X"), T0)] == [T0]


def test_grace_delays_each_evaluation() -> None:
    evaluator = AlarmEvaluator(alarm(EvaluationPeriods=1), created_ms=T0, grace_ms=15_000)

    assert evaluator.evaluate(series("X"), T0 + 14_999) == []
    (change,) = evaluator.evaluate(series("X"), T0 + 15_000)
    assert change.timestamp_ms == T0


def test_one_call_evaluates_every_boundary_passed_and_returns_each_transition_in_order() -> None:
    evaluator = AlarmEvaluator(alarm(EvaluationPeriods=1), created_ms=T0)
    datapoints = series("X 0 X", end_ms=T0 + 2 * PERIOD_MS)

    changes = evaluator.evaluate(datapoints, T0 + 2 * PERIOD_MS)

    assert [(c.new_state, c.timestamp_ms) for c in changes] == [
        (AlarmState.ALARM, T0),
        (AlarmState.OK, T0 + PERIOD_MS),
        (AlarmState.ALARM, T0 + 2 * PERIOD_MS),
    ]
    assert evaluator.changes == tuple(changes)


def test_a_clock_going_back_evaluates_nothing() -> None:
    evaluator = AlarmEvaluator(alarm(EvaluationPeriods=1), created_ms=T0)
    evaluator.evaluate(series("X"), T0)

    assert evaluator.evaluate(series("0", end_ms=T0 - PERIOD_MS), T0 - PERIOD_MS) == []
    assert evaluator.state is AlarmState.ALARM


def test_periods_from_before_creation_count() -> None:
    evaluator = AlarmEvaluator(alarm(), created_ms=T0)

    evaluator.evaluate(series("X X X"), T0)

    assert evaluator.state is AlarmState.ALARM


def test_a_year_without_data_ends_in_the_state_of_its_last_boundary() -> None:
    evaluator = AlarmEvaluator(alarm(), created_ms=T0)
    a_year_later = T0 + 365 * 24 * 3600 * 1000 + 30_000

    evaluator.evaluate(series("X X X"), a_year_later)

    assert evaluator.state is AlarmState.INSUFFICIENT_DATA
    assert evaluator.state_updated_timestamp == a_year_later - 30_000
    assert [c.new_state for c in evaluator.changes] == [AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA]


PERIODS_SECONDS = st.sampled_from([10, 60, 300])


@st.composite
def definitions(draw: st.DrawFn) -> AlarmDefinition:
    evaluation_periods = draw(st.integers(1, 5))
    return alarm(
        Period=draw(PERIODS_SECONDS),
        EvaluationPeriods=evaluation_periods,
        DatapointsToAlarm=draw(st.integers(1, evaluation_periods)),
        Threshold=draw(st.floats(-1e6, 1e6)),
        ComparisonOperator=draw(
            st.sampled_from(
                [
                    "GreaterThanOrEqualToThreshold",
                    "GreaterThanThreshold",
                    "LessThanThreshold",
                    "LessThanOrEqualToThreshold",
                ]
            )
        ),
        TreatMissingData=draw(st.sampled_from(["missing", "ignore", "breaching", "notBreaching"])),
        Statistic=None,
        ExtendedStatistic="p99",
        EvaluateLowSampleCountPercentile=draw(st.sampled_from(["evaluate", "ignore"])),
    )


ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)
ALIGNED_START = st.integers(-40, 40).map(lambda minutes: T0 + minutes * PERIOD_MS)
ANY_START = st.one_of(ALIGNED_START, st.integers(T0 - 10**10, T0 + 10**10), st.integers(-(2**62), 2**62))
DATAPOINTS = st.dictionaries(ANY_START, ANY_FLOAT, max_size=40)
SAMPLE_COUNTS = st.dictionaries(ANY_START, st.floats(0, 5000), max_size=40)
CLOCK_STEPS = st.lists(st.integers(-PERIOD_MS, 20 * PERIOD_MS), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(definitions(), DATAPOINTS, SAMPLE_COUNTS, CLOCK_STEPS)
def test_evaluation_never_raises_on_any_datapoints(
    definition: AlarmDefinition, datapoints: dict[int, float], counts: dict[int, float], steps: list[int]
) -> None:
    evaluator = AlarmEvaluator(definition)
    now_ms = T0 - 20 * PERIOD_MS
    for step in steps:
        now_ms += step
        for change in evaluator.evaluate(datapoints, now_ms, sample_counts=counts):
            change.to_json()
    evaluator.describe()
    evaluator.history()


@settings(max_examples=200, deadline=None)
@given(definitions(), st.dictionaries(ALIGNED_START, ANY_FLOAT, max_size=30), st.integers(0, 120))
def test_one_long_step_decides_as_many_small_steps(
    definition: AlarmDefinition, datapoints: dict[int, float], minutes: int
) -> None:
    created_ms = T0 - 50 * PERIOD_MS
    period_ms = definition.period * 1000
    end_ms = created_ms + minutes * PERIOD_MS
    stepped = AlarmEvaluator(definition, created_ms=created_ms)
    jumped = AlarmEvaluator(definition, created_ms=created_ms)

    for now_ms in [*range(created_ms, end_ms, period_ms), end_ms]:
        stepped.evaluate(datapoints, now_ms)
    jumped.evaluate(datapoints, end_ms)

    assert [c.to_json() for c in jumped.changes] == [c.to_json() for c in stepped.changes]
    assert jumped.describe() == stepped.describe()
