"""The time the live panes look back from: the replay's clock for local files, now for a live account."""

from __future__ import annotations

import time

from trailtui.backends.base import Backend


def current_ms(backend: Backend) -> int:
    """The replay clock (the latest event time replayed), or the wall clock when there is no replay yet."""
    status = backend.replay.status() if backend.replay is not None else None
    if status is not None and status.clock_ms is not None:
        return status.clock_ms
    return int(time.time() * 1000)


def window_ending_at(now_ms: int, window_s: int, period_s: int) -> tuple[int, int]:
    """[start, end) in epoch ms: whole periods, the last one holding `now_ms`."""
    period_ms = period_s * 1000
    end_ms = now_ms - now_ms % period_ms + period_ms
    return end_ms - window_s * 1000, end_ms


MIN_SPEED = 1.0
MAX_SPEED = 10_000.0


def faster(speed: float | None) -> float | None:
    """Twice the speed, capped at 10,000x; past that, as fast as possible (None), which stays so."""
    if speed is None or speed >= MAX_SPEED:
        return None
    return min(speed * 2, MAX_SPEED)


def slower(speed: float | None) -> float:
    """Half the speed, at least 1x; as fast as possible slows to 10,000x."""
    if speed is None:
        return MAX_SPEED
    return max(speed / 2, MIN_SPEED)


def speed_text(speed: float | None) -> str:
    return "as fast as possible" if speed is None else f"{speed:g}x real time"
