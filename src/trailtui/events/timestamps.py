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


def parse_event_time(text: object) -> int | None:
    """Epoch milliseconds for an event time string, or None when it is not a timestamp."""
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
