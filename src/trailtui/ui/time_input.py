"""Times the user types and times the console shows.

`parse_moment` reads what the seek box accepts: ISO 8601 (with an offset, or UTC without one), epoch
seconds, and relative forms (`-15m`, `+2h`, `30s`, `1d`) counted from the replay clock.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from trailtui.ui.result_rows import TimeZoneName

RELATIVE = re.compile(r"(?P<sign>[-+]?)(?P<count>\d+(\.\d+)?)\s*(?P<unit>ms|s|m|h|d|w)")
EPOCH_SECONDS = re.compile(r"\d{9,11}(\.\d+)?")
UNIT_MS = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}


class MomentError(ValueError):
    """Text that names no moment; the message says what is accepted."""


def parse_moment(text: str, now_ms: int) -> int:
    """The epoch ms `text` names; relative forms count from `now_ms` (a bare `15m` means 15m back)."""
    cleaned = text.strip()
    relative = RELATIVE.fullmatch(cleaned)
    if relative:
        offset_ms = round(float(relative["count"]) * UNIT_MS[relative["unit"]])
        return now_ms + offset_ms if relative["sign"] == "+" else now_ms - offset_ms
    if EPOCH_SECONDS.fullmatch(cleaned):
        return round(float(cleaned) * 1000)
    try:
        moment = datetime.fromisoformat(cleaned.replace(" ", "T", 1) if "T" not in cleaned else cleaned)
    except ValueError:
        raise MomentError(
            f"not a time: {cleaned!r}; use ISO 8601 (2024-03-01T10:00:00Z), epoch seconds, or -15m / +1h"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def clock_text(epoch_ms: int, zone: TimeZoneName, *, date: bool = True) -> str:
    """`2024-03-01 10:05:00` in UTC or local time (`10:05:00` without the date)."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    if zone == "local":
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S" if date else "%H:%M:%S")
