"""Compiled commands: record steps that stream, and barrier steps that need to see every record.

Record steps (`fields`, `filter`, `parse`, `unnest`, and the no-ops `display`, `unmask`) transform an
iterable of records lazily, so memory does not grow with the records scanned.
Barrier steps (`stats`, `sort`, `limit`, `dedup`) keep state. Their state objects hold only data (no
closures), so a worker process can build one over a partition and send it back pickled to be merged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from trailtui.bounded_regex import BoundedRegex
from trailtui.insights import ast
from trailtui.insights.aggregates import AGGREGATE_FUNCTIONS, Aggregator, TimedChoiceAggregator
from trailtui.insights.checks import parse_outputs
from trailtui.insights.compiler import TIMESTAMP_FIELDS, ExpressionCompiler, Getter, Record, Scope
from trailtui.insights.errors import QueryLimitError
from trailtui.insights.values import (
    EPOCH,
    Timestamp,
    compile_regex,
    natural_sort_key,
    render,
    to_text,
)

RecordStep = Callable[[Iterable[Record]], Iterator[Record]]
OrderKey = tuple[Any, ...]

HIDDEN_SLOT_PREFIX = "\x00aggregate"


# --- record steps ---------------------------------------------------------------------------------


def fields_step(items: tuple[ast.Item, ...], compiler: ExpressionCompiler) -> RecordStep:
    """Store every computed item under its name; plain projections of log fields need no storage."""
    assignments = [
        (item.name, compiler.compile(item.expression))
        for item in items
        if not (item.alias is None and isinstance(item.expression, ast.Field))
    ]

    def assign(records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            fields = record.fields
            for name, read in assignments:
                fields[name] = read(record)
            yield record

    return assign


def filter_step(condition: ast.Expression, compiler: ExpressionCompiler) -> RecordStep:
    keep = compiler.condition(condition)
    return lambda records: (record for record in records if keep(record))


def pass_through_step(records: Iterable[Record]) -> Iterator[Record]:
    """`display` (columns are chosen at the end) and `unmask` (local data is never masked)."""
    return iter(records)


def parse_step(command: ast.Parse, compiler: ExpressionCompiler) -> RecordStep:
    """Extract fields with a glob or regex; a record that does not match flows on without them."""
    source = compiler.scope.getter(command.source.name if command.source else "@message")
    pattern = (
        glob_regex(command.pattern.value)
        if isinstance(command.pattern, ast.String)
        else compile_regex(command.pattern.pattern)
    )
    names = parse_outputs(command)
    by_position = bool(command.aliases)
    if command.multi:
        return _parse_every_match(source, pattern, names[0])

    # A glob that starts with `*` begins with a lazy group that matches anything, so if it matches at all
    # it matches from the start: `match` finds what `search` finds, without retrying at every position
    # of a text it does not match (quadratic in the text's length).
    leading_star = isinstance(command.pattern, ast.String) and command.pattern.value.startswith("*")
    find = pattern.match if leading_star else pattern.search

    def extract(records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            text = to_text(source(record))
            found = find(text) if text is not None else None
            if found is not None:
                captured = found.groups() if by_position else [found.group(name) for name in names]
                record.fields.update(zip(names, captured, strict=True))
            yield record

    return extract


def _parse_every_match(source: Getter, pattern: BoundedRegex, name: str) -> RecordStep:
    """`parse ... as name multi`: one record per match of the regex's single group."""

    def extract(records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            text = to_text(source(record))
            matches = list(pattern.finditer(text)) if text is not None else []
            if not matches:
                yield record
            for found in matches:
                yield Record(record.event, {**record.fields, name: found.group(1)})

    return extract


def glob_regex(glob: str) -> BoundedRegex:
    """A parse glob as a regex: literal text, each `*` a lazy capture, a trailing `*` greedy to the end.

    The search is unanchored on the left; on the right a trailing literal must be found (spec §4.7, §12.10).
    """
    pieces = [re.escape(piece) for piece in glob.split("*")]
    body = "(.*?)".join(pieces)
    if glob.endswith("*"):
        body = body.removesuffix("(.*?)") + "(.*)"
    return BoundedRegex(body, re.DOTALL)


def unnest_step(command: ast.Unnest, compiler: ExpressionCompiler) -> RecordStep:
    """One record per element of a list; any other present value counts as a one-element list.

    A record whose field is missing, or an empty list, yields no record.
    """
    read = compiler.scope.getter(command.field.name)
    into = command.into

    def expand(records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            value = read(record)
            if value is None:
                continue
            elements = value if isinstance(value, list) else [value]
            for element in elements:
                yield Record(record.event, {**record.fields, into: element})

    return expand


# --- ordering -------------------------------------------------------------------------------------


class Descending:
    """Wraps a sort key so it orders in reverse inside an otherwise ascending tuple."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: Descending) -> bool:
        return bool(other.key < self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Descending) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


MISSING_LAST = (1,)
TIMESTAMP_KEY_CACHE = 200_000
"""Natural keys of timestamps remembered per sort (formatting a time is its costly part; times repeat)."""
FORMATTED_MS_RANGE = (
    (datetime(1, 1, 1, tzinfo=UTC) - EPOCH) // timedelta(milliseconds=1),
    (datetime.max.replace(tzinfo=UTC) - EPOCH) // timedelta(milliseconds=1),
)
"""Timestamps `format_timestamp` writes as a date; outside it they render as the plain number."""


def sort_key_function(keys: tuple[ast.SortKey, ...], scope: Scope) -> Callable[[Record], OrderKey]:
    """Key for `sort`: natural order per key, descending where asked (the default), missing values last.

    A key that is the event's own `@timestamp` (or `@ingestionTime`) orders on the integer: inside the
    range of dates, the natural order of the rendered text `YYYY-MM-DD HH:MM:SS.mmm` is the order of the
    milliseconds, and outside it the text is the number itself, which the natural order puts after every
    text. So `(0, ms)` inside and `(1, ms)` outside order exactly as the natural keys of the text would,
    without formatting a single time.
    """
    readers = [
        (scope.getter(key.field.name), key.descending, _is_event_time(key.field.name, scope)) for key in keys
    ]
    timestamp_keys: dict[int, tuple[Any, ...]] = {}

    def key_of(record: Record) -> OrderKey:
        parts: list[Any] = []
        for read, descending, event_time in readers:
            value = read(record)
            if event_time:
                parts.append((0, event_time_order(int(value), descending)))
            elif value is None or isinstance(value, dict | list):
                parts.append(MISSING_LAST)
            elif type(value) is Timestamp:
                natural = timestamp_keys.get(value)
                if natural is None:
                    if len(timestamp_keys) >= TIMESTAMP_KEY_CACHE:
                        timestamp_keys.clear()
                    natural = timestamp_keys[value] = natural_sort_key(value)
                parts.append((0, Descending(natural) if descending else natural))
            else:
                natural = natural_sort_key(value)
                parts.append((0, Descending(natural) if descending else natural))
        return tuple(parts)

    return key_of


def event_time_order(moment: int, descending: bool) -> tuple[int, int]:
    """Where an event's own time sorts (see `sort_key_function`): smaller comes first."""
    rank = 0 if FORMATTED_MS_RANGE[0] <= moment <= FORMATTED_MS_RANGE[1] else 1
    return (-rank, -moment) if descending else (rank, moment)


def _is_event_time(name: str, scope: Scope) -> bool:
    """Every record's value is the event's own time, a Timestamp (the query did not redefine the name)."""
    return name in TIMESTAMP_FIELDS and scope.has_event and name not in scope.defined


def default_order_key(record: Record) -> OrderKey:
    """Newest first (CloudWatch's order when no `sort` comes first), then by source and position."""
    event = record.event
    if event is None:
        return ()
    return (-event.timestamp_ms, event.source, event.ordinal)


# --- barrier states (picklable data) --------------------------------------------------------------


@dataclass
class RowBuffer:
    """Rows in order, keeping only the first `bound` once more than twice that many have arrived.

    `ordered=False` keeps arrival order (for `limit any`), so it is full after `bound` rows.
    """

    bound: int | None
    ordered: bool = True
    entries: list[tuple[OrderKey, int, Record]] = field(default_factory=list)
    arrivals: int = 0
    cutoff: OrderKey | None = None
    """Once the buffer has held `bound` rows: the key of the last kept one. A row whose key is not
    smaller would sort after it (it arrived later), so it is turned away without being stored."""

    def add(self, key: OrderKey, record: Record) -> bool:
        """Keep a row; False when an unordered buffer is full and scanning may stop."""
        cutoff = self.cutoff
        if cutoff is not None and not key < cutoff:
            self.arrivals += 1
            return True
        self.entries.append((key, self.arrivals, record))
        self.arrivals += 1
        if self.bound is not None and len(self.entries) > 2 * self.bound:
            self._compact()
        return self.ordered or self.bound is None or len(self.entries) < self.bound

    def merge(self, other: RowBuffer) -> None:
        offset = self.arrivals
        self.entries.extend((key, offset + arrival, record) for key, arrival, record in other.entries)
        self.arrivals += other.arrivals
        self._compact()

    def rows(self) -> list[Record]:
        self._compact()
        return [record for _, _, record in self.entries]

    def _compact(self) -> None:
        if self.ordered:
            self.entries.sort(key=_entry_order)
        if self.bound is not None:
            del self.entries[self.bound :]
            if self.ordered and self.bound and len(self.entries) == self.bound:
                self.cutoff = self.entries[-1][0]


def _entry_order(entry: tuple[OrderKey, int, Record]) -> tuple[OrderKey, int]:
    return entry[0], entry[1]


MAX_GROUPS = 500_000
"""The most groups one `stats` keeps. Memory grows with groups, not events (about 1 KB a group at the peak,
while the scan's parts are merged), so a `stats ... by` a field of unique values over millions of events
would otherwise grow without bound: past this the query fails with a `QueryLimitError` instead."""


def too_many_groups() -> QueryLimitError:
    return QueryLimitError(
        f"stats made more than {MAX_GROUPS:,} groups: group by a field with fewer distinct values, "
        "or query a shorter time range"
    )


@dataclass
class GroupTable:
    """`stats` state: per group key, the group's values and one aggregator per aggregate call."""

    groups: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[Aggregator]]] = field(default_factory=dict)

    def merge(self, other: GroupTable) -> None:
        for key, (values, aggregators) in other.groups.items():
            mine = self.groups.get(key)
            if mine is None:
                self.groups[key] = (values, aggregators)
                continue
            for aggregator, later in zip(mine[1], aggregators, strict=True):
                aggregator.merge(later)
        if len(self.groups) > MAX_GROUPS:
            raise too_many_groups()

    def new_group(
        self, key: tuple[Any, ...], values: tuple[Any, ...], slots: list[AggregateSlot]
    ) -> tuple[tuple[Any, ...], list[Aggregator]]:
        """Add the group `key` with fresh aggregators; QueryLimitError past `MAX_GROUPS`."""
        if len(self.groups) >= MAX_GROUPS:
            raise too_many_groups()
        group = (values, [slot.factory(slot.constants) for slot in slots])
        self.groups[key] = group
        return group


