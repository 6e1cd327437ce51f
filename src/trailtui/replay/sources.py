"""What a replay reads: files in delivery order, and in follow mode the watchers that find more.

Files are read lazily, one at a time, in order of delivery: the time in a CloudTrail file name
(`layout_hints(path).delivered_ms`), else the file's modification time. Delivery order is what bounds
memory: CloudTrail delivers an event within the reorder window after it happened, so a file delivered at D
holds no event before D - window, and every event older than the next unread file's bound can be released.

A file without a delivery time in its name (an export, an NDJSON file, stdin) promises nothing about its
event times, so it is read before any file that does: memory is bounded by the window only for files in
the CloudTrail layout, and by the size of the other files plus the window otherwise.

A file too large to read whole (see `read_path_parts`) is read and handed on in parts of a few thousand
events, so a multi-GB file is never held whole: until its last part, its unread rest is taken to hold no
event older than the newest it gave so far minus the window (CloudTrail's promise, as in follow mode);
an event that breaks it is still delivered, as late, and counted.

In follow mode, what is still to come is unknown; the bound for it is CloudTrail's own promise: by the
wall-clock time now, every event older than now - window has been delivered (and an event older than what
was already read minus the window is late). A live trail is therefore released one window behind the
wall clock; a historical trail that is being copied is released as soon as it is read.
"""

from __future__ import annotations

import heapq
import math
import os
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import IO

from trailtui.events.follow import GrowingFile
from trailtui.events.layout import STDIN, expand_paths, is_digest, layout_hints
from trailtui.events.readers import FileReading, read_path_parts
from trailtui.replay.watch import DirectoryWatcher, StdinLines


@dataclass(frozen=True, order=True, slots=True)
class PendingFile:
    """A file found but not read yet, ordered by the earliest event time it may hold, then by delivery."""

    earliest_ms: float
    delivered_ms: float
    path: str
    has_delivery_time: bool


@dataclass(slots=True)
class OpenFile:
    """The file being read in parts, and the bound for what it still holds."""

    parts: Generator[FileReading, None, None]
    earliest_ms: float
    """No unread event of the file is before this."""


def pending_file(path: str, window_ms: int) -> PendingFile:
    delivered_ms = layout_hints(path).delivered_ms
    if delivered_ms is None:
        return PendingFile(-math.inf, _modified_ms(path), path, has_delivery_time=False)
    return PendingFile(delivered_ms - window_ms, delivered_ms, path, has_delivery_time=True)


def _precedes(file: PendingFile, time_ms: float, window_ms: int) -> bool:
    return file.has_delivery_time and file.delivered_ms + window_ms < time_ms


def _modified_ms(path: str) -> float:
    try:
        return os.stat(path).st_mtime * 1000
    except OSError:
        return 0.0


class Sources:
    """Every input of one replay pass: pending files, and (in follow mode) watchers and growing sources."""

    def __init__(
        self,
        paths: Sequence[str],
        *,
        window_ms: int,
        follow: bool,
        stdin: IO[bytes] | None,
        stdin_lines: StdinLines | None,
        wall_clock_ms: Callable[[], float],
    ) -> None:
        self._window_ms = window_ms
        self._stdin = stdin
        self._wall_clock_ms = wall_clock_ms
        self._pending: list[PendingFile] = []
        self._watchers: list[DirectoryWatcher] = []
        self._growing: list[GrowingFile | StdinLines] = []
        self._open: OpenFile | None = None
        self._latest_event_ms = -math.inf
        if follow:
            self._follow(paths, stdin_lines)
        else:
            for path in expand_paths(paths):
                self._add_pending(path)

    def _follow(self, paths: Sequence[str], stdin_lines: StdinLines | None) -> None:
        for path in paths:
            if path == STDIN:
                if stdin_lines is not None:
                    self._growing.append(stdin_lines)
            elif os.path.isfile(path) and not path.endswith(".gz"):
                self._growing.append(GrowingFile(path))
            else:
                self._watchers.append(DirectoryWatcher(path))

    def _add_pending(self, path: str) -> None:
        if not is_digest(path):
            heapq.heappush(self._pending, pending_file(path, self._window_ms))

    @property
    def files_pending(self) -> int:
        """Files not read to their end (the one being read in parts among them)."""
        return len(self._pending) + (self._open is not None)

    @property
    def following(self) -> bool:
        """True while more input may still come (a watcher, or a stream that has not ended)."""
        return bool(self._watchers) or any(not source.finished for source in self._growing)

    def next_file_earliest_ms(self) -> float:
        """No pending file, nor the rest of the one being read, holds an event before this time
        (infinity when none is pending)."""
        earliest = self._pending[0].earliest_ms if self._pending else math.inf
        return earliest if self._open is None else min(earliest, self._open.earliest_ms)

    def earliest_unread_ms(self) -> float:
        """No event still to be read (pending, or not yet written in follow mode) is expected before this."""
        earliest = self.next_file_earliest_ms()
        if self.following:
            unseen = max(self._latest_event_ms, self._wall_clock_ms()) - self._window_ms
            earliest = min(earliest, unseen)
        return earliest

    def read_next_file(self) -> FileReading:
        """The next part of the file being read, else the first part of the next pending file (a whole
        file unless it is too large to read whole; `final` tells)."""
        if self._open is None:
            file = heapq.heappop(self._pending)
            self._open = OpenFile(read_path_parts(file.path, self._stdin), file.earliest_ms)
        part = next(self._open.parts)
        if part.final:
            self._open = None
        elif part.events:
            newest_ms = max(event.timestamp_ms for event in part.events)
            self._open.earliest_ms = max(self._open.earliest_ms, newest_ms - self._window_ms)
        return self._noted(part)

    def skip_files_before(self, time_ms: float) -> None:
        """Drop, unread, pending CloudTrail files whose events all precede `time_ms` (a seek forward).

        A CloudTrail file holds events from before its delivery time; one window more allows for clocks
        that disagree. Files without a delivery time are always read.
        """
        kept = [file for file in self._pending if not _precedes(file, time_ms, self._window_ms)]
        if len(kept) < len(self._pending):
            heapq.heapify(kept)
            self._pending = kept

    def poll(self) -> list[FileReading]:
        """Queue the files that became complete; return what the growing sources gained."""
        for watcher in self._watchers:
            for path in watcher.poll():
                self._add_pending(path)
        return [self._noted(source.read_new()) for source in self._growing]

    def _noted(self, reading: FileReading) -> FileReading:
        for event in reading.events:
            if event.timestamp_ms > self._latest_event_ms:
                self._latest_event_ms = event.timestamp_ms
        return reading
