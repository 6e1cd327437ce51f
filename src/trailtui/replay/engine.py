"""`Replay`: the clock that feeds rankings, metrics and alarms from local files, in event-time order.

The engine runs in one thread (`run()` blocks: a Textual thread worker in the console, the foreground in
`trailtui tail`); any other thread may call its controls and read `status()`. Subscribers are called from
the engine thread with batches of events (`list[Event]`), with the replay clock (event time in ms) and,
after a seek backward, with the time the replay restarts from, so they can start over.

Modes: as fast as possible (`speed=None`), N times real time (1 to 10,000), paused, seek, and follow. In
real-time modes the clock advances with real time, also when no event arrives (alarms evaluate quiet
periods too), but never past the time up to which the sources are known to be complete. As fast as
possible, the clock is the time of the last event delivered.

Seeking forward skips: earlier events are not delivered, and CloudTrail files delivered well before the
target are not even read. Seeking backward restarts the pass from the files (stdin, which cannot be read
twice, goes on from where it was).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from typing import IO

from trailtui.events.layout import STDIN
from trailtui.events.model import Event
from trailtui.events.readers import FileReading
from trailtui.replay.merge import ReorderBuffer
from trailtui.replay.sources import Sources
from trailtui.replay.status import Controls, Progress, RateMeter, ReplayStatus, check_speed
from trailtui.replay.watch import StdinLines

DEFAULT_REORDER_WINDOW_MS = 20 * 60_000
"""CloudTrail delivers an event about 5 to 15 minutes after it happened; 20 minutes covers nearly all."""

DEFAULT_BATCH_SIZE = 1_000
DEFAULT_POLL_INTERVAL_S = 1.0
CONTROL_TICK_S = 0.05
"""The longest the engine waits before it looks at its controls again and moves a real-time clock."""

EventsCallback = Callable[[list[Event]], None]
ClockCallback = Callable[[int], None]


def _wall_clock_ms() -> float:
    return time.time() * 1000


class Replay:
    """A time-ordered replay of CloudTrail files (see the module documentation).

    `reorder_window_ms` is how far out of order events may arrive and still be delivered in order;
    `monotonic` and `sleep` are the real-time clock and the way to wait, replaceable for tests.
    """

    def __init__(
        self,
        paths: Sequence[str],
        *,
        speed: float | None = None,
        follow: bool = False,
        paused: bool = False,
        reorder_window_ms: int = DEFAULT_REORDER_WINDOW_MS,
        batch_size: int = DEFAULT_BATCH_SIZE,
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
        stdin: IO[bytes] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock_ms: Callable[[], float] = _wall_clock_ms,
    ) -> None:
        if reorder_window_ms < 0 or batch_size < 1 or poll_interval_s <= 0:
            raise ValueError("the reorder window, batch size and poll interval must be positive")
        self._paths = list(paths)
        self._follow = follow
        self._window_ms = reorder_window_ms
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._stdin = stdin
        self._monotonic = monotonic
        self._sleep = sleep
        self._wall_clock_ms = wall_clock_ms
        self._controls = Controls(speed=check_speed(speed), paused=paused)
        self._on_events: list[EventsCallback] = []
        self._on_clock: list[ClockCallback] = []
        self._on_rewind: list[ClockCallback] = []
        self._stdin_lines: StdinLines | None = None
        self._clock_ms: float | None = None
        self._finished = False
        self._start_pass()

    def subscribe(
        self,
        on_events: EventsCallback,
        on_clock: ClockCallback | None = None,
        on_rewind: ClockCallback | None = None,
    ) -> None:
        """Receive batches of events, the replay clock, and the restart time of each seek backward."""
        self._on_events.append(on_events)
        if on_clock is not None:
            self._on_clock.append(on_clock)
        if on_rewind is not None:
            self._on_rewind.append(on_rewind)

    # Controls: safe from any thread, applied at the engine's next step.

    def pause(self) -> None:
        with self._controls.lock:
            self._controls.paused = True

    def resume(self) -> None:
        with self._controls.lock:
            self._controls.paused = False

    def set_speed(self, speed: float | None) -> None:
        """N times real time (1 to 10,000), or None for as fast as possible."""
        checked = check_speed(speed)
        with self._controls.lock:
            self._controls.speed = checked

    def seek(self, time_ms: int) -> None:
        with self._controls.lock:
            self._controls.seek_to_ms = time_ms

    def stop(self) -> None:
        with self._controls.lock:
            self._controls.stop_requested = True

    def status(self) -> ReplayStatus:
        with self._controls.lock:
            progress = self._progress
            return ReplayStatus(
                clock_ms=None if self._clock_ms is None else int(self._clock_ms),
                speed=self._controls.speed,
                paused=self._controls.paused,
                following=self._follow and not self._finished,
                finished=self._finished,
                events_delivered=progress.events_delivered,
                events_per_second=self._rate.per_second,
                files_read=progress.files_read,
                files_pending=self._sources.files_pending,
                late_events=progress.late_events,
                late_files=tuple(progress.late_files),
                skipped_records=progress.skipped_records,
                problem_lines=tuple(progress.problem_lines),
                files_skipped=progress.files_skipped,
            )

    # The engine thread.

    def run(self) -> ReplayStatus:
        """Replay until every event is delivered (or, when following, until `stop()`); blocks.

        After the end, `seek()` and another `run()` replay again from the time sought.
        """
        self._last_step_s = self._next_poll_s = self._monotonic()
        while not self._controls.stop_requested:
            self._apply_seek()
            if self._finished:
                break
            if self._controls.paused:
                self._rate.update(self._monotonic(), self._progress.events_delivered)
                self._sleep(CONTROL_TICK_S)
                self._last_step_s = self._monotonic()
                continue
            self._poll_when_due()
            speed = self._controls.speed
            wait_s = self._step_fastest() if speed is None else self._step_real_time(speed)
            self._finished = self._is_finished()
            if wait_s > 0 and not self._finished:
                self._sleep(min(wait_s, self._until_next_poll_s()))
        return self.status()

    def _start_pass(self) -> None:
        paths = self._paths
        if self._follow and STDIN in paths and self._stdin_lines is None:
            self._stdin_lines = StdinLines(self._stdin or _process_stdin())
        if self._clock_ms is not None and not self._follow:
            paths = [path for path in paths if path != STDIN]
        sources = Sources(
            paths,
            window_ms=self._window_ms,
            follow=self._follow,
            stdin=self._stdin,
            stdin_lines=self._stdin_lines,
            wall_clock_ms=self._wall_clock_ms,
        )
        with self._controls.lock:
            self._sources = sources
            self._buffer = ReorderBuffer()
            self._progress = Progress()
            self._rate = RateMeter(self._monotonic())

    def _is_finished(self) -> bool:
        sources = self._sources
        return not sources.following and not sources.files_pending and not len(self._buffer)

    def _poll_when_due(self) -> None:
        if not self._follow or self._monotonic() < self._next_poll_s:
            return
        self._next_poll_s = self._monotonic() + self._poll_interval_s
        for reading in self._sources.poll():
            self._hold(reading, is_file=False)

    def _until_next_poll_s(self) -> float:
        if not self._follow:
            return CONTROL_TICK_S
        return max(0.0, min(CONTROL_TICK_S, self._next_poll_s - self._monotonic()))

    def _step_fastest(self) -> float:
        """Deliver one batch as soon as it is safe; returns how long to wait (0: go on at once)."""
        self._last_step_s = self._monotonic()
        self._read_until_releasable()
        batch = self._buffer.release(self._sources.earliest_unread_ms(), self._batch_size)
        if batch:
            latest_ms = batch[-1].timestamp_ms
            self._set_clock(latest_ms if self._clock_ms is None else max(self._clock_ms, latest_ms))
            self._deliver(batch)
            return 0.0
        return CONTROL_TICK_S

    def _step_real_time(self, speed: float) -> float:
        """Move the clock by the real time elapsed times `speed`; deliver what it passed; return the wait."""
        now_s = self._monotonic()
        elapsed_s, self._last_step_s = now_s - self._last_step_s, now_s
        if self._clock_ms is None:
            self._read_until_releasable()
            first_ms = self._buffer.earliest_ms()
            if first_ms is None or first_ms > self._sources.earliest_unread_ms():
                return CONTROL_TICK_S
            self._set_clock(first_ms)
        else:
            target_ms = self._clock_ms + elapsed_s * speed * 1000
            self._read_files_before(target_ms)
            reachable_ms = min(target_ms, self._sources.earliest_unread_ms())
            self._set_clock(max(self._clock_ms, reachable_ms))
        batch = self._buffer.release(self._clock_ms or 0, self._batch_size)
        self._deliver(batch)
        if len(batch) == self._batch_size:
            return 0.0
        return self._wait_for_next_event_s(speed)

    def _wait_for_next_event_s(self, speed: float) -> float:
        next_ms = min(self._buffer.earliest_ms() or math.inf, self._sources.next_file_earliest_ms())
        if self._clock_ms is None or math.isinf(next_ms):
            return CONTROL_TICK_S
        return min(CONTROL_TICK_S, max(0.0, (next_ms - self._clock_ms) / speed / 1000))

    def _read_until_releasable(self) -> None:
        """Read pending files in delivery order until the earliest held event is safe to release."""
        while self._sources.files_pending:
            earliest_ms = self._buffer.earliest_ms()
            if earliest_ms is not None and self._sources.next_file_earliest_ms() >= earliest_ms:
                return
            self._hold(self._sources.read_next_file(), is_file=True)

    def _read_files_before(self, time_ms: float) -> None:
        """Read every pending file that may hold an event before `time_ms`."""
        while self._sources.next_file_earliest_ms() < time_ms:
            self._hold(self._sources.read_next_file(), is_file=True)

    def _hold(self, reading: FileReading, *, is_file: bool) -> None:
        late_events = self._buffer.add(reading.events, self._clock_ms)
        with self._controls.lock:
            self._progress.note_reading(reading, late_events, is_file)

    def _apply_seek(self) -> None:
        target_ms = self._controls.take_seek()
        if target_ms is None:
            return
        if self._clock_ms is not None and target_ms < self._clock_ms:
            self._start_pass()
            for on_rewind in self._on_rewind:
                on_rewind(target_ms)
        self._skip_events_before(target_ms)
        self._set_clock(target_ms)
        self._finished = False

    def _skip_events_before(self, time_ms: int) -> None:
        """Read what may hold events before `time_ms`, delivering none of them and calling none late."""
        self._sources.skip_files_before(time_ms)
        while self._sources.next_file_earliest_ms() < time_ms:
            reading = self._sources.read_next_file()
            self._buffer.add(reading.events, None)
            self._buffer.discard_before(time_ms)
            with self._controls.lock:
                self._progress.note_reading(reading, 0, is_file=True)
        self._buffer.discard_before(time_ms)

    def _set_clock(self, clock_ms: float) -> None:
        previous_ms = None if self._clock_ms is None else int(self._clock_ms)
        with self._controls.lock:
            self._clock_ms = clock_ms
        if int(clock_ms) != previous_ms:
            for on_clock in self._on_clock:
                on_clock(int(clock_ms))

    def _deliver(self, batch: list[Event]) -> None:
        if batch:
            for on_events in self._on_events:
                on_events(batch)
        with self._controls.lock:
            self._progress.events_delivered += len(batch)
            self._rate.update(self._monotonic(), self._progress.events_delivered)


def _process_stdin() -> IO[bytes]:
    return sys.stdin.buffer
