"""Streaming per-period rankings of a rule's contributors, with bounded memory.

A `Ranking` feeds events through a compiled rule and keeps, per time bucket (`bucket_seconds`, aligned to
multiples from the epoch), the matching events' statistics and a `ContributorSketch`. It can be read at any
time, also while another thread is adding events: readers take merged copies under a lock.

How approximate it is (CloudWatch names these values `Approximate…` without documenting its mechanism; the
spec recommends exact values, §7.9, which this is until a bucket overflows):
- Per-contributor values are exact while a bucket holds at most `capacity` distinct contributors. Beyond
  that the sketch becomes a Misra-Gries heavy-hitters summary (weighted, with batched decrements): it drops
  the smaller half of its counters and subtracts the dropped threshold from the rest. A contributor's
  reported value then *under*-estimates its true value by at most `error_bound`, and `error_bound` never
  exceeds (total weight of the bucket) / (capacity // 2 + 1). So any contributor holding more than that
  share survives with its value known within the bound. The guarantee assumes non-negative `ValueOf`
  values; negative ones are summed but void the bound.
- Distinct-contributor counts are exact in the same regime, then a HyperLogLog (2**12 registers, standard
  error about 1.6 %, keyed by a BLAKE2b hash of the key tuple, so results are the same in every run).
- `SampleCount`, `Sum`, `Minimum` and `Maximum` of a bucket are always exact.

Memory: at most `capacity` counters plus 4 KiB of registers per bucket with matching events.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from trailtui.contributors.evaluate import Contribution, Keys, compile_rule_batch
from trailtui.contributors.rules import Rule
from trailtui.events.model import Event

DEFAULT_BUCKET_SECONDS = 60
DEFAULT_CAPACITY = 10_000
HYPERLOGLOG_PRECISION = 12


class DistinctCounter:
    """A HyperLogLog estimate of how many distinct key tuples were added (stdlib only)."""

    __slots__ = ("registers",)

    REGISTER_COUNT = 1 << HYPERLOGLOG_PRECISION
    _HASH_BITS = 64
    _RANK_BITS = _HASH_BITS - HYPERLOGLOG_PRECISION

    def __init__(self) -> None:
        self.registers = bytearray(self.REGISTER_COUNT)

    @classmethod
    def of(cls, keys: Iterable[Keys]) -> DistinctCounter:
        counter = cls()
        for key in keys:
            counter.add(key)
        return counter

    def add(self, key: Keys) -> None:
        joined = "\x1f".join(key).encode("utf-8", "surrogatepass")
        hashed = int.from_bytes(hashlib.blake2b(joined, digest_size=8).digest(), "big")
        register = hashed >> self._RANK_BITS
        remainder = hashed & ((1 << self._RANK_BITS) - 1)
        rank = self._RANK_BITS - remainder.bit_length() + 1
        if rank > self.registers[register]:
            self.registers[register] = rank

    def merge(self, other: DistinctCounter) -> None:
        self.registers = bytearray(map(max, self.registers, other.registers))

    def estimate(self) -> int:
        count = self.REGISTER_COUNT
        alpha = 0.7213 / (1 + 1.079 / count)
        raw = alpha * count * count / sum(2.0**-rank for rank in self.registers)
        empty = self.registers.count(0)
        if raw <= 2.5 * count and empty:
            return round(count * math.log(count / empty))
        return round(raw)


class ContributorSketch:
    """Values per contributor in one period: exact up to `capacity` contributors, then heavy hitters.

    `values` holds each tracked contributor's value (a lower bound once `error_bound` > 0).
    """

    __slots__ = ("_distinct", "capacity", "error_bound", "values")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.values: dict[Keys, float] = {}
        self.error_bound = 0.0
        self._distinct: DistinctCounter | None = None

    @property
    def exact(self) -> bool:
        return self._distinct is None

    def add(self, key: Keys, value: float) -> None:
        values = self.values
        if key in values:
            values[key] += value
            return
        values[key] = value
        if self._distinct is not None:
            self._distinct.add(key)
        if len(values) > self.capacity:
            self._shrink()

    def merge(self, other: ContributorSketch) -> None:
        if other._distinct is not None:
            self._counter().merge(other._distinct)
        for key, value in other.values.items():
            self.add(key, value)
        self.error_bound += other.error_bound

    def unique_count(self) -> int:
        return len(self.values) if self._distinct is None else self._distinct.estimate()

    def _counter(self) -> DistinctCounter:
        if self._distinct is None:
            self._distinct = DistinctCounter.of(self.values)
        return self._distinct

    def _shrink(self) -> None:
        self._counter()
        keep = self.capacity // 2
        threshold = max(heapq.nlargest(keep + 1, self.values.values())[-1], 0.0)
        self.values = {key: value - threshold for key, value in self.values.items() if value > threshold}
        self.error_bound += threshold


class PeriodStats:
    """Everything a report needs about one period: exact event statistics and a contributor sketch."""

    __slots__ = ("contributors", "maximum", "minimum", "sample_count", "total")

    def __init__(self, capacity: int) -> None:
        self.sample_count = 0
        self.total = 0.0
        self.minimum = float("inf")
        self.maximum = float("-inf")
        self.contributors = ContributorSketch(capacity)

    def observe(self, key: Keys, value: float) -> None:
        self.sample_count += 1
        self.total += value
        if value < self.minimum:
            self.minimum = value
        if value > self.maximum:
            self.maximum = value
        self.contributors.add(key, value)

    def observe_ones(self, keys: list[Keys]) -> None:
        """`observe(key, 1.0)` for each key in order (a `Count` rule's contributions to this period).

        Equal to observing one by one when the running total is a whole number, as it always is for a
        ranking that only ever had `Count` rules: `total` then grows by exactly `len(keys)`.
        """
        sketch = self.contributors
        if not keys:
            return
        if sketch._distinct is not None or len(sketch.values) + len(keys) > sketch.capacity:
            for key in keys:  # the sketch may shrink part-way, or has a distinct counter to feed
                self.observe(key, 1.0)
            return
        values = sketch.values
        for key in keys:
            values[key] = values.get(key, 0.0) + 1.0
        self.sample_count += len(keys)
        self.total += len(keys)
        self.minimum = min(self.minimum, 1.0)
        self.maximum = max(self.maximum, 1.0)

    def merge(self, other: PeriodStats) -> None:
        self.sample_count += other.sample_count
        self.total += other.total
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self.contributors.merge(other.contributors)


@dataclass(frozen=True, slots=True)
class Period:
    """One period of a ranking read: its start (epoch milliseconds) and merged statistics."""

    start_ms: int
    stats: PeriodStats


class Ranking:
    """A rule's contributors over time, updated incrementally by `add_batch` and readable at any time."""

    def __init__(
        self, rule: Rule, *, bucket_seconds: int = DEFAULT_BUCKET_SECONDS, capacity: int = DEFAULT_CAPACITY
    ) -> None:
        if bucket_seconds < 1:
            raise ValueError("bucket_seconds must be at least 1")
        if capacity < 2:
            raise ValueError("capacity must be at least 2")
        self.bucket_seconds = bucket_seconds
        self.capacity = capacity
        self._bucket_ms = bucket_seconds * 1000
        self._buckets: dict[int, PeriodStats] = {}
        self._lock = threading.Lock()
        self._rule = rule
        self._contributions = compile_rule_batch(rule)
        self._counts_only = rule.aggregate_on == "Count"

    @property
    def rule(self) -> Rule:
        return self._rule

    def replace_rule(self, rule: Rule) -> None:
        """Evaluate later events with a new definition; what was counted stays (spec §7.11, no backfill)."""
        with self._lock:
            self._rule = rule
            self._contributions = compile_rule_batch(rule)
            self._counts_only = self._counts_only and rule.aggregate_on == "Count"

    def add(self, event: Event) -> bool:
        """Count one event; True if it contributed."""
        return self.add_batch((event,)) == 1

    def add_batch(self, events: Iterable[Event]) -> int:
        """Count a batch of events (in any time order); returns how many contributed."""
        bucket_ms = self._bucket_ms
        buckets = self._buckets
        batch = events if isinstance(events, Sequence) else list(events)
        with self._lock:
            contributions = self._contributions(batch)
            if self._counts_only:
                self._add_counts(contributions)
                return len(contributions)
            for event, (key, value) in contributions:
                start_ms = event.timestamp_ms - event.timestamp_ms % bucket_ms
                stats = buckets.get(start_ms)
                if stats is None:
                    stats = buckets[start_ms] = PeriodStats(self.capacity)
                stats.observe(key, value)
        return len(contributions)

    def _add_counts(self, contributions: list[tuple[Event, Contribution]]) -> None:
        """Count rules only (every value 1.0, every total a whole number): each bucket's keys at once.

        Buckets are independent, so observing each bucket's keys in batch order, buckets created in order
        of first appearance, is observing the batch one by one. Events in time order (as a replay
        delivers them) are cut into buckets by bisection.
        """
        bucket_ms = self._bucket_ms
        times = [event.timestamp_ms for event, _ in contributions]
        keys = [result[0] for _, result in contributions]
        runs: dict[int, list[Keys]] = {}
        if times == sorted(times):
            first = 0
            while first < len(times):
                start_ms = times[first] - times[first] % bucket_ms
                end = bisect_left(times, start_ms + bucket_ms, first)
                runs[start_ms] = keys[first:end]
                first = end
        else:
            for time_ms, key in zip(times, keys, strict=True):
                start_ms = time_ms - time_ms % bucket_ms
                run = runs.get(start_ms)
                if run is None:
                    run = runs[start_ms] = []
                run.append(key)
        buckets = self._buckets
        for start_ms, run in runs.items():
            stats = buckets.get(start_ms)
            if stats is None:
                stats = buckets[start_ms] = PeriodStats(self.capacity)
            stats.observe_ones(run)

    def periods(self, start_ms: int, end_ms: int, period_seconds: int) -> list[Period]:
        """Merged copies of the epoch-aligned periods overlapping buckets in [start_ms, end_ms), by start.

        Only periods with matching events are listed. `period_seconds` must be a multiple of
        `bucket_seconds`.
        """
        if period_seconds % self.bucket_seconds:
            raise ValueError(f"period must be a multiple of {self.bucket_seconds} seconds")
        period_ms = period_seconds * 1000
        merged: dict[int, PeriodStats] = {}
        with self._lock:
            for bucket_start_ms, stats in self._buckets_between(start_ms, end_ms):
                period_start_ms = bucket_start_ms - bucket_start_ms % period_ms
                target = merged.get(period_start_ms)
                if target is None:
                    target = merged[period_start_ms] = PeriodStats(self.capacity)
                target.merge(stats)
        return [Period(start, merged[start]) for start in sorted(merged)]

    def _buckets_between(self, start_ms: int, end_ms: int) -> Iterator[tuple[int, PeriodStats]]:
        return ((start, stats) for start, stats in self._buckets.items() if start_ms <= start < end_ms)
