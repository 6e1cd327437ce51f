"""Metric time series: one-minute cells per metric, rolled up to any period, answered as GetMetricData.

A metric is a `MetricKey` (namespace, name, dimensions); dimensions are sorted by name, because CloudWatch
identifies a metric by its dimension set, not their order. Cells are keyed by the UTC-aligned start of
their minute (spec §9.16). A period of P seconds (a multiple of 60) merges the minute cells whose start
falls in `[t, t + P)`, with `t` a multiple of P since the Unix epoch.

Bounded memory: a `Distribution` keeps count, sum, minimum and maximum exactly, and for percentiles keeps
the exact values until it holds more than `EXACT_SAMPLE_LIMIT` of them; from then on it keeps a histogram
of logarithmic bins, each 2 % wide (a DDSketch-style layout): any percentile it reports is within 1 %
(relative) of a sample value at that rank, and at most ~2,800 bins exist for samples between 1e-9 and
1e15. Percentiles use the nearest-rank definition (the smallest sample with at least p % of the samples
at or below it). As in CloudWatch, percentiles are not available once a metric received a negative value.

Default values (spec §6.3, §9.11): `add_default` records that a minute had events and none produced a
datapoint; such a minute contributes one sample of the default value, and a real datapoint in the same
minute replaces it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

_Value = TypeVar("_Value")
MINUTE_MS = 60_000
EXACT_SAMPLE_LIMIT = 128
RELATIVE_ACCURACY = 0.01
STATISTICS = ("SampleCount", "Sum", "Average", "Minimum", "Maximum")

_GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LOG_GAMMA = math.log(_GAMMA)
_PERCENTILE = re.compile(r"p(\d{1,2}(?:\.\d{1,10})?|100)")
_QUERY_ID = re.compile(r"[a-z][a-zA-Z0-9_]*")


@dataclass(frozen=True, slots=True, order=True)
class MetricKey:
    """One metric: namespace, name and its sorted (name, value) dimensions."""

    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, namespace: str, name: str, dimensions: Mapping[str, str] | None = None) -> MetricKey:
        return cls(namespace, name, tuple(sorted((dimensions or {}).items())))

    @classmethod
    def from_metric(cls, metric: Mapping[str, Any]) -> MetricKey:
        """The key of a GetMetricData `Metric` (`Namespace`, `MetricName`, `Dimensions: [{Name, Value}]`)."""
        dimensions = {item["Name"]: item["Value"] for item in metric.get("Dimensions", [])}
        return cls.of(metric["Namespace"], metric["MetricName"], dimensions)


class Distribution:
    """The samples of one cell: exact aggregates, and exact values or log bins for percentiles."""

    __slots__ = ("_bins", "_exact", "_has_negative", "_zeros", "count", "maximum", "minimum", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.minimum = math.inf
        self.maximum = -math.inf
        self._exact: list[float] | None = []
        self._bins: dict[int, int] = {}
        self._zeros = 0
        self._has_negative = False

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        self.minimum = min(self.minimum, value)
        self.maximum = max(self.maximum, value)
        if value < 0:
            self._has_negative = True
        self._add_sample(value)

    def merge(self, other: Distribution) -> None:
        self.count += other.count
        self.total += other.total
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self._has_negative = self._has_negative or other._has_negative
        if other._exact is not None:
            for value in other._exact:
                self._add_sample(value)
            return
        if self._exact is not None:
            self._switch_to_bins()
        self._zeros += other._zeros
        for index, count in other._bins.items():
            self._bins[index] = self._bins.get(index, 0) + count

    def statistic(self, name: str) -> float | None:
        """The value of a statistic (`Sum`, `p99`, ...), or None when it is not available."""
        if self.count == 0:
            return None
        if name == "SampleCount":
            return float(self.count)
        if name == "Sum":
            return self.total
        if name == "Average":
            return self.total / self.count
        if name == "Minimum":
            return self.minimum
        if name == "Maximum":
            return self.maximum
        return self.percentile(float(name[1:]) / 100)

    def percentile(self, fraction: float) -> float | None:
        if self._has_negative or self.count == 0:
            return None
        rank = max(1, math.ceil(fraction * self.count - 1e-9))
        if self._exact is not None:
            return sorted(self._exact)[rank - 1]
        if rank <= self._zeros:
            return 0.0
        seen = self._zeros
        for index in sorted(self._bins):
            seen += self._bins[index]
            if seen >= rank:
                return min(self.maximum, max(self.minimum, 2 * _GAMMA**index / (_GAMMA + 1)))
        return self.maximum

    def _add_sample(self, value: float) -> None:
        if self._exact is not None:
            self._exact.append(value)
            if len(self._exact) > EXACT_SAMPLE_LIMIT:
                self._switch_to_bins()
        else:
            self._bin(value)

    def _switch_to_bins(self) -> None:
        values, self._exact = self._exact or [], None
        for value in values:
            self._bin(value)

    def _bin(self, value: float) -> None:
        """Count a value in its log bin (negative values only ever disable percentiles)."""
        if value < 0:
            return
        if value == 0:
            self._zeros += 1
            return
        index = math.ceil(math.log(value) / _LOG_GAMMA)
        self._bins[index] = self._bins.get(index, 0) + 1


def is_statistic(name: str) -> bool:
    """Whether GetMetricData can compute `name` here: the five basic statistics or `pNN`/`pNN.N`."""
    return name in STATISTICS or _PERCENTILE.fullmatch(name) is not None


class MetricSeries:
    """The datapoints of many metrics, one `Distribution` per metric and minute."""

    def __init__(self) -> None:
        self._cells: dict[MetricKey, dict[int, Distribution]] = {}
        self._defaults: dict[MetricKey, dict[int, float]] = {}

    def add(self, key: MetricKey, timestamp_ms: int, value: float) -> None:
        """One datapoint of `value` at `timestamp_ms`; ValueError when the value is not finite."""
        if not math.isfinite(value):
            raise ValueError(f"a metric value must be finite, got {value!r}")
        minute = timestamp_ms - timestamp_ms % MINUTE_MS
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = {}
        cell = cells.get(minute)
        if cell is None:
            cell = cells[minute] = Distribution()
            defaults = self._defaults.get(key)
            if defaults:
                defaults.pop(minute, None)
        cell.add(value)

    def add_many(self, key: MetricKey, timestamps_ms: Sequence[int], value: float) -> None:
        """`add(key, timestamp_ms, value)` for each timestamp, in order (the key looked up once)."""
        if not math.isfinite(value):
            raise ValueError(f"a metric value must be finite, got {value!r}")
        if not timestamps_ms:
            return
        cells = self._cells.get(key)
        if cells is None:
            cells = self._cells[key] = {}
        defaults = self._defaults.get(key)
        last_minute, cell = None, None
        for timestamp_ms in timestamps_ms:
            minute = timestamp_ms - timestamp_ms % MINUTE_MS
            if minute != last_minute or cell is None:
                last_minute = minute
                cell = cells.get(minute)
                if cell is None:
                    cell = cells[minute] = Distribution()
                    if defaults:
                        defaults.pop(minute, None)
            cell.add(value)

    def add_default(self, key: MetricKey, timestamp_ms: int, default_value: float) -> None:
        """An event was ingested at `timestamp_ms` without producing a datapoint for `key`."""
        minute = timestamp_ms - timestamp_ms % MINUTE_MS
        cells = self._cells.get(key)
        if cells is None or minute not in cells:
            self._defaults.setdefault(key, {})[minute] = default_value

    def keys(self) -> list[MetricKey]:
        """Every metric with at least one datapoint or default, sorted."""
        return sorted(self._cells.keys() | self._defaults.keys())

    def datapoints(
        self,
        key: MetricKey,
        statistic: str,
        period_seconds: int = 60,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> list[tuple[int, float]]:
        """(period start in ms, value) pairs, oldest first, for periods starting in `[start_ms, end_ms)`."""
        _check_period(period_seconds)
        if not is_statistic(statistic):
            raise ValueError(f"unknown statistic {statistic!r}")
        if statistic in STATISTICS:
            return self._basic_datapoints(key, statistic, period_seconds * 1000, start_ms, end_ms)
        points = []
        periods = self._periods(key, period_seconds * 1000, start_ms, end_ms)
        for period_start, distribution in sorted(periods.items()):
            if (start_ms is None or period_start >= start_ms) and (end_ms is None or period_start < end_ms):
                value = distribution.statistic(statistic)
                if value is not None:
                    points.append((period_start, value))
        return points

    def get_metric_data(
        self,
        queries: Sequence[Mapping[str, Any]],
        start: datetime,
        end: datetime,
        scan_by: str = "TimestampDescending",
    ) -> dict[str, Any]:
        """A GetMetricData response for `MetricDataQueries` made of `MetricStat` queries."""
        if scan_by not in ("TimestampDescending", "TimestampAscending"):
            raise ValueError(f"ScanBy must be TimestampDescending or TimestampAscending, got {scan_by!r}")
        start_ms, end_ms = _epoch_ms(start), _epoch_ms(end)
        results = [
            self._query_result(query, start_ms, end_ms, scan_by == "TimestampDescending")
            for query in queries
            if query.get("ReturnData", True)
        ]
        return {"MetricDataResults": results, "Messages": []}

    def _query_result(
        self, query: Mapping[str, Any], start_ms: int, end_ms: int, newest_first: bool
    ) -> dict[str, Any]:
        query_id = query.get("Id", "")
        if not _QUERY_ID.fullmatch(query_id):
            raise ValueError(
                f"query Id must start with a lowercase letter (letters, digits, _): {query_id!r}"
            )
        stat = query.get("MetricStat")
        if stat is None:
            raise ValueError(f"query {query_id}: only MetricStat queries are supported locally")
        key = MetricKey.from_metric(stat["Metric"])
        points = self.datapoints(key, stat["Stat"], stat["Period"], start_ms, end_ms)
        if newest_first:
            points.reverse()
        return {
            "Id": query_id,
            "Label": query.get("Label", key.name),
            "Timestamps": [datetime.fromtimestamp(point / 1000, UTC) for point, _ in points],
            "Values": [value for _, value in points],
            "StatusCode": "Complete",
        }

    def _basic_datapoints(
        self, key: MetricKey, statistic: str, period_ms: int, start_ms: int | None, end_ms: int | None
    ) -> list[tuple[int, float]]:
        """`datapoints` for the five basic statistics, without merging samples into new distributions.

        It adds up counts, totals, minima and maxima cell by cell in the order `_periods` merges them
        (cells, then default values, minute order as `_minutes_within` gives it), so every value is the
        very float `_periods(...)[start].statistic(statistic)` gives.
        """
        cells = self._cells.get(key, {})
        defaults = self._defaults.get(key, {})
        periods: dict[int, _Aggregate] = {}
        if period_ms == MINUTE_MS and not defaults:
            for minute, cell in cells.items():
                periods[minute] = _Aggregate(cell.count, cell.total, cell.minimum, cell.maximum)
        else:
            for minute, cell in _minutes_within(cells, period_ms, start_ms, end_ms):
                _aggregate_of(periods, minute - minute % period_ms).merge(cell)
            for minute, default_value in _minutes_within(defaults, period_ms, start_ms, end_ms):
                _aggregate_of(periods, minute - minute % period_ms).add(default_value)
        return [
            (period_start, aggregate.statistic(statistic))
            for period_start, aggregate in sorted(periods.items())
            if (start_ms is None or period_start >= start_ms) and (end_ms is None or period_start < end_ms)
        ]

    def _periods(
        self, key: MetricKey, period_ms: int, start_ms: int | None = None, end_ms: int | None = None
    ) -> dict[int, Distribution]:
        """The key's periods; with both bounds, only those starting in `[start_ms, end_ms)` are merged."""
        cells = self._cells.get(key, {})
        defaults = self._defaults.get(key, {})
        if period_ms == MINUTE_MS and not defaults:
            return cells
        periods: dict[int, Distribution] = {}
        for minute, cell in _minutes_within(cells, period_ms, start_ms, end_ms):
            _period_cell(periods, minute - minute % period_ms).merge(cell)
        for minute, default_value in _minutes_within(defaults, period_ms, start_ms, end_ms):
            _period_cell(periods, minute - minute % period_ms).add(default_value)
        return periods


