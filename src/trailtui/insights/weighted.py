"""Running a `stats` query once per distinct combination of the values it reads, weighted by how many
records share it, with exactly the answer of running it once per record.

The streaming part and the first `stats` of such a query read only a few fields, so many records look
alike to it. Each combination is run through the query once, as a stand-in record holding just those
values, and its groups' aggregators take it `weight` times: `count` adds the weight; `count_distinct`,
`min`, `max`, `earliest` and `latest` see the value once (seeing it again would change nothing); `sum`,
`avg` and `pct` see it as often as it occurs. `stddev` is left out (its float updates depend on order).
Combinations are taken in order of first appearance, so groups are made in the order a scan makes them.
A time read only through one `bin(period)` call can be counted by bucket.

Used by the session cache (combinations of cached codes) and by cold scans that read only some members of
each record (combinations of raw values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trailtui.events.model import Event
from trailtui.insights import ast
from trailtui.insights.aggregates import (
    CountAggregator,
    PercentileAggregator,
    StandardDeviationAggregator,
    SumAggregator,
)
from trailtui.insights.checks import IMPLICIT_TIMESTAMP_FUNCTIONS, parse_outputs
from trailtui.insights.compiler import ExpressionCompiler, Record, Scope
from trailtui.insights.steps import BarrierStep, StatsStep, hashable_values
from trailtui.insights.values import QueryContext, Timestamp

TIMESTAMP = "@timestamp"
TIME_FIELDS = frozenset({"@timestamp", "@ingestionTime"})
REPEATED_BY_WEIGHT = (SumAggregator, PercentileAggregator)
"""Aggregators that must see a value as often as it occurs (`avg` is a SumAggregator)."""


def fields_read_before_stats(query: ast.Query, column_of: Callable[[str], str | None]) -> list[str] | None:
    """What the streaming part and the first `stats` read, as `column_of` names each field read (None:
    it cannot be read that way); TIMESTAMP when a function reads the time implicitly. None when some
    field cannot be read, or the query has no `stats` before its first sort, limit or dedup."""
    defined: set[str] = set()
    needed: dict[str, None] = {}

    def need(expression: ast.Expression) -> bool:
        for node in ast.walk(expression):
            if isinstance(node, ast.Call) and node.key in IMPLICIT_TIMESTAMP_FUNCTIONS:
                needed[TIMESTAMP] = None
            if isinstance(node, ast.Field) and not _resolves(node.name, defined, needed, column_of):
                return False
        return True

    for command in query.commands:
        match command:
            case ast.Stats(items=items, by=by):
                return list(needed) if all(need(item.expression) for item in (*items, *by)) else None
            case ast.Filter(condition=condition):
                if not need(condition):
                    return None
            case ast.Fields(items=items):
                if not all(need(item.expression) for item in items):
                    return None
                defined.update(item.name for item in items if not isinstance(item.expression, ast.Field))
                defined.update(item.alias for item in items if item.alias is not None)
            case ast.Parse(source=source):
                if source is None or not need(source):
                    return None
                defined.update(parse_outputs(command))
            case ast.Unnest(field=unnested, into=into):
                if not need(unnested):
                    return None
                defined.add(into)
            case ast.Sort() | ast.Limit() | ast.Dedup():
                return None
    return None


@dataclass(frozen=True, slots=True)
class ProjectedRead:
    """What a query reads of each record: some top-level keys, and the time through one `bin` call."""

    keys: tuple[str, ...]
    bin_call: ast.Call | None


def projected_read(query: ast.Query, barrier: BarrierStep) -> ProjectedRead | None:
    """What a query reads, when it reads nothing else and can run by combination: a `stats` query
    (weights exact) whose streaming part and `stats` read only log fields and, at most, the time through
    one `bin(period)` call (no other system field). A dotted field needs every key its path could be
    read through (`a`, `a.b` for `a.b`: a key may itself hold dots)."""
    if not isinstance(barrier, StatsStep) or not weights_exact(barrier):
        return None
    needed = fields_read_before_stats(
        query, lambda name: TIMESTAMP if name in TIME_FIELDS else None if name.startswith("@") else name
    )
    if needed is None:
        return None
    bin_call = None
    if TIMESTAMP in needed:
        bin_call = single_bin_call(query)
        if bin_call is None or barrier.needs_time:
            return None
    keys: dict[str, None] = {}
    for name in needed:
        if name != TIMESTAMP:
            segments = name.split(".")
            keys.update(dict.fromkeys(".".join(segments[:cut]) for cut in range(1, len(segments) + 1)))
    return ProjectedRead(tuple(keys), bin_call)


def time_buckets(call: ast.Call, context: QueryContext) -> Callable[[list[int]], dict[int, int] | None]:
    """For a query reading the time only through `call` (`bin(period)`): the bucket of each of some
    times, found by binary search along them sorted (`bin` rounds down, so a bucket is one run). None
    when a bucket is not a time that bins to itself, so cannot stand in for its times."""
    compiled = ExpressionCompiler(Scope(), context).compile(call)

    def bucket(moment: int) -> Any:
        return compiled(Record(Event({}, moment, "", 0, "", ""), {}))

    def buckets(times: list[int]) -> dict[int, int] | None:
        ordered = sorted(set(times))
        found: dict[int, int] = {}
        start = 0
        while start < len(ordered):
            value = bucket(ordered[start])
            if type(value) is not Timestamp or bucket(int(value)) != value:
                return None
            low, high = start, len(ordered) - 1
            while low < high:  # the last time in the same bucket
                middle = (low + high + 1) // 2
                if bucket(ordered[middle]) == value:
                    low = middle
                else:
                    high = middle - 1
            found.update(dict.fromkeys(ordered[start : low + 1], int(value)))
            start = low + 1
        return found

    return buckets


def _resolves(
    name: str, defined: set[str], needed: dict[str, None], column_of: Callable[[str], str | None]
) -> bool:
    segments = name.split(".")
    if any(".".join(segments[:cut]) in defined for cut in range(1, len(segments) + 1)):
        return True
    column = column_of(name)
    if column is None:
        return False
    needed[column] = None
    return True


def single_bin_call(query: ast.Query) -> ast.Call | None:
    """The one `bin(...)` call the streaming part and the first `stats` make, if @timestamp is read
    nowhere else."""
    calls: set[ast.Call] = set()
    for command in query.commands:
        expressions: list[ast.Expression] = []
        match command:
            case ast.Filter(condition=condition):
                expressions = [condition]
            case ast.Fields(items=items):
                expressions = [item.expression for item in items]
            case ast.Parse(source=source) if source is not None:
                expressions = [source]
            case ast.Unnest(field=unnested):
                expressions = [unnested]
            case ast.Stats(items=items, by=by):
                expressions = [item.expression for item in (*items, *by)]
        for expression in expressions:
            for node in ast.walk(expression):
                if isinstance(node, ast.Field) and node.name in TIME_FIELDS:
                    return None
                if isinstance(node, ast.Call) and node.key in IMPLICIT_TIMESTAMP_FUNCTIONS:
                    if node.key != "bin" or not all(
                        isinstance(argument, ast.DurationLiteral) for argument in node.args
                    ):
                        return None
                    calls.add(node)
        if isinstance(command, ast.Stats):
            break
    return next(iter(calls)) if len(calls) == 1 else None


def weights_exact(step: StatsStep) -> bool:
    """Aggregators a weighted add keeps exact (the standard deviation's float updates depend on order)."""
    return not any(
        isinstance(slot.factory(slot.constants), StandardDeviationAggregator) for slot in step.slots
    )


def add_weighted(step: StatsStep, table: Any, record: Record, weight: int) -> None:
    """`StatsStep.add` for `weight` identical records."""
    values = tuple([read(record) for read in step.group_readers])
    key = hashable_values(values)
    group = table.groups.get(key)
    if group is None:
        group = table.new_group(key, values, step.slots)
    timestamp_ms = step.timestamp_ms(record) if step.needs_time else 0
    for read, aggregator in zip(step.slot_readers, group[1], strict=True):
        value = True if read is None else read(record)
        if isinstance(aggregator, CountAggregator):
            if value is not None:
                aggregator.records += weight
        elif isinstance(aggregator, REPEATED_BY_WEIGHT):
            for _ in range(weight):
                aggregator.add(value, timestamp_ms)
        else:
            aggregator.add(value, timestamp_ms)
