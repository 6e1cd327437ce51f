"""Reading only some top-level members of each record, for queries that read nothing else.

The C module (`_record_spans.c`) walks a `{"Records": [...]}` text once, validating it as the parser
would, and gives each record's values of the wanted keys as a tuple: strings, numbers, booleans and null
as Python values, an object or array as its JSON bytes (parsed later, once per distinct value), an absent
key as `ABSENT`. A record only the parser can judge (a `\\u` escape, a number other than a short integer,
a key written with escapes) comes back whole and is parsed here. No event objects are built: a query
counts the distinct tuples and runs once per tuple (insights/weighted.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from trailtui.events.layout import LayoutHints
from trailtui.events.model import Event
from trailtui.events.screen import record_values
from trailtui.events.timestamps import record_time_ms

ABSENT = ...
"""The value of a key a record does not have (JSON has no such value, so it cannot be confused)."""


TIME_KEYS = ("eventTime", "@timestamp")
"""The members an event's time comes from (`timestamps.record_time_ms`)."""
TimeBuckets = Callable[[list[int]], dict[int, int] | None]


@dataclass(frozen=True, slots=True)
class Projection:
    """The top-level keys whose values a query needs from each record; with `buckets`, also the time,
    which the query reads only through one `bin` (`buckets` gives the bin of each of some times)."""

    fields: tuple[str, ...]
    buckets: TimeBuckets | None = field(default=None, compare=False)
    keys: tuple[str, ...] = field(init=False)
    """What is read: `fields`, after the time members when the time is needed."""
    _encoded: tuple[bytes, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = tuple(dict.fromkeys((*TIME_KEYS, *self.fields) if self.buckets else self.fields))
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "_encoded", tuple(key.encode() for key in keys))

    def rows(self, content: bytes) -> tuple[int, list[tuple[Any, ...]]] | None:
        """For exactly `{"Records": [{...}, ...]}`: how many records it holds and each one's values of
        `keys`; None for any other text, a record the parser refuses, or without the C module."""
        walked = _walk(content, self._encoded)
        if walked is None:
            return None
        count, rows = walked
        for index, row in enumerate(rows):
            if type(row) is dict:
                rows[index] = tuple(_hashable(row.get(key, ABSENT)) for key in self.keys)
        return count, rows

    def stand_ins(self, rows: list[tuple[Any, ...]], hints: LayoutHints) -> list[tuple[Event, int]]:
        """One event per distinct row, holding just its members, and how many records share it, in order
        of first appearance; no source, no @message. The time is the event's own (as the readers find
        it); rows that differ only in their time members and share a bin are one, timed at the bin
        (unless the query also reads a time member as a field)."""
        account = hints.account or "unknown"
        counts = Counter(rows)
        if self.buckets is None:
            return [
                (Event(self._record(row), 0, "", 0, account, ""), weight) for row, weight in counts.items()
            ]
        times = {row: record_time_ms(row[0], row[1], hints.delivered_ms) for row in counts}
        folds = set(TIME_KEYS).isdisjoint(self.fields)
        bucket_of = self.buckets(list(times.values())) if folds else None
        if bucket_of is None:
            return [
                (Event(self._record(row), times[row], "", 0, account, ""), n) for row, n in counts.items()
            ]
        folded: dict[tuple[Any, ...], list[Any]] = {}
        for row, weight in counts.items():
            key = (bucket_of[times[row]], row[len(TIME_KEYS) :])
            entry = folded.setdefault(key, [row, 0])
            entry[1] += weight
        return [
            (Event(self._record(row), key[0], "", 0, account, ""), weight)
            for key, (row, weight) in folded.items()
        ]

    def _record(self, row: tuple[Any, ...]) -> dict[str, Any]:
        return {
            key: orjson.loads(value) if type(value) is bytes else value
            for key, value in zip(self.keys, row, strict=True)
            if value is not ABSENT
        }


def _walk(content: bytes, keys: tuple[bytes, ...], with_spans: bool = False) -> tuple[int, list[Any]] | None:
    """`record_values`, with each record only the parser can judge parsed in its place (a dict); None
    where it gives none, where such a record does not parse, or without the C module."""
    if record_values is None:
        return None
    walked = record_values(content, keys, with_spans)
    if walked is None:
        return None
    count, rows = walked
    for index, row in enumerate(rows):
        if type(row) is bytes:
            try:
                rows[index] = orjson.loads(row)
            except orjson.JSONDecodeError:
                return None
    return count, rows


def _hashable(value: Any) -> Any:
    return orjson.dumps(value) if isinstance(value, dict | list) else value


TimeOrder = Callable[[int, bool], Any]
"""Where an event's own time sorts, given the time and whether descending (the engine's sort key)."""


@dataclass(frozen=True, slots=True)
class FirstInTimeOrder:
    """For a query that sorts every record by its own time and keeps the first `bound`: the records of a
    file that can be among them. Each record's time is read without parsing it (as `make_event` finds
    it); only the records whose time sorts among the file's first `bound`, ties kept, are parsed."""

    bound: int
    descending: bool
    order: TimeOrder

    def records(
        self, content: bytes, hints: LayoutHints
    ) -> tuple[int, list[tuple[int, dict[str, Any]]]] | None:
        """For exactly `{"Records": [{...}, ...]}`: how many records it holds and the (ordinal, record) of
        each that can sort first; None for any other text, a record the parser refuses, or without the
        C module."""
        walked = _walk(content, tuple(key.encode() for key in TIME_KEYS), with_spans=True)
        if walked is None:
            return None
        count, rows = walked
        keys = []
        parsed: dict[int, dict[str, Any]] = {}
        for ordinal, row in enumerate(rows):
            if type(row) is dict:
                parsed[ordinal] = row
                moment = record_time_ms(row.get(TIME_KEYS[0]), row.get(TIME_KEYS[1]), hints.delivered_ms)
            else:  # start, end, then the TIME_KEYS values
                moment = record_time_ms(row[2], row[3], hints.delivered_ms)
            keys.append(self.order(moment, self.descending))
        if len(keys) > self.bound:
            last = sorted(keys)[self.bound - 1]
            chosen = [ordinal for ordinal, key in enumerate(keys) if key <= last]
        else:
            chosen = list(range(len(keys)))
        try:
            for ordinal in chosen:
                if ordinal not in parsed:
                    start, end = rows[ordinal][:2]
                    parsed[ordinal] = orjson.loads(content[start:end])
        except orjson.JSONDecodeError:
            return None
        return count, [(ordinal, parsed[ordinal]) for ordinal in chosen]
