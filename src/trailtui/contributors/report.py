"""`GetInsightRuleReport` answered from a local `Ranking`, in exactly the response shape boto3 returns.

Shape: `KeyLabels` (the rule's Keys), `AggregationStatistic` (the rule's `AggregateOn` casing, `Count` or
`Sum`, as the AWS CLI example prints it, §7.10), `AggregateValue` (float), `ApproximateUniqueCount` (int),
`Contributors` [{`Keys`, `ApproximateAggregateValue`, `Datapoints` [{`Timestamp`, `ApproximateValue`}]}]
and `MetricDatapoints` [{`Timestamp`, and the requested metrics as floats}].

Decisions (spec §3.3, §7):
- Timestamps are ISO-8601 UTC strings with a `Z` (`2026-01-05T00:05:00Z`), what boto3's datetimes become
  in JSON output; the report is then plain JSON data. `StartTime`/`EndTime` accept aware or naive (UTC)
  datetimes or ISO-8601 strings.
- Periods are aligned to multiples of `Period` from the epoch; a period belongs to the window when its
  start lies in [StartTime, EndTime) (§7.6). `Period` must be a multiple of the ranking's bucket size.
- `OrderBy=Sum` (the default) ranks by the window total; `OrderBy=Maximum` by a contributor's largest
  single-period value (§7.7). Ties go to the smaller key tuple. `ApproximateAggregateValue` is always the
  window total.
- A contributor's `Datapoints` list only periods where it was seen. `MetricDatapoints` list every period of
  the window; a period without matching events reports 0 for every metric.
- `Average` is `Sum / SampleCount` (§7.8); `Minimum`/`Maximum` are single observations (1 for Count rules).
- `Metrics` defaults to all seven metrics (AWS returns only those requested; pass `metrics` for parity).
- Values are exact unless a period overflowed the ranking's capacity (see `ranking`); nothing is rounded.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from trailtui.contributors.evaluate import Keys
from trailtui.contributors.ranking import ContributorSketch, Period, PeriodStats, Ranking

METRICS = ("UniqueContributors", "MaxContributorValue", "SampleCount", "Sum", "Minimum", "Maximum", "Average")
ORDER_BY = ("Sum", "Maximum")
MAX_CONTRIBUTOR_COUNT = 100
DEFAULT_CONTRIBUTOR_COUNT = 10

TimeInput = datetime | str


class ReportError(ValueError):
    """A request GetInsightRuleReport would refuse; `code` is the AWS error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def build_report(
    ranking: Ranking,
    start_time: TimeInput,
    end_time: TimeInput,
    period: int,
    *,
    max_contributor_count: int = DEFAULT_CONTRIBUTOR_COUNT,
    order_by: str = "Sum",
    metrics: Sequence[str] = METRICS,
) -> dict[str, Any]:
    """The GetInsightRuleReport response for the ranking's current state (see the module docstring)."""
    start_ms, end_ms = _epoch_ms(start_time, "StartTime"), _epoch_ms(end_time, "EndTime")
    _check_request(ranking, start_ms, end_ms, period, max_contributor_count, order_by, metrics)
    period_ms = period * 1000
    first_ms = -(-start_ms // period_ms) * period_ms
    period_starts = range(first_ms, end_ms, period_ms)
    periods = (
        ranking.periods(first_ms, first_ms + len(period_starts) * period_ms, period) if period_starts else []
    )
    window = _merged_contributors(periods, ranking.capacity)
    top_keys = _top_keys(periods, window, max_contributor_count, order_by, ranking.capacity)
    return {
        "KeyLabels": list(ranking.rule.keys),
        "AggregationStatistic": ranking.rule.aggregate_on,
        "AggregateValue": float(sum(entry.stats.total for entry in periods)),
        "ApproximateUniqueCount": window.unique_count(),
        "Contributors": [_contributor(keys, periods) for keys in top_keys],
        "MetricDatapoints": _metric_datapoints(period_starts, periods, metrics),
    }


def iso_timestamp(epoch_ms: int) -> str:
    """`2026-01-05T00:05:00Z`; milliseconds are shown only when there are some."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    text = moment.isoformat(timespec="milliseconds" if epoch_ms % 1000 else "seconds")
    return text.removesuffix("+00:00") + "Z"


def _epoch_ms(value: TimeInput, name: str) -> int:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ReportError("InvalidParameterValue", f"{name} is not an ISO-8601 time: {value!r}") from None
    if not isinstance(value, datetime):
        raise ReportError("InvalidParameterValue", f"{name} must be a datetime or an ISO-8601 string")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return round(value.timestamp() * 1000)


def _check_request(
    ranking: Ranking,
    start_ms: int,
    end_ms: int,
    period: int,
    max_contributor_count: int,
    order_by: str,
    metrics: Sequence[str],
) -> None:
    problems = [
        (end_ms <= start_ms, "EndTime must be later than StartTime"),
        (isinstance(period, bool) or not isinstance(period, int) or period < 1, "Period must be at least 1"),
        (not 1 <= max_contributor_count <= MAX_CONTRIBUTOR_COUNT, "MaxContributorCount must be 1 to 100"),
        (order_by not in ORDER_BY, f"OrderBy must be one of {', '.join(ORDER_BY)}"),
        (any(metric not in METRICS for metric in metrics), f"Metrics must be among {', '.join(METRICS)}"),
    ]
    for failed, message in problems:
        if failed:
            raise ReportError("InvalidParameterValue", message)
    if period % ranking.bucket_seconds:
        raise ReportError("InvalidParameterValue", f"Period must be a multiple of {ranking.bucket_seconds}")


def _merged_contributors(periods: Iterable[Period], capacity: int) -> ContributorSketch:
    window = ContributorSketch(capacity)
    for entry in periods:
        window.merge(entry.stats.contributors)
    return window


def _top_keys(
    periods: Sequence[Period], window: ContributorSketch, count: int, order_by: str, capacity: int
) -> list[Keys]:
    scores = window.values if order_by == "Sum" else _peak_values(periods, capacity)
    best = heapq.nsmallest(count, scores.items(), key=lambda item: (-item[1], item[0]))
    return [keys for keys, _ in best]


def _peak_values(periods: Iterable[Period], capacity: int) -> dict[Keys, float]:
    """Each contributor's largest single-period value, keeping the `capacity` largest when memory runs out."""
    peaks: dict[Keys, float] = {}
    for entry in periods:
        for keys, value in entry.stats.contributors.values.items():
            if value > peaks.get(keys, float("-inf")):
                peaks[keys] = value
        if len(peaks) > 2 * capacity:
            peaks = dict(heapq.nlargest(capacity, peaks.items(), key=lambda item: item[1]))
    return peaks


def _contributor(keys: Keys, periods: Iterable[Period]) -> dict[str, Any]:
    seen = [
        (entry.start_ms, value)
        for entry in periods
        if (value := entry.stats.contributors.values.get(keys)) is not None
    ]
    return {
        "Keys": list(keys),
        "ApproximateAggregateValue": float(sum(value for _, value in seen)),
        "Datapoints": [
            {"Timestamp": iso_timestamp(start_ms), "ApproximateValue": float(value)}
            for start_ms, value in seen
        ],
    }


def _metric_datapoints(
    period_starts: range, periods: Sequence[Period], metrics: Sequence[str]
) -> list[dict[str, Any]]:
    by_start = {entry.start_ms: entry.stats for entry in periods}
    return [_metric_datapoint(start_ms, by_start.get(start_ms), metrics) for start_ms in period_starts]


def _metric_datapoint(start_ms: int, stats: PeriodStats | None, metrics: Sequence[str]) -> dict[str, Any]:
    values = _period_metrics(stats) if stats is not None else dict.fromkeys(METRICS, 0.0)
    return {"Timestamp": iso_timestamp(start_ms), **{metric: values[metric] for metric in metrics}}


def _period_metrics(stats: PeriodStats) -> dict[str, float]:
    contributor_values = stats.contributors.values.values()
    return {
        "UniqueContributors": float(stats.contributors.unique_count()),
        "MaxContributorValue": float(max(contributor_values, default=0.0)),
        "SampleCount": float(stats.sample_count),
        "Sum": stats.total,
        "Minimum": stats.minimum,
        "Maximum": stats.maximum,
        "Average": stats.total / stats.sample_count,
    }
