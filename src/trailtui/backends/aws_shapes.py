"""Conversions between boto3's answers and the shapes the local backend gives, so callers see no seam.

- Times in CloudWatch responses take the form the local engines give: alarms and alarm history as the
  AWS CLI prints them (`2023-11-14T22:14:00+00:00`, microseconds when there are some), GetInsightRuleReport
  as the local contributor report does (`2023-11-14T22:14:00Z`), GetMetricData as UTC datetimes (the
  local metric series answers with datetimes, not strings).
- A MalformedQueryException's character offsets become a 1-based line and column.
- Query time ranges in epoch ms (inclusive) become StartQuery's epoch seconds (inclusive).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from trailtui.backends.base import MalformedQuery


def utc_datetime(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC)


def utc_moment(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def cli_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def zulu_time(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text.removesuffix("+00:00") + "Z"


def with_times(value: Any, render: Callable[[datetime], Any] = cli_time) -> Any:
    """`value` with every datetime inside (dicts and lists) rendered by `render`."""
    if isinstance(value, datetime):
        return render(value)
    if isinstance(value, dict):
        return {key: with_times(item, render) for key, item in value.items()}
    if isinstance(value, list):
        return [with_times(item, render) for item in value]
    return value


def query_window(start_ms: int | None, end_ms: int | None) -> tuple[int, int]:
    """StartQuery's startTime/endTime: unbounded start is the epoch, unbounded end is now."""
    start_s = 0 if start_ms is None else start_ms // 1000
    end_s = int(time.time()) if end_ms is None else end_ms // 1000
    return start_s, max(start_s, end_s)


_POSITION = re.compile(r"line (\d+)\D{1,12}?(\d+)", re.IGNORECASE)


def malformed_query(query: str, response: dict[str, Any]) -> MalformedQuery:
    """MalformedQuery for a MalformedQueryException: where queryCompileError.location points; else a
    `line L:C`-style position in the message; else the start of the query."""
    compile_error = response.get("queryCompileError") or {}
    message = str(compile_error.get("message") or response.get("Error", {}).get("Message") or "malformed")
    location = compile_error.get("location") or {}
    if "startCharOffset" in location:
        start = max(0, min(int(location["startCharOffset"]), len(query)))
        end = max(start, min(int(location.get("endCharOffset", start)), len(query)))
        line, column = _line_column(query, start)
    elif match := _POSITION.search(message):
        line, column = int(match[1]), int(match[2])
        start = end = _offset(query, line, column)
    else:
        line, column, start, end = 1, 1, 0, 0
    shown = message if message.lower().startswith("line ") else f"line {line}:{column}: {message}"
    return MalformedQuery(shown, line, column, start, end)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    line = max(1, min(line, len(lines)))
    return min(len(text), sum(len(item) + 1 for item in lines[: line - 1]) + max(0, column - 1))