@dataclass
class DedupTable:
    """`dedup` state: the first row (in current order) per key, plus every row with a missing key."""

    bound: int | None
    firsts: dict[tuple[Any, ...], tuple[OrderKey, int, Record]] = field(default_factory=dict)
    keyless: RowBuffer = field(default_factory=lambda: RowBuffer(None))
    arrivals: int = 0

    def add(self, dedup_key: tuple[Any, ...] | None, order_key: OrderKey, record: Record) -> None:
        self.arrivals += 1
        if dedup_key is None:
            self.keyless.add(order_key, record)
            return
        entry = (order_key, self.arrivals, record)
        current = self.firsts.get(dedup_key)
        if current is None or _entry_order(entry) < _entry_order(current):
            self.firsts[dedup_key] = entry

    def merge(self, other: DedupTable) -> None:
        for dedup_key, (order_key, arrival, record) in other.firsts.items():
            entry = (order_key, self.arrivals + arrival, record)
            current = self.firsts.get(dedup_key)
            if current is None or _entry_order(entry) < _entry_order(current):
                self.firsts[dedup_key] = entry
        self.keyless.merge(other.keyless)
        self.arrivals += other.arrivals

    def rows(self) -> list[Record]:
        combined = RowBuffer(self.bound)
        for order_key, _, record in sorted(self.firsts.values(), key=_entry_order):
            combined.add(order_key, record)
        combined.merge(self.keyless)
        return combined.rows()