def _minutes_within(
    by_minute: dict[int, _Value], period_ms: int, start_ms: int | None, end_ms: int | None
) -> Iterable[tuple[int, _Value]]:
    """The minutes of periods starting in `[start_ms, end_ms)` (every minute when a bound is missing).

    An alarm reads a few periods of a long series again and again, so a short window is looked up minute
    by minute instead of walking the whole series.
    """
    if start_ms is None or end_ms is None:
        return by_minute.items()
    first_ms = -(-start_ms // period_ms) * period_ms
    last_ms = -(-end_ms // period_ms) * period_ms
    if (last_ms - first_ms) // MINUTE_MS >= len(by_minute):
        return [(minute, value) for minute, value in by_minute.items() if first_ms <= minute < last_ms]
    return [
        (minute, by_minute[minute]) for minute in range(first_ms, last_ms, MINUTE_MS) if minute in by_minute
    ]


class _Aggregate:
    """A period's count, total, minimum and maximum: what the basic statistics need of a Distribution."""

    __slots__ = ("count", "maximum", "minimum", "total")

    def __init__(
        self, count: int = 0, total: float = 0.0, minimum: float = math.inf, maximum: float = -math.inf
    ) -> None:
        self.count = count
        self.total = total
        self.minimum = minimum
        self.maximum = maximum

    def add(self, value: float) -> None:
        """As `Distribution.add` updates these four."""
        self.count += 1
        self.total += value
        self.minimum = min(self.minimum, value)
        self.maximum = max(self.maximum, value)

    def merge(self, other: Distribution) -> None:
        """As `Distribution.merge` updates these four."""
        self.count += other.count
        self.total += other.total
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)

    def statistic(self, name: str) -> float:
        """As `Distribution.statistic` computes the basic statistics (a period here is never empty)."""
        if name == "SampleCount":
            return float(self.count)
        if name == "Sum":
            return self.total
        if name == "Average":
            return self.total / self.count
        if name == "Minimum":
            return self.minimum
        return self.maximum


def _aggregate_of(periods: dict[int, _Aggregate], period_start: int) -> _Aggregate:
    aggregate = periods.get(period_start)
    if aggregate is None:
        aggregate = periods[period_start] = _Aggregate()
    return aggregate


def _period_cell(periods: dict[int, Distribution], period_start: int) -> Distribution:
    cell = periods.get(period_start)
    if cell is None:
        cell = periods[period_start] = Distribution()
    return cell


def _check_period(period_seconds: int) -> None:
    if not isinstance(period_seconds, int) or period_seconds < 60 or period_seconds % 60:
        raise ValueError(f"Period must be a positive multiple of 60 seconds, got {period_seconds!r}")


def _epoch_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("StartTime and EndTime need a time zone")
    return int(moment.timestamp() * 1000)
