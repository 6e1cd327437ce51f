"""Small builders shared by the Contributor Insights tests: rule bodies, events and the real corpus."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson

from real_corpus import CORPUS_DIR
from trailtui.contributors import Rule, parse_rule
from trailtui.events.model import Event
from trailtui.packs import BUILTIN_DIR

RULES_DIR = BUILTIN_DIR / "cloudtrail" / "rules"

VALID_BODY: dict[str, Any] = {
    "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
    "LogGroupNames": ["CloudTrail/DefaultLogGroup"],
    "LogFormat": "JSON",
    "Contribution": {"Keys": ["$.eventName"], "Filters": []},
    "AggregateOn": "Count",
}


def body(**changes: Any) -> dict[str, Any]:
    """A valid rule body with top-level keys replaced (a value of None removes the key)."""
    result = copy.deepcopy(VALID_BODY)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def json_rule(
    keys: list[str], filters: list[dict[str, Any]] | None = None, value_of: str | None = None
) -> Rule:
    contribution: dict[str, Any] = {"Keys": keys, "Filters": filters or []}
    if value_of is not None:
        contribution["ValueOf"] = value_of
    return parse_rule(body(Contribution=contribution, AggregateOn="Sum" if value_of else "Count"))


def load_rule(name: str) -> Rule:
    return parse_rule((RULES_DIR / f"{name}.json").read_text())


def make_event(record: dict[str, Any], timestamp_ms: int = 0, ordinal: int = 0) -> Event:
    return Event(
        record, timestamp_ms, source="test", ordinal=ordinal, account="123456789012", region="us-east-1"
    )


def event_time_ms(record: dict[str, Any]) -> int:
    """The record's eventTime in epoch milliseconds; 0 when missing or not an ISO time."""
    try:
        moment = datetime.fromisoformat(record["eventTime"])
    except (KeyError, TypeError, ValueError):
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


@lru_cache(maxsize=1)
def corpus_events() -> tuple[Event, ...]:
    paths = sorted(CORPUS_DIR.glob("*.ndjson"))
    assert paths, f"the real corpus is missing: {CORPUS_DIR}"
    events = []
    for path in paths:
        for ordinal, line in enumerate(path.read_bytes().splitlines()):
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
