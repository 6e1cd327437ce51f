"""Live Tail results as the tail pane shows them: one line of the event's main fields, and the log record
a drill-down opens, both built from the result's `message` (the event's exact JSON text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from trailtui.events.model import flatten
from trailtui.insights.values import render


@dataclass(frozen=True, slots=True)
class TailLine:
    """One tailed event: the fields of its line (raw event text, escaped when drawn) and its message."""

    timestamp_ms: int
    account: str
    region: str
    event_name: str
    principal: str
    source_ip: str
    error: str
    user_agent: str
    message: str
    log_stream: str
    log_group: str


def tail_line(result: dict[str, Any]) -> TailLine:
    """The line of one `sessionResults` item; a message that is not a JSON object shows as its text."""
    message = str(result.get("message", ""))
    document = _document(message)
    identity = document.get("userIdentity")
    identity = identity if isinstance(identity, dict) else {}
    stream = str(result.get("logStreamName", ""))
    return TailLine(
        timestamp_ms=int(result.get("timestamp", 0)),
        account=_text(document.get("recipientAccountId")) or stream.split("_", 1)[0],
        region=_text(document.get("awsRegion")),
        event_name=_text(document.get("eventName")) or ("" if document else message),
        principal=_text(identity.get("arn"))
        or _text(identity.get("userName"))
        or _text(identity.get("type")),
        source_ip=_text(document.get("sourceIPAddress")),
        error=_text(document.get("errorCode")),
        user_agent=_text(document.get("userAgent")),
        message=message,
        log_stream=stream,
        log_group=str(result.get("logGroupIdentifier", "")),
    )


def log_record(line: TailLine) -> dict[str, str]:
    """What GetLogRecord would answer for this event: system fields and every flattened leaf as text."""
    record = {
        "@timestamp": str(line.timestamp_ms),
        "@logStream": line.log_stream,
        "@log": line.log_group,
        "@message": line.message,
    }
    for name, value in flatten(_document(line.message)).items():
        text = render(value)
        if text is not None:
            record[name] = text
    return record


def _document(message: str) -> dict[str, Any]:
    try:
        document = orjson.loads(message)
    except orjson.JSONDecodeError:
        return {}
    return document if isinstance(document, dict) else {}


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else orjson.dumps(value).decode()
