"""The `stats` functions of Logs Insights (spec §9.8): one aggregator class each, one table.

An aggregator sees `add(value, timestamp_ms)` once per record of its group (`None` = field missing),
can absorb a partial computed elsewhere with `merge(other)` (in record order: `other` holds records that
came after this one's), and answers `result()` (`None` = nothing to show). Aggregators are plain classes
with `__slots__`, so partials pickle across processes.

Decisions on points the documentation leaves open:
- Every aggregator ignores missing values; numeric aggregates (`sum`, `avg`, `pct`, `stddev`) also ignore
  values that are not numbers (spec §8.2). Over no usable value they give a missing result; `count` gives 0.
- `count_distinct` is exact and counts distinct rendered texts (`1` and `"1"` are one value).
- `sum` is exact for integers and correctly rounded for floats (Shewchuk partials), so a merged result is
  identical to a single pass; an all-integer sum stays an integer. `avg` is a float.
- `min`/`max`: when any value is numeric the result is the smallest/largest number (timestamps stay
  timestamps); otherwise the first/last value in natural sort order (§4.5). Ties keep the first seen.
- `pct(f, p)`: nearest rank — the value at rank ⌈p/100 · n⌉ (at least 1) of the sorted numbers, `p`
  clamped to 0–100. It keeps every numeric value of the group in memory (8–32 bytes each); a sketch can
  replace it if groups of tens of millions of values become common.
- `stddev`: sample standard deviation (n − 1), computed with Welford/Chan updates; fewer than two values
  give a missing result.
- `earliest`/`latest`: the value from the record with the smallest/largest timestamp among records where the
  field is present; ties keep the first seen. `sortsFirst`/`sortsLast`: natural sort order, ties first seen.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from trailtui.insights.values import natural_sort_key, render, to_number


class Aggregator:
    """Base of every aggregator: add one record's value, merge a later partial, read the result."""

    __slots__ = ()

    @classmethod
    def from_arguments(cls, constants: list[Any]) -> Self:
        """Build from the constant arguments that follow the field (none for most functions)."""
        return cls()

    def add(self, value: Any, timestamp_ms: int) -> None:
        raise NotImplementedError

    def merge(self, other: Self) -> None:
        raise NotImplementedError

    def result(self) -> Any:
        raise NotImplementedError

    def _check_same_kind(self, other: Aggregator) -> None:
        if type(other) is not type(self):
            raise TypeError(f"cannot merge {type(other).__name__} into {type(self).__name__}")


def comparable_number(value: Any) -> int | float | None:
    """The number a value stands for, keeping Timestamps as they are; None for non-numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return to_number(value)


class ExactFloatSum:
    """Correctly rounded float sum kept as non-overlapping partials (Shewchuk), mergeable without loss.

    Infinities and NaN are summed apart, so they propagate as IEEE arithmetic would without disturbing
    the partials; a finite total that overflows becomes an infinity the same way.
    """

    __slots__ = ("non_finite", "partials")

    def __init__(self) -> None:
        self.partials: list[float] = []
        self.non_finite = 0.0

    def add(self, number: float) -> None:
        if not math.isfinite(number):
            self.non_finite += number
            return
        kept = 0
        for partial in self.partials:
            if abs(number) < abs(partial):
                number, partial = partial, number
            high = number + partial
            if not math.isfinite(high):
                self.non_finite += high
                del self.partials[kept:]
                return
            low = partial - (high - number)
            if low:
                self.partials[kept] = low
                kept += 1
            number = high
        self.partials[kept:] = [number]

    def merge(self, other: ExactFloatSum) -> None:
        for partial in other.partials:
            self.add(partial)
        self.non_finite += other.non_finite

    def total(self) -> float:
        try:
            return math.fsum(self.partials) + self.non_finite
        except OverflowError:
            return math.copysign(math.inf, self.partials[-1]) + self.non_finite


class CountAggregator(Aggregator):
    """`count(f)`: records where the value is present (`count(*)` is fed `True` for every record)."""

    __slots__ = ("records",)

    def __init__(self) -> None:
        self.records = 0

    def add(self, value: Any, timestamp_ms: int) -> None:
        if value is not None:
            self.records += 1

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        self.records += other.records

    def result(self) -> int:
        return self.records


class CountDistinctAggregator(Aggregator):
    """`count_distinct(f)`: number of distinct rendered values, exact."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def add(self, value: Any, timestamp_ms: int) -> None:
        text = render(value)
        if text is not None:
            self.seen.add(text)

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        self.seen |= other.seen

    def result(self) -> int:
        return len(self.seen)


