"""The basic statistics `datapoints` adds up directly are the floats the merged distributions give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.metrics.series import MINUTE_MS, STATISTICS, MetricKey, MetricSeries

KEY = MetricKey.of("Test", "Metric")
VALUES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.sampled_from([0.0, -0.0, 1.0, 3.0, 0.1, 0.2, 0.3, 1e-9, 3600.0, 1e16, -1e16]),
)


def merged_reference(
    series: MetricSeries, statistic: str, period_s: int, start_ms: int | None, end_ms: int | None
) -> list[tuple[int, float]]:
    """What `datapoints` gave before its fast path: each period merged into a Distribution."""
    periods = series._periods(KEY, period_s * 1000, start_ms, end_ms)
    points = []
    for period_start, distribution in sorted(periods.items()):
        if (start_ms is None or period_start >= start_ms) and (end_ms is None or period_start < end_ms):
            value = distribution.statistic(statistic)
            if value is not None:
                points.append((period_start, value))
    return points


@settings(max_examples=300, deadline=None)
@given(
    samples=st.lists(
        st.tuples(st.integers(0, 40 * MINUTE_MS), st.one_of(VALUES, st.none())), min_size=1, max_size=60
    ),
    default_value=st.sampled_from([0.0, 1.5, -2.0, 0.1, 1e16]),
    period_s=st.sampled_from([60, 120, 300, 600]),
    window=st.one_of(st.none(), st.tuples(st.integers(0, 45 * MINUTE_MS), st.integers(0, 45 * MINUTE_MS))),
)
def test_basic_statistics_equal_the_merged_distributions(
    samples: list[tuple[int, float | None]],
    default_value: float,
    period_s: int,
    window: tuple[int, int] | None,
) -> None:
    series = MetricSeries()
    for timestamp_ms, value in samples:
        if value is None:
            series.add_default(KEY, timestamp_ms, default_value)
        else:
            series.add(KEY, timestamp_ms, value)
    start_ms, end_ms = (None, None) if window is None else (min(window), max(window))
    for statistic in STATISTICS:
        got = series.datapoints(KEY, statistic, period_s, start_ms, end_ms)
        expected = merged_reference(series, statistic, period_s, start_ms, end_ms)
        assert [(start, repr(value)) for start, value in got] == [(s, repr(v)) for s, v in expected]


def test_sums_add_cells_then_defaults_in_the_merge_order() -> None:
    series = MetricSeries()
    series.add(KEY, 0, 0.2)
    series.add(KEY, MINUTE_MS, 0.3)
    series.add_default(KEY, 2 * MINUTE_MS, 0.1)
    assert (
        series.datapoints(KEY, "Sum", 300) == merged_reference(series, "Sum", 300, None, None) == [(0, 0.6)]
    )


@settings(max_examples=200, deadline=None)
@given(
    defaults=st.lists(st.integers(0, 10 * MINUTE_MS), max_size=10),
    timestamps=st.lists(st.integers(0, 10 * MINUTE_MS), max_size=40),
    value=VALUES,
)
def test_add_many_is_add_for_each_timestamp(defaults: list[int], timestamps: list[int], value: float) -> None:
    one_by_one, at_once = MetricSeries(), MetricSeries()
    for series in (one_by_one, at_once):
        for timestamp_ms in defaults:
            series.add_default(KEY, timestamp_ms, 2.5)
    for timestamp_ms in timestamps:
        one_by_one.add(KEY, timestamp_ms, value)
    at_once.add_many(KEY, timestamps, value)
    assert one_by_one.keys() == at_once.keys()
    for statistic in (*STATISTICS, "p50"):
        assert one_by_one.datapoints(KEY, statistic, 60) == at_once.datapoints(KEY, statistic, 60)
        assert one_by_one.datapoints(KEY, statistic, 300) == at_once.datapoints(KEY, statistic, 300)
