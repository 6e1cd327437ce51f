"""Event times: CloudTrail's `eventTime` and the looser forms real exports carry.

CloudTrail writes `2023-07-10T11:42:18Z`. Exports and test corpora also carry `2025-01-20 16:52:14.000000000`
(space separator, nanoseconds) and offsets such as `+02:00`. A time without a zone is taken as UTC, as
CloudTrail's times always are.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_EVENT_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|z|[+-]\d{2}:?\d{2})?"
)
_CACHE_LIMIT = 65_536
_cache: dict[str, int | None] = {}
_minute_cache: dict[str, int | None] = {}
_SECOND_DIGITS = frozenset("0123456789")


def record_time_ms(event_time: object, logstash_time: object, fallback_ms: int | None) -> int:
    """An event's time as every reader gives it: its `eventTime`, else its own `@timestamp` (Logstash
    exports), else `fallback_ms` (its file's delivery time), else 0."""
    timestamp_ms = parse_event_time(event_time)
    if timestamp_ms is None:
        timestamp_ms = parse_event_time(logstash_time) or fallback_ms or 0
    return timestamp_ms


def parse_event_time(text: object) -> int | None:
    """Epoch milliseconds for an event time string, or None when it is not a timestamp."""
    if type(text) is str and len(text) == 20 and text[19] == "Z" and text[16] == ":":
        minute_ms = _minute_cache.get(text[:16], -1)
        if minute_ms == -1:
            minute_ms = _canonical_minute(text[:16])
        tens, units = text[17], text[18]
        if minute_ms is not None and tens in "012345" and units in _SECOND_DIGITS:
            return minute_ms + (int(tens) * 10 + int(units)) * 1000
    if not isinstance(text, str):
        return None
    cached = _cache.get(text, -1)
    if cached != -1:
        return cached
    millis = _parse(text.strip())
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[text] = millis
    return millis


def _canonical_minute(prefix: str) -> int | None:
    """The fast path's cache: CloudTrail's `YYYY-MM-DDTHH:MM` prefix in epoch ms (None if not one)."""
    minute_ms = _parse(prefix + ":00Z") if prefix[10] == "T" else None
    if len(_minute_cache) >= _CACHE_LIMIT:
        _minute_cache.clear()
    _minute_cache[prefix] = minute_ms
    return minute_ms


def _parse(text: str) -> int | None:
    match = _EVENT_TIME.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=UTC)
    except ValueError:
        return None
    millis = int(moment.timestamp()) * 1000 + int((fraction or "0")[:3].ljust(3, "0"))
    return millis - _zone_offset_ms(zone)


def _zone_offset_ms(zone: str | None) -> int:
    if zone is None or zone in ("Z", "z"):
        return 0
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return sign * (int(digits[:2]) * 60 + int(digits[2:])) * 60_000


def format_timestamp(millis: int) -> str:
    """ISO 8601 in UTC with milliseconds, as trailtui shows times by default."""
    moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)")
_RELATIVE_UNIT_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


def parse_relative(text: str) -> int:
    """Milliseconds in a relative duration such as `15m`, `2h`, `7d`; ValueError if it is not one."""
    match = _RELATIVE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a duration: {text!r} (expected a number and a unit: 15m, 2h, 7d)")
    amount, unit = match.groups()
    return int(float(amount) * _RELATIVE_UNIT_MS[unit])


def parse_time_argument(text: str) -> int:
    """Epoch milliseconds from ISO 8601 (with or without an offset; UTC when absent) or epoch seconds."""
    stripped = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", stripped):
        return int(float(stripped) * 1000)
    date_only = re.fullmatch(r"\d{4}-\d{2}-\d{2}", stripped)
    millis = parse_event_time(f"{stripped}T00:00:00Z" if date_only else stripped)
    if millis is None:
        raise ValueError(
            f"not a time: {text!r} (expected ISO 8601 such as 2026-01-05T10:00:00Z, or epoch seconds)"
        )
    return millis