class SumAggregator(Aggregator):
    """`sum(f)`: exact integer total plus a correctly rounded float total."""

    __slots__ = ("float_total", "floats_seen", "integer_total", "numbers_seen")

    def __init__(self) -> None:
        self.integer_total = 0
        self.float_total = ExactFloatSum()
        self.numbers_seen = 0
        self.floats_seen = False

    def add(self, value: Any, timestamp_ms: int) -> None:
        number = to_number(value)
        if number is None:
            return
        self.numbers_seen += 1
        if isinstance(number, float):
            self.floats_seen = True
            self.float_total.add(number)
        else:
            self.integer_total += number

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        self.integer_total += other.integer_total
        self.float_total.merge(other.float_total)
        self.numbers_seen += other.numbers_seen
        self.floats_seen = self.floats_seen or other.floats_seen

    def result(self) -> int | float | None:
        if not self.numbers_seen:
            return None
        if not self.floats_seen:
            return self.integer_total
        return self.float_total.total() + _as_float(self.integer_total)


def _as_float(integer: int) -> float:
    try:
        return float(integer)
    except OverflowError:
        return math.copysign(math.inf, integer)


class AverageAggregator(SumAggregator):
    """`avg(f)`: mean of the numeric values, as a float."""

    __slots__ = ()

    def result(self) -> float | None:
        total = super().result()
        return None if total is None else total / self.numbers_seen


class ExtremeAggregator(Aggregator):
    """Shared by `min` and `max`: best number if any value is numeric, else best value in natural order."""

    __slots__ = ("best_number", "best_other")
    wanted_sign = 1

    def __init__(self) -> None:
        self.best_number: int | float | None = None
        self.best_other: Any = None

    def add(self, value: Any, timestamp_ms: int) -> None:
        if value is None or isinstance(value, dict | list):
            return
        number = comparable_number(value)
        if number is not None:
            if self.best_number is None or _sign(number, self.best_number) == self.wanted_sign:
                self.best_number = number
        elif self.best_other is None or _natural_sign(value, self.best_other) == self.wanted_sign:
            self.best_other = value

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        for value in (other.best_number, other.best_other):
            self.add(value, 0)

    def result(self) -> Any:
        return self.best_other if self.best_number is None else self.best_number


class MinAggregator(ExtremeAggregator):
    """`min(f)`."""

    __slots__ = ()
    wanted_sign = -1


class MaxAggregator(ExtremeAggregator):
    """`max(f)`."""

    __slots__ = ()
    wanted_sign = 1


def _sign(left: Any, right: Any) -> int:
    return (left > right) - (left < right)


def _natural_sign(left: Any, right: Any) -> int:
    return _sign(natural_sort_key(left), natural_sort_key(right))


class PercentileAggregator(Aggregator):
    """`pct(f, p)`: nearest-rank percentile over every numeric value of the group."""

    __slots__ = ("numbers", "percentile")

    def __init__(self, percentile: float = 50.0) -> None:
        self.percentile = min(max(percentile, 0.0), 100.0)
        self.numbers: list[int | float] = []

    @classmethod
    def from_arguments(cls, constants: list[Any]) -> Self:
        percentile = to_number(constants[0]) if constants else None
        if percentile is None or (isinstance(percentile, float) and math.isnan(percentile)):
            raise ValueError(f"pct needs a numeric percentile, got {constants!r}")
        return cls(float(percentile))

    def add(self, value: Any, timestamp_ms: int) -> None:
        number = comparable_number(value)
        if number is not None and not (isinstance(number, float) and math.isnan(number)):
            self.numbers.append(number)

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        self.numbers.extend(other.numbers)

    def result(self) -> int | float | None:
        if not self.numbers:
            return None
        ordered = sorted(self.numbers)
        rank = max(math.ceil(self.percentile / 100 * len(ordered)), 1)
        return ordered[rank - 1]


