"""Runs a compiled Logs Insights query over events, in parallel-friendly phases.

A query splits at its first barrier command (`stats`, `sort`, `limit` or `dedup`; the end of the query if
it has none). `scan` streams one partition of events through the commands before the barrier and feeds
the barrier's state; `merge` combines the states of several partitions (in partition order); `finish`
turns the merged state into rows, runs the remaining commands in memory and shapes the GetQueryResults
response. A worker process needs only the query text and its events: `CompiledQuery` pickles as its text,
and `Partial` holds plain data.

Memory grows with groups, sort buffers and kept rows, not with events scanned: without `sort`, rows are
kept newest first up to the output limit; `sort` followed only by row-preserving commands keeps a bounded
buffer; `stats` keeps one set of aggregators per group.

Decisions (spec §10, §12): at most 10,000 rows without `limit`; with both a query `limit` and an API limit
the smaller wins; the time range is inclusive in milliseconds (`start_ms <= @timestamp <= end_ms`; a caller
holding AWS seconds passes `end * 1000 + 999`); `stats` groups come in order of first appearance;
`recordsMatched` counts records reaching the first barrier; `bytesScanned` is the UTF-8 length of
`@message` unless the caller supplies `size_of` (a reader that knows each record's size on disk should,
since computing `@message` serialises the event).
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from trailtui.events.model import Event
from trailtui.insights import ast
from trailtui.insights.checks import check_query, parse_outputs
from trailtui.insights.compiler import ExpressionCompiler, Getter, Record, Scope
from trailtui.insights.errors import QueryWarning
from trailtui.insights.parser import parse_query
from trailtui.insights.results import ScanStatistics, query_results
from trailtui.insights.steps import (
    BarrierState,
    BarrierStep,
    DedupStep,
    EndStep,
    LimitStep,
    RecordStep,
    SortStep,
    StatsStep,
    fields_step,
    filter_step,
    parse_step,
    pass_through_step,
    unnest_step,
)
from trailtui.insights.values import QueryContext
from trailtui.insights.weighted import add_weighted

DEFAULT_ROW_LIMIT = 10_000
DEFAULT_COLUMNS = ("@timestamp", "@message")
BARRIER_COMMANDS = (ast.Stats, ast.Sort, ast.Limit, ast.Dedup)
ROW_PRESERVING_COMMANDS = (ast.Fields, ast.Display, ast.Unmask)

InMemoryStep = Callable[[list[Record]], list[Record]]
SizeOf = Callable[[Event], int]


@dataclass(frozen=True)
class CompiledQuery:
    """A parsed and checked query, with the warnings it deserves. Pickles as its text."""

    text: str
    query: ast.Query
    warnings: tuple[QueryWarning, ...] = ()

    def __reduce__(self) -> tuple[Callable[[str], CompiledQuery], tuple[str]]:
        return (compile_query, (self.text,))


@dataclass(frozen=True)
class RunOptions:
    """Per-run settings: inclusive time range in epoch ms, the API's row limit, and the clock for `now()`."""

    start_ms: int | None = None
    end_ms: int | None = None
    limit: int | None = None
    now_ms: int = field(default_factory=lambda: time.time_ns() // 1_000_000)

    @property
    def context(self) -> QueryContext:
        return QueryContext(self.start_ms, self.end_ms, self.now_ms)


@dataclass
class Partial:
    """What scanning one partition produced: its statistics and the first barrier's state."""

    statistics: ScanStatistics
    state: BarrierState


def compile_query(text: str) -> CompiledQuery:
    """Parse and check a query; MalformedQueryError (with line and column) if it cannot run."""
    query = parse_query(text)
    warnings = check_query(query)
    return CompiledQuery(text, query, tuple(warnings))


def scan(
    compiled: CompiledQuery, events: Iterable[Event], options: RunOptions, size_of: SizeOf | None = None
) -> Partial:
    """Stream a partition of events through the commands before the first barrier into its state."""
    scanner = Scanner(compiled, options)
    scanner.feed(events, size_of)
    return scanner.partial()


class Scanner:
    """`scan` fed in batches (one file at a time, say): the query is planned once for them all."""

    def __init__(self, compiled: CompiledQuery, options: RunOptions) -> None:
        self.plan = Plan(compiled.query, options)
        self.options = options
        self.statistics = ScanStatistics()
        self.state = self.plan.barrier.new_state()
        self.full_states: list[BarrierState] = []
        self.stopped = False
        self.fed = False
        self.can_stop = isinstance(self.plan.barrier, LimitStep) and self.plan.barrier.any

    def feed(
        self, events: Iterable[Event], size_of: SizeOf | None = None, event_size: int | None = None
    ) -> None:
        """Scan one more batch of events (in partition order).

        A barrier that can stop early (`limit any`) gets a new state per batch, as if each batch were a
        partition of its own (so the answer does not depend on how batches are grouped into chunks);
        the states merge in order at the end.
        """
        if self.stopped or (self.can_stop and self.fed):
            self.full_states.append(self.state)
            self.state = self.plan.barrier.new_state()
            self.stopped = False
        self.fed = True
        statistics = self.statistics
        records: Iterable[Record]
        options = self.options
        if (
            event_size is not None
            and isinstance(events, list)
            and options.start_ms is None
            and options.end_ms is None
        ):
            statistics.records_scanned += len(events)
            statistics.bytes_scanned += event_size * len(events)
            statistics.accounts.update(map(_account_of, events))
            records = map(_new_record, events)
        else:
            sizer = size_of or (message_size if event_size is None else (lambda _event: event_size))
            records = _records_in_range(events, options, statistics, sizer)
        for step in self.plan.prefix:
            records = step(records)
        add = self.plan.barrier.add
        state = self.state
        matched = 0
        for record in records:
            matched += 1
            if not add(state, record):  # type: ignore[arg-type]
                self.stopped = True
                break
        statistics.records_matched += matched

    def feed_weighted(self, stand_ins: Iterable[tuple[Event, int]], event_size: int) -> None:
        """Scan events given once per kind: each stands for `weight` events that read alike to the query.

        Only for a run without a time range whose barrier is a `stats` that weighted adds keep exact
        (`weighted.weights_exact`); every stand-in is in the run, so all its events count as scanned.
        """
        statistics, barrier, state = self.statistics, self.plan.barrier, self.state
        assert isinstance(barrier, StatsStep)
        self.fed = True
        matched = 0
        for event, weight in stand_ins:
            statistics.records_scanned += weight
            statistics.bytes_scanned += event_size * weight
            statistics.accounts.add(event.account)
            records: Iterable[Record] = [Record(event, {})]
            for step in self.plan.prefix:
                records = step(records)
            for record in records:
                matched += weight
                add_weighted(barrier, state, record, weight)
        statistics.records_matched += matched

    def partial(self) -> Partial:
        state = self.state
        if self.full_states:
            state = self.full_states[0]
            for later in [*self.full_states[1:], self.state]:
                state.merge(later)  # type: ignore[arg-type]
        return Partial(self.statistics, state)


def merge(partials: Iterable[Partial]) -> Partial:
    """Combine partials in partition order (the first one is updated in place and returned)."""
    iterator = iter(partials)
    combined = next(iterator, None)
    if combined is None:
        raise ValueError("merge needs at least one partial")
    for partial in iterator:
        combined.statistics.merge(partial.statistics)
        combined.state.merge(partial.state)  # type: ignore[arg-type]
    return combined


def finish(compiled: CompiledQuery, merged: Partial, options: RunOptions) -> dict[str, Any]:
    """The GetQueryResults response: barrier rows, the remaining commands, the output limit, the shape."""
    plan = Plan(compiled.query, options)
    rows = plan.barrier.rows(merged.state)  # type: ignore[arg-type]
    for step in plan.tail:
        rows = step(rows)
    del rows[plan.output_limit :]
    return query_results(rows, plan.columns, plan.rows_are_events, merged.statistics)


def run_query(
    query: str | CompiledQuery,
    events: Iterable[Event],
    start_ms: int | None = None,
    end_ms: int | None = None,
    limit: int | None = None,
    now_ms: int | None = None,
    size_of: SizeOf | None = None,
) -> dict[str, Any]:
    """Run a query over events in this process and return the GetQueryResults response."""
    compiled = compile_query(query) if isinstance(query, str) else query
    options = (
        RunOptions(start_ms, end_ms, limit) if now_ms is None else RunOptions(start_ms, end_ms, limit, now_ms)
    )
    return finish(compiled, merge([scan(compiled, events, options, size_of)]), options)


def message_size(event: Event) -> int:
    """UTF-8 length of `@message` (what `bytesScanned` counts by default)."""
    message = event.message
    return len(message) if message.isascii() else len(message.encode())


def output_limit(query: ast.Query, api_limit: int | None) -> int:
    """Rows returned at most: the last `limit` of the query and the API limit, the smaller; else 10,000."""
    query_limits = [command.count for command in query.commands if isinstance(command, ast.Limit)]
    if not query_limits:
        return api_limit or DEFAULT_ROW_LIMIT
    return min(query_limits[-1], api_limit) if api_limit else query_limits[-1]


def time_sorted_bound(query: ast.Query, plan: Plan) -> tuple[int, bool] | None:
    """For a query that keeps every record up to a `sort` on the event's own time and then at most N
    rows (only `fields` and `display` before it): N and whether the sort is descending. Each file can
    then give only its N records that sort first (and their ties): no other can reach the answer."""
    barrier = plan.barrier
    if not isinstance(barrier, SortStep) or barrier.bound is None or barrier.by_event_time is None:
        return None
    for command in query.commands:
        if isinstance(command, ast.Sort):
            return barrier.bound, barrier.by_event_time
        if not isinstance(command, ast.Fields | ast.Display):
            return None
    return None


def row_bound(following: Iterable[ast.Command], limit: int) -> int | None:
    """How many ordered rows can matter, given the commands after a barrier; None if all can."""
    for command in following:
        if isinstance(command, ast.Limit):
            return min(command.count, limit)
        if isinstance(command, ast.Parse) and not command.multi:
            continue
        if not isinstance(command, ROW_PRESERVING_COMMANDS):
            return None
    return limit


def _records_in_range(
    events: Iterable[Event], options: RunOptions, statistics: ScanStatistics, size_of: SizeOf
) -> Iterator[Record]:
    start_ms, end_ms = options.start_ms, options.end_ms
    accounts = statistics.accounts
    for event in events:
        timestamp_ms = event.timestamp_ms
        if (start_ms is not None and timestamp_ms < start_ms) or (
            end_ms is not None and timestamp_ms > end_ms
        ):
            continue
        statistics.records_scanned += 1
        statistics.bytes_scanned += size_of(event)
        accounts.add(event.account)
        yield Record(event, {})


_account_of = operator.attrgetter("account")


def _new_record(event: Event) -> Record:
    return Record(event, {})


def _in_memory(step: RecordStep) -> InMemoryStep:
    return lambda rows: list(step(rows))


class Plan:
    """The query compiled for one run: prefix record steps, the first barrier, in-memory tail, columns."""

    def __init__(self, query: ast.Query, options: RunOptions) -> None:
        self.output_limit = output_limit(query, options.limit)
        self.context = options.context
        self.scope = Scope()
        self.prefix: list[RecordStep] = []
        self.barrier: BarrierStep = EndStep(self.output_limit)
        self.tail: list[InMemoryStep] = []
        self.column_names: list[str] = []
        self.display_names: list[str] | None = None
        self.projects_fields = False
        commands = query.commands
        for index, command in enumerate(commands):
            self._add(command, commands[index + 1 :])
        self.rows_are_events = self.scope.has_event
        self.columns = self._columns()

    @property
    def barrier_seen(self) -> bool:
        return not isinstance(self.barrier, EndStep)

    def _add(self, command: ast.Command, following: tuple[ast.Command, ...]) -> None:
        if isinstance(command, BARRIER_COMMANDS):
            step = self._barrier_step(command, following)
            if self.barrier_seen:
                self.tail.append(step.apply)
            else:
                self.barrier = step
            return
        record_step = self._record_step(command)
        if self.barrier_seen:
            self.tail.append(_in_memory(record_step))
        else:
            self.prefix.append(record_step)

    def _compiler(self) -> ExpressionCompiler:
        return ExpressionCompiler(self.scope, self.context)

    def _record_step(self, command: ast.Command) -> RecordStep:
        match command:
            case ast.Fields(items=items):
                step = fields_step(items, self._compiler())
                self.projects_fields = True
                for item in items:
                    self._define(
                        item.name, stored=not (item.alias is None and isinstance(item.expression, ast.Field))
                    )
                return step
            case ast.Filter(condition=condition):
                return filter_step(condition, self._compiler())
            case ast.Parse():
                step = parse_step(command, self._compiler())
                for name in parse_outputs(command):
                    self._define(name)
                return step
            case ast.Unnest(into=into):
                step = unnest_step(command, self._compiler())
                self._define(into)
                return step
            case ast.Display(fields=fields):
                self.display_names = [field.name for field in fields]
        return pass_through_step

    def _barrier_step(self, command: ast.Command, following: tuple[ast.Command, ...]) -> BarrierStep:
        match command:
            case ast.Stats():
                return self._stats_step(command)
            case ast.Sort():
                return SortStep(command, self.scope, row_bound(following, self.output_limit))
            case ast.Dedup():
                return DedupStep(command, self.scope, row_bound(following, self.output_limit))
            case ast.Limit():
                return LimitStep(command)
        raise TypeError(f"not a barrier command: {command!r}")

    def _stats_step(self, command: ast.Stats) -> StatsStep:
        names = [group.name for group in command.by] + [item.name for item in command.items]
        output_scope = Scope(set(names), has_event=False)
        step = StatsStep(command, self._compiler(), output_scope)
        self.scope = output_scope
        self.column_names = names
        self.display_names = None
        return step

    def _define(self, name: str, stored: bool = True) -> None:
        if stored:
            self.scope.defined.add(name)
        if name not in self.column_names:
            self.column_names.append(name)

    def _columns(self) -> list[tuple[str, Getter]]:
        if self.display_names is not None:
            names = self.display_names
        elif self.projects_fields or not self.scope.has_event:
            names = self.column_names
        else:
            names = [*DEFAULT_COLUMNS, *self.column_names]
        unique = [name for name in dict.fromkeys(names) if not (name == "@ptr" and self.rows_are_events)]
        return [(name, self.scope.getter(name)) for name in unique]
