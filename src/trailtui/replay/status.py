"""The controls other threads set and the status they read, both behind one lock."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

from trailtui.events.readers import FileReading

MIN_SPEED = 1.0
MAX_SPEED = 10_000.0
KEPT_PROBLEM_LINES = 1_000
KEPT_LATE_FILES = 1_000


@dataclass(frozen=True, slots=True)
class ReplayStatus:
    """A snapshot of a replay, safe to read from any thread.

    `clock_ms` is None until the first event is known. `speed` is None when replaying as fast as possible.
    Counters describe the current pass: a seek backward starts a new one. `late_files` and
    `problem_lines` keep the first thousand of each.
    """

    clock_ms: int | None
    speed: float | None
    paused: bool
    following: bool
    finished: bool
    events_delivered: int
    events_per_second: float
    files_read: int
    files_pending: int
    late_events: int
    late_files: tuple[str, ...]
    skipped_records: int
    problem_lines: tuple[str, ...]
    files_skipped: int = 0
    """Files read but skipped whole (counted in `files_read` too)."""


def check_speed(speed: float | None) -> float | None:
    """The speed itself, or ValueError when it is outside 1 to 10,000 times real time."""
    if speed is not None and not MIN_SPEED <= speed <= MAX_SPEED:
        raise ValueError(f"speed must be between 1 and 10000 times real time, not {speed}")
    return speed


@dataclass(slots=True)
class Progress:
    """What the engine thread counts in one pass."""

    events_delivered: int = 0
    files_read: int = 0
    late_events: int = 0
    late_files: list[str] = field(default_factory=list)
    skipped_records: int = 0
    problem_lines: list[str] = field(default_factory=list)
    files_skipped: int = 0

    def note_reading(self, reading: FileReading, late_events: int, is_file: bool) -> None:
        self.files_read += is_file and reading.final
        self.files_skipped += is_file and reading.skipped_file_reason is not None
        self.skipped_records += reading.skipped_records
        problem = reading.problem_line()
        if problem is not None and len(self.problem_lines) < KEPT_PROBLEM_LINES:
            self.problem_lines.append(problem)
        if late_events:
            self.late_events += late_events
            if reading.path not in self.late_files and len(self.late_files) < KEPT_LATE_FILES:
                self.late_files.append(reading.path)


class RateMeter:
    """Events per second over the last second or so of real time."""

    def __init__(self, now_s: float) -> None:
        self._samples: deque[tuple[float, int]] = deque([(now_s, 0)])
        self.per_second = 0.0

    def update(self, now_s: float, total: int) -> None:
        self._samples.append((now_s, total))
        while len(self._samples) > 2 and now_s - self._samples[1][0] >= 1.0:
            self._samples.popleft()
        oldest_s, oldest_total = self._samples[0]
        if now_s > oldest_s:
            self.per_second = (total - oldest_total) / (now_s - oldest_s)


@dataclass(slots=True)
class Controls:
    """Requests from other threads, applied by the engine thread at its next step."""

    speed: float | None
    paused: bool
    seek_to_ms: int | None = None
    stop_requested: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_seek(self) -> int | None:
        with self.lock:
            target, self.seek_to_ms = self.seek_to_ms, None
        return target