class StandardDeviationAggregator(Aggregator):
    """`stddev(f)`: sample standard deviation (n − 1) by Welford updates and Chan's merge."""

    __slots__ = ("mean", "numbers_seen", "squared_deviations")

    def __init__(self) -> None:
        self.numbers_seen = 0
        self.mean = 0.0
        self.squared_deviations = 0.0

    def add(self, value: Any, timestamp_ms: int) -> None:
        number = to_number(value)
        if number is None:
            return
        self.numbers_seen += 1
        delta = number - self.mean
        self.mean += delta / self.numbers_seen
        self.squared_deviations += delta * (number - self.mean)

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        combined = self.numbers_seen + other.numbers_seen
        if other.numbers_seen == 0:
            return
        delta = other.mean - self.mean
        self.squared_deviations += (
            other.squared_deviations + delta * delta * self.numbers_seen * other.numbers_seen / combined
        )
        self.mean += delta * other.numbers_seen / combined
        self.numbers_seen = combined

    def result(self) -> float | None:
        if self.numbers_seen < 2:
            return None
        return math.sqrt(max(self.squared_deviations, 0.0) / (self.numbers_seen - 1))


class TimedChoiceAggregator(Aggregator):
    """Shared by `earliest` and `latest`: keep the value whose timestamp is strictly better."""

    __slots__ = ("best_timestamp_ms", "best_value")
    wanted_sign = -1

    def __init__(self) -> None:
        self.best_timestamp_ms: int | None = None
        self.best_value: Any = None

    def add(self, value: Any, timestamp_ms: int) -> None:
        if value is None:
            return
        if self.best_timestamp_ms is None or _sign(timestamp_ms, self.best_timestamp_ms) == self.wanted_sign:
            self.best_timestamp_ms = timestamp_ms
            self.best_value = value

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        if other.best_timestamp_ms is not None:
            self.add(other.best_value, other.best_timestamp_ms)

    def result(self) -> Any:
        return self.best_value


class EarliestAggregator(TimedChoiceAggregator):
    """`earliest(f)`."""

    __slots__ = ()
    wanted_sign = -1


class LatestAggregator(TimedChoiceAggregator):
    """`latest(f)`."""

    __slots__ = ()
    wanted_sign = 1


class NaturalChoiceAggregator(Aggregator):
    """Shared by `sortsFirst` and `sortsLast`: keep the value that sorts strictly further in natural order."""

    __slots__ = ("best_value",)
    wanted_sign = -1

    def __init__(self) -> None:
        self.best_value: Any = None

    def add(self, value: Any, timestamp_ms: int) -> None:
        if value is None or isinstance(value, dict | list):
            return
        if self.best_value is None or _natural_sign(value, self.best_value) == self.wanted_sign:
            self.best_value = value

    def merge(self, other: Self) -> None:
        self._check_same_kind(other)
        self.add(other.best_value, 0)

    def result(self) -> Any:
        return self.best_value


class SortsFirstAggregator(NaturalChoiceAggregator):
    """`sortsFirst(f)`."""

    __slots__ = ()
    wanted_sign = -1


class SortsLastAggregator(NaturalChoiceAggregator):
    """`sortsLast(f)`."""

    __slots__ = ()
    wanted_sign = 1


@dataclass(frozen=True)
class AggregateFunction:
    """One `stats` function: documented spelling, arity (field included), aggregator factory, doc."""

    name: str
    min_args: int
    max_args: int | None
    factory: Callable[[list[Any]], Aggregator]
    doc: str


def _aggregate(
    name: str, min_args: int, max_args: int | None, aggregator: type[Aggregator], doc: str
) -> AggregateFunction:
    return AggregateFunction(name, min_args, max_args, aggregator.from_arguments, doc)


_DEFINITIONS = (
    _aggregate("count", 0, 1, CountAggregator, "Records, or records with f present."),
    _aggregate("count_distinct", 1, 1, CountDistinctAggregator, "Distinct values of f."),
    _aggregate("sum", 1, 1, SumAggregator, "Sum of the numeric values."),
    _aggregate("avg", 1, 1, AverageAggregator, "Mean of the numeric values."),
    _aggregate("min", 1, 1, MinAggregator, "Smallest value."),
    _aggregate("max", 1, 1, MaxAggregator, "Largest value."),
    _aggregate("pct", 2, 2, PercentileAggregator, "p-th percentile (nearest rank)."),
    _aggregate("stddev", 1, 1, StandardDeviationAggregator, "Sample standard deviation."),
    _aggregate("earliest", 1, 1, EarliestAggregator, "Value from the earliest record."),
    _aggregate("latest", 1, 1, LatestAggregator, "Value from the latest record."),
    _aggregate("sortsFirst", 1, 1, SortsFirstAggregator, "Value that sorts first."),
    _aggregate("sortsLast", 1, 1, SortsLastAggregator, "Value that sorts last."),
)

AGGREGATE_FUNCTIONS: dict[str, AggregateFunction] = {
    function.name.lower(): function for function in _DEFINITIONS
}
