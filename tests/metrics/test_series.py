"""Per-minute cells, roll-ups to longer periods, statistics and percentiles, GetMetricData output."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from trailtui.metrics.series import (
    EXACT_SAMPLE_LIMIT,
    RELATIVE_ACCURACY,
    Distribution,
    MetricKey,
    MetricSeries,
)

MINUTE = 60_000
KEY = MetricKey("LogMetrics", "Calls")


def series_of(*points: tuple[int, float]) -> MetricSeries:
    series = MetricSeries()
    for timestamp_ms, value in points:
        series.add(KEY, timestamp_ms, value)
    return series


def distribution(values: list[float]) -> Distribution:
    built = Distribution()
    for value in values:
        built.add(value)
    return built


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [
        ("SampleCount", 4),
        ("Sum", 10),
        ("Average", 2.5),
        ("Minimum", 1),
        ("Maximum", 4),
        ("p50", 2),
        ("p99", 4),
    ],
)
def test_statistics_of_one_minute(statistic: str, expected: float) -> None:
    series = series_of((1_000, 1), (2_000, 2), (3_000, 3), (59_999, 4))
    assert series.datapoints(KEY, statistic) == [(0, expected)]


def test_exact_percentiles_use_the_nearest_rank() -> None:
    values = distribution([float(value) for value in range(100, 0, -1)])
    assert [values.statistic(name) for name in ("p50", "p90", "p99", "p100", "p0")] == [50, 90, 99, 100, 1]


def test_percentiles_beyond_the_exact_limit_are_within_the_documented_accuracy() -> None:
    values = distribution([float(value) for value in range(1, 10_001)])
    for name, exact in (("p50", 5_000), ("p90", 9_000), ("p99", 9_900)):
        approximate = values.statistic(name)
        assert approximate is not None
        assert abs(approximate - exact) <= exact * RELATIVE_ACCURACY
    assert (values.statistic("Minimum"), values.statistic("Maximum")) == (1, 10_000)
    assert values.statistic("Sum") == sum(range(1, 10_001))


def test_histogram_memory_is_bounded_by_the_value_range_not_the_sample_count() -> None:
    values = distribution([1.0 + (index % 1000) / 1000 for index in range(50_000)])
    assert len(values._bins) < 100


def test_zeros_are_counted_exactly_in_the_histogram() -> None:
    values = distribution([0.0] * (EXACT_SAMPLE_LIMIT * 2) + [5.0] * 10)
    assert values.statistic("p50") == 0
    assert values.statistic("p99") == pytest.approx(5, rel=RELATIVE_ACCURACY)


def test_negative_values_make_percentiles_unavailable() -> None:
    series = series_of((0, -1), (1, 3))
    assert series.datapoints(KEY, "p50") == []
    assert series.datapoints(KEY, "Minimum") == [(0, -1)]


def test_periods_merge_minutes_aligned_on_the_epoch() -> None:
    series = series_of((0, 1), (4 * MINUTE, 2), (5 * MINUTE, 10), (9 * MINUTE + 59_999, 20), (10 * MINUTE, 3))
    assert series.datapoints(KEY, "Sum", period_seconds=300) == [(0, 3), (5 * MINUTE, 30), (10 * MINUTE, 3)]
    assert series.datapoints(KEY, "SampleCount", period_seconds=300) == [
        (0, 2),
        (5 * MINUTE, 2),
        (10 * MINUTE, 1),
    ]


def test_merged_percentiles_mix_exact_and_binned_cells() -> None:
    many = [(0, float(value)) for value in range(1, EXACT_SAMPLE_LIMIT * 3)]
    series = series_of(*many, (MINUTE, 1_000.0))
    [(_, p100)] = series.datapoints(KEY, "p100", period_seconds=120)
    assert p100 == 1_000


def test_default_minutes_count_once_and_yield_to_real_datapoints() -> None:
    series = MetricSeries()
    for timestamp_ms in (0, 1, 2, MINUTE, 2 * MINUTE):
        series.add_default(KEY, timestamp_ms, 0)
    series.add(KEY, MINUTE + 5, 7)
    series.add_default(KEY, MINUTE + 6, 0)
    assert series.datapoints(KEY, "Sum") == [(0, 0), (MINUTE, 7), (2 * MINUTE, 0)]
    assert series.datapoints(KEY, "SampleCount", period_seconds=180) == [(0, 3)]


def test_range_is_inclusive_of_start_and_exclusive_of_end() -> None:
    series = series_of((0, 1), (MINUTE, 2), (2 * MINUTE, 3))
    assert series.datapoints(KEY, "Sum", start_ms=MINUTE, end_ms=2 * MINUTE) == [(MINUTE, 2)]


def test_dimension_order_does_not_change_the_metric() -> None:
    assert MetricKey.of("N", "M", {"b": "2", "a": "1"}) == MetricKey.of("N", "M", {"a": "1", "b": "2"})


@pytest.mark.parametrize("period", [0, 30, 90, 60.0])
def test_period_must_be_a_multiple_of_sixty(period: int) -> None:
    with pytest.raises(ValueError, match="Period"):
        series_of((0, 1)).datapoints(KEY, "Sum", period_seconds=period)


@pytest.mark.parametrize("statistic", ["Median", "p101", "p", "sum"])
def test_unknown_statistics_are_refused(statistic: str) -> None:
    with pytest.raises(ValueError, match="statistic"):
        series_of((0, 1)).datapoints(KEY, statistic)


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        series_of((0, float("inf")))


# ---------------------------------------------------------------- GetMetricData


def query(query_id: str = "m1", stat: str = "Sum", period: int = 60, **extra: object) -> dict[str, object]:
    metric = {"Namespace": KEY.namespace, "MetricName": KEY.name, "Dimensions": []}
    return {"Id": query_id, "MetricStat": {"Metric": metric, "Period": period, "Stat": stat}, **extra}


START = datetime(1970, 1, 1, tzinfo=UTC)
END = datetime(1970, 1, 1, 1, tzinfo=UTC)


def test_get_metric_data_shape_newest_first() -> None:
    series = series_of((0, 1), (MINUTE, 2), (MINUTE + 1, 2))
    assert series.get_metric_data([query()], START, END) == {
        "MetricDataResults": [
            {
                "Id": "m1",
                "Label": "Calls",
                "Timestamps": [datetime(1970, 1, 1, 0, 1, tzinfo=UTC), START],
                "Values": [4.0, 1.0],
                "StatusCode": "Complete",
            }
        ],
        "Messages": [],
    }


def test_get_metric_data_ascending_label_and_hidden_queries() -> None:
    series = series_of((0, 1), (MINUTE, 2))
    response = series.get_metric_data(
        [query("shown", "Maximum", Label="Peak"), query("hidden", ReturnData=False)],
        START,
        END,
        scan_by="TimestampAscending",
    )
    [result] = response["MetricDataResults"]
    assert (result["Id"], result["Label"], result["Values"]) == ("shown", "Peak", [1.0, 2.0])


def test_get_metric_data_for_an_unknown_metric_is_empty_and_complete() -> None:
    unknown = {
        "Id": "m1",
        "MetricStat": {"Metric": {"Namespace": "X", "MetricName": "Y"}, "Period": 60, "Stat": "Sum"},
    }
    [result] = MetricSeries().get_metric_data([unknown], START, END)["MetricDataResults"]
    assert (result["Timestamps"], result["Values"], result["StatusCode"]) == ([], [], "Complete")


@pytest.mark.parametrize(
    ("queries", "start", "message"),
    [
        ([query("M1")], START, "Id"),
        ([{"Id": "m1", "Expression": "m2 * 2"}], START, "MetricStat"),
        ([query()], datetime(1970, 1, 1), "time zone"),
    ],
)
def test_get_metric_data_refuses_what_it_cannot_answer(
    queries: list[dict[str, object]], start: datetime, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        MetricSeries().get_metric_data(queries, start, END)
