"""Builders shared by the metric-filter tests: events from dicts, and the real corpus as Event objects."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson

from real_corpus import CORPUS_DIR
from trailtui.events.model import Event
from trailtui.metrics.patterns import FilterPattern


def make_event(record: dict[str, Any], timestamp_ms: int = 0, message: str | None = None) -> Event:
    return Event(
        record,
        timestamp_ms,
        source="test",
        ordinal=0,
        account="123456789012",
        region="us-east-1",
        message=message,
    )


def matches(pattern: str, record: dict[str, Any]) -> bool:
    return FilterPattern.parse(pattern).matches(make_event(record))


def text_matches(pattern: str, message: str) -> bool:
    """Match a raw message (term, regex and space-delimited patterns read only the message)."""
    return FilterPattern.parse(pattern).matches(make_event({}, message=message))


def event_time_ms(record: dict[str, Any]) -> int:
    """The record's eventTime in epoch ms; 0 when it is missing or a placeholder."""
    try:
        return int(datetime.fromisoformat(str(record["eventTime"]).replace("Z", "+00:00")).timestamp() * 1000)
    except (KeyError, ValueError):
        return 0


@lru_cache(maxsize=1)
def corpus_events() -> tuple[Event, ...]:
    """Every event of the real corpus, one Event per NDJSON line."""
    events = []
    for path in sorted(CORPUS_DIR.glob("*.ndjson")):
        for ordinal, line in enumerate(path.read_bytes().splitlines()):
            if line.strip():
                record = orjson.loads(line)
                events.append(
                    Event(
                        record,
                        event_time_ms(record),
                        source=str(path),
                        ordinal=ordinal,
                        account="123456789012",
                        region="us-east-1",
                    )
                )
    return tuple(events)


def dig(record: Any, *path: str) -> Any:
    """Plain-Python nested lookup for expected values: None when any step is missing."""
    for key in path:
        record = record.get(key) if isinstance(record, dict) else None
    return record
