"""The event record every engine consumes: one CloudTrail event plus the system fields CloudWatch gives it.

Field names resolve the way Logs Insights flattens JSON: `userIdentity.arn`, `resources.0.ARN`. A JSON key
that itself starts with `@` is addressed with one more `@` (`@@timestamp`), as Logs Insights shows it.
Missing fields, JSON `null` and non-leaf paths (objects and arrays) all read as `None`: Logs Insights only
discovers leaves, and a null leaf is not "present".
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import orjson

DEFAULT_LOG_GROUP = "CloudTrail/DefaultLogGroup"

FieldGetter = Callable[["Event"], Any]


class Event:
    """One CloudTrail event as a log record.

    `record` is the parsed JSON object; `message` (the `@message` field) is its compact JSON text, made on
    first use, because most queries never read it.
    """

    __slots__ = ("_message", "account", "ordinal", "record", "region", "source", "timestamp_ms")

    def __init__(
        self,
        record: dict[str, Any],
        timestamp_ms: int,
        source: str,
        ordinal: int,
        account: str,
        region: str,
        message: str | None = None,
    ) -> None:
        self.record = record
        self.timestamp_ms = timestamp_ms
        self.source = source
        self.ordinal = ordinal
        self.account = account
        self.region = region
        self._message = message

    @property
    def message(self) -> str:
        """The event's compact JSON text: what CloudWatch stores as `@message` and what a user copies."""
        if self._message is None:
            self._message = orjson.dumps(self.record).decode()
        return self._message

    @property
    def log_stream(self) -> str:
        return f"{self.account}_CloudTrail_{self.region}"

    @property
    def log_group(self) -> str:
        return f"{self.account}:{DEFAULT_LOG_GROUP}"

    @property
    def ptr(self) -> str:
        return encode_ptr(self.source, self.ordinal)

    def get(self, name: str) -> Any:
        """The value of a field by its Logs Insights name, or None when absent."""
        return field_getter(name)(self)

    def __repr__(self) -> str:
        return f"Event({self.source!r}#{self.ordinal}, {self.record.get('eventName')!r})"


def encode_ptr(source: str, ordinal: int) -> str:
    """An opaque `@ptr`: which source (file path, or `-` for stdin) and which record in it."""
    raw = orjson.dumps([source, ordinal])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_ptr(ptr: str) -> tuple[str, int]:
    """The (source, ordinal) an `@ptr` names; ValueError if it is not one of ours."""
    try:
        padded = ptr + "=" * (-len(ptr) % 4)
        source, ordinal = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except Exception as error:
        raise ValueError(f"not a trailtui @ptr: {ptr!r}") from error
    if not isinstance(source, str) or not isinstance(ordinal, int):
        raise ValueError(f"not a trailtui @ptr: {ptr!r}")
    return source, ordinal


SYSTEM_FIELDS: dict[str, FieldGetter] = {
    "@timestamp": lambda event: event.timestamp_ms,
    "@ingestionTime": lambda event: event.timestamp_ms,
    "@message": lambda event: event.message,
    "@logStream": lambda event: event.log_stream,
    "@log": lambda event: event.log_group,
    "@ptr": lambda event: event.ptr,
}


@lru_cache(maxsize=4096)
def field_getter(name: str) -> FieldGetter:
    """A function reading one named field from an event, compiled once per name."""
    system = SYSTEM_FIELDS.get(name)
    if system is not None:
        return system
    key_path = name[1:] if name.startswith("@@") else name
    segments = tuple(key_path.split("."))
    if len(segments) == 1:
        key = segments[0]

        def top_level(event: Event) -> Any:
            value = event.record.get(key)
            return None if isinstance(value, dict | list) else value

        return top_level

    def nested(event: Event) -> Any:
        return leaf(resolve_path(event.record, segments))

    return nested


@lru_cache(maxsize=4096)
def record_field_getter(name: str) -> Callable[[dict[str, Any]], Any]:
    """`field_getter` for a log field (not a system field) on a raw record, before it is an Event."""
    key_path = name[1:] if name.startswith("@@") else name
    segments = tuple(key_path.split("."))
    if len(segments) == 1:
        key = segments[0]
        return lambda record: leaf(record.get(key))
    return lambda record: leaf(resolve_path(record, segments))


def leaf(value: Any) -> Any:
    """Objects and arrays are not fields in Logs Insights; only their leaves are."""
    return None if isinstance(value, dict | list) else value


def resolve_path(node: Any, segments: tuple[str, ...]) -> Any:
    """Walk dotted segments through objects and arrays; a key may itself contain dots."""
    index = 0
    count = len(segments)
    while index < count:
        if isinstance(node, dict):
            key = segments[index]
            step = 1
            while key not in node and index + step < count:
                key = f"{key}.{segments[index + step]}"
                step += 1
            if key not in node:
                return None
            node = node[key]
            index += step
        elif isinstance(node, list):
            segment = segments[index]
            if not segment.isdigit() or int(segment) >= len(node):
                return None
            node = node[int(segment)]
            index += 1
        else:
            return None
    return node


def flatten(record: dict[str, Any]) -> dict[str, Any]:
    """Every leaf of a record under its Logs Insights name, in document order (for discovery and display)."""
    fields: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                walk(f"{prefix}.{key}" if prefix else _top_level_name(key), child)
        elif isinstance(value, list):
            for position, child in enumerate(value):
                walk(f"{prefix}.{position}", child)
        else:
            fields[prefix] = value

    walk("", record)
    return fields


def _top_level_name(key: str) -> str:
    return f"@{key}" if key.startswith("@") else key
