"""Helpers for the Logs Insights tests: Events built from the real corpus or from small hand-made records."""

from __future__ import annotations

import glob
import os
from datetime import datetime
from typing import Any

import orjson

from real_corpus import CORPUS_DIR
from trailtui.events.model import Event

CORPUS_DIRECTORY = str(CORPUS_DIR)


def event_time_ms(record: dict[str, Any]) -> int:
    """`eventTime` in epoch ms; 0 for the corpus' placeholder or missing times."""
    try:
        return int(
            datetime.fromisoformat(str(record.get("eventTime")).replace("Z", "+00:00")).timestamp() * 1000
        )
    except ValueError:
        return 0


def event_from(record: dict[str, Any], ordinal: int = 0, source: str = "test.ndjson") -> Event:
    account = str(
        record.get("recipientAccountId") or record.get("userIdentity", {}).get("accountId") or "000000000000"
    )
    region = str(record.get("awsRegion") or "us-east-1")
    return Event(
        record, event_time_ms(record), source=source, ordinal=ordinal, account=account, region=region
    )


def load_corpus() -> list[Event]:
    events = []
    for path in sorted(glob.glob(os.path.join(CORPUS_DIRECTORY, "*.ndjson"))):
        with open(path, "rb") as lines:
            for ordinal, line in enumerate(lines):
                if line.strip():
                    events.append(event_from(orjson.loads(line), ordinal, path))
    return events


def events_from(*records: dict[str, Any]) -> list[Event]:
    """Hand-made events, numbered in order."""
    return [event_from(record, ordinal) for ordinal, record in enumerate(records)]


def rows_of(response: dict[str, Any]) -> list[dict[str, str]]:
    """GetQueryResults rows as plain dicts (field → value), for readable assertions."""
    return [{pair["field"]: pair["value"] for pair in row} for row in response["results"]]


def run(query: str, events: list[Event], **options: Any) -> list[dict[str, str]]:
    """Run a query in-process and return its rows as dicts."""
    from trailtui.insights.executor import run_query

    return rows_of(run_query(query, events, **options))
