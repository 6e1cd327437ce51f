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
from dataclasses import dataclass, field
from typing import Any

import orjson

from trailtui.events.model import Event
from trailtui.events.screen import record_values

ABSENT = ...
"""The value of a key a record does not have (JSON has no such value, so it cannot be confused)."""


@dataclass(frozen=True, slots=True)
class Projection:
    """The top-level keys whose values a query needs from each record."""

    keys: tuple[str, ...]
    _encoded: tuple[bytes, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_encoded", tuple(key.encode() for key in self.keys))

    def rows(self, content: bytes) -> tuple[int, list[tuple[Any, ...]]] | None:
        """For exactly `{"Records": [{...}, ...]}`: how many records it holds and each one's values of
        `keys`; None for any other text, a record the parser refuses, or without the C module."""
        if record_values is None:
            return None
        walked = record_values(content, self._encoded)
        if walked is None:
            return None
        count, rows = walked
        for index, row in enumerate(rows):
            if type(row) is bytes:
                try:
                    record = orjson.loads(row)
                except orjson.JSONDecodeError:
                    return None
                rows[index] = tuple(_hashable(record.get(key, ABSENT)) for key in self.keys)
        return count, rows

    def stand_ins(self, rows: list[tuple[Any, ...]], account: str) -> list[tuple[Event, int]]:
        """One event per distinct row, holding just its members, and how many records share it, in order
        of first appearance. Only what the projection read is in it: no time, no source, no @message."""
        return [
            (Event(self._record(row), 0, "", 0, account, ""), weight) for row, weight in Counter(rows).items()
        ]

    def _record(self, row: tuple[Any, ...]) -> dict[str, Any]:
        return {
            key: orjson.loads(value) if type(value) is bytes else value
            for key, value in zip(self.keys, row, strict=True)
            if value is not ABSENT
        }


def _hashable(value: Any) -> Any:
    return orjson.dumps(value) if isinstance(value, dict | list) else value