BarrierState = RowBuffer | GroupTable | DedupTable


def hashable_values(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Group and dedup keys: maps and lists (unhashable) stand in by their JSON text."""
    try:
        hash(values)
    except TypeError:
        return tuple(render(value) if isinstance(value, dict | list) else value for value in values)
    return values


# --- barrier steps (compiled) ---------------------------------------------------------------------


@dataclass
class AggregateSlot:
    """One aggregate call of a `stats` command: how to build its aggregator and what to feed it."""

    factory: Callable[[list[Any]], Aggregator]
    constants: list[Any]
    read: Getter | None
    """None for `count(*)` and `count()`, which are fed True for every record."""


class StatsStep:
    """`stats items by groups`: group records, feed aggregators, then evaluate the items per group."""

    def __init__(self, command: ast.Stats, compiler: ExpressionCompiler, output_scope: Scope) -> None:
        self.group_names = [group.name for group in command.by]
        self.group_readers = [compiler.compile(group.expression) for group in command.by]
        self.timestamp = compiler.scope.getter("@timestamp") if compiler.scope.has_event else None
        self.slots: list[AggregateSlot] = []
        slot_of_call: dict[ast.Call, int] = {}

        def aggregate_slot(call: ast.Call) -> Getter:
            if call not in slot_of_call:
                slot_of_call[call] = len(self.slots)
                self.slots.append(self._slot(call, compiler))
            hidden_name = f"{HIDDEN_SLOT_PREFIX}{slot_of_call[call]}"
            return lambda record: record.fields.get(hidden_name)

        item_compiler = ExpressionCompiler(output_scope, compiler.context, aggregate_slot)
        self.items = [(item.name, item_compiler.compile(item.expression)) for item in command.items]
        self.slot_readers = tuple(slot.read for slot in self.slots)
        self.needs_time = any(
            isinstance(slot.factory(slot.constants), TimedChoiceAggregator) for slot in self.slots
        )

    @staticmethod
    def _slot(call: ast.Call, compiler: ExpressionCompiler) -> AggregateSlot:
        function = AGGREGATE_FUNCTIONS[call.key]
        constants = [getattr(argument, "value", None) for argument in call.args[1:]]
        counts_records = not call.args or isinstance(call.args[0], ast.Star)
        read = None if counts_records else compiler.compile(call.args[0])
        return AggregateSlot(function.factory, constants, read)

    def new_state(self) -> GroupTable:
        return GroupTable()

    def add(self, table: GroupTable, record: Record) -> bool:
        values = tuple([read(record) for read in self.group_readers])
        groups = table.groups
        try:
            group = groups.get(values)
            key = values
        except TypeError:
            key = hashable_values(values)
            group = groups.get(key)
        if group is None:
            group = table.new_group(key, values, self.slots)
        timestamp_ms = self.timestamp_ms(record) if self.needs_time else 0
        for read, aggregator in zip(self.slot_readers, group[1]):  # noqa: B905 (same length by construction)
            aggregator.add(True if read is None else read(record), timestamp_ms)
        return True

    def timestamp_ms(self, record: Record) -> int:
        if self.timestamp is not None:
            return int(self.timestamp(record))
        carried = record.fields.get("@timestamp")
        return int(carried) if isinstance(carried, int) else 0

    def rows(self, table: GroupTable) -> list[Record]:
        """One row per group, in order of first appearance: group values, then the items in order."""
        rows = []
        for values, aggregators in table.groups.values():
            fields = dict(zip(self.group_names, values, strict=True))
            for index, aggregator in enumerate(aggregators):
                fields[f"{HIDDEN_SLOT_PREFIX}{index}"] = aggregator.result()
            row = Record(None, fields)
            for name, evaluate in self.items:
                fields[name] = evaluate(row)
            for index in range(len(aggregators)):
                del fields[f"{HIDDEN_SLOT_PREFIX}{index}"]
            rows.append(row)
        return rows

    def apply(self, records: list[Record]) -> list[Record]:
        table = self.new_state()
        for record in records:
            self.add(table, record)
        return self.rows(table)


class SortStep:
    def __init__(self, command: ast.Sort, scope: Scope, bound: int | None) -> None:
        self.key_of = sort_key_function(command.keys, scope)
        self.bound = bound
        (first, *others) = command.keys
        alone = not others and _is_event_time(first.field.name, scope)
        self.by_event_time = first.descending if alone else None
        """For a sort on the event's own time alone: whether descending (else None)."""

    def new_state(self) -> RowBuffer:
        return RowBuffer(self.bound)

    def add(self, buffer: RowBuffer, record: Record) -> bool:
        return buffer.add((self.key_of(record), default_order_key(record)), record)

    def rows(self, buffer: RowBuffer) -> list[Record]:
        return buffer.rows()

    def apply(self, records: list[Record]) -> list[Record]:
        return sorted(records, key=self.key_of)


class LimitStep:
    """`limit N` keeps the first N in the current order; `limit any N` the first N found, then stops."""

    def __init__(self, command: ast.Limit) -> None:
        self.count = command.count
        self.any = command.any

    def new_state(self) -> RowBuffer:
        return RowBuffer(self.count, ordered=not self.any)

    def add(self, buffer: RowBuffer, record: Record) -> bool:
        return buffer.add(default_order_key(record), record)

    def rows(self, buffer: RowBuffer) -> list[Record]:
        return buffer.rows()

    def apply(self, records: list[Record]) -> list[Record]:
        return records[: self.count]


class DedupStep:
    """`dedup f, ...`: the first record per combination of values; records missing any of them all stay."""

    def __init__(self, command: ast.Dedup, scope: Scope, bound: int | None) -> None:
        self.readers = [scope.getter(field.name) for field in command.fields]
        self.bound = bound

    def dedup_key(self, record: Record) -> tuple[Any, ...] | None:
        values = tuple(read(record) for read in self.readers)
        return None if any(value is None for value in values) else hashable_values(values)

    def new_state(self) -> DedupTable:
        return DedupTable(self.bound)

    def add(self, table: DedupTable, record: Record) -> bool:
        table.add(self.dedup_key(record), default_order_key(record), record)
        return True

    def rows(self, table: DedupTable) -> list[Record]:
        return table.rows()

    def apply(self, records: list[Record]) -> list[Record]:
        seen: set[tuple[Any, ...]] = set()
        kept = []
        for record in records:
            key = self.dedup_key(record)
            if key is not None and key in seen:
                continue
            if key is not None:
                seen.add(key)
            kept.append(record)
        return kept


class EndStep:
    """No barrier in the query: keep the newest rows, up to the output limit."""

    def __init__(self, bound: int) -> None:
        self.bound = bound

    def new_state(self) -> RowBuffer:
        return RowBuffer(self.bound)

    def add(self, buffer: RowBuffer, record: Record) -> bool:
        return buffer.add(default_order_key(record), record)

    def rows(self, buffer: RowBuffer) -> list[Record]:
        return buffer.rows()

    def apply(self, records: list[Record]) -> list[Record]:
        return records


BarrierStep = StatsStep | SortStep | LimitStep | DedupStep | EndStep
