"""The local backend's replay: the replay engine in a thread of its own, feeding a `Pipeline`.

`LocalReplay` is the backend's `ReplayControl`. Its controls work before the replay starts too (they
become its starting settings) and from any thread. `ReplaySettings.start_ms` seeks there before the first
event; `end_ms` stops the replay after the last event at or before it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

from trailtui.backends.base import ReplayStatus
from trailtui.backends.local_pipeline import Pipeline
from trailtui.events.model import Event
from trailtui.replay import DEFAULT_REORDER_WINDOW_MS, Replay
from trailtui.replay import ReplayStatus as EngineStatus
from trailtui.replay.status import check_speed


@dataclass(slots=True)
class ReplaySettings:
    """How to replay: speed (None: as fast as possible), follow, paused at start, time bounds in epoch ms."""

    speed: float | None = None
    follow: bool = False
    paused: bool = False
    start_ms: int | None = None
    end_ms: int | None = None
    reorder_window_ms: int = DEFAULT_REORDER_WINDOW_MS


class LocalReplay:
    """Start, control and watch one replay of the backend's files (see the module documentation)."""

    def __init__(
        self, paths: Sequence[str], settings: ReplaySettings, pipeline: Pipeline, stdin: IO[bytes] | None
    ) -> None:
        self._paths = list(paths)
        self._settings = settings
        self._pipeline = pipeline
        self._stdin = stdin
        self._lock = threading.Lock()
        self._engine: Replay | None = None
        self._thread: threading.Thread | None = None
        self._done = threading.Event()
        self.failure: str | None = None
        """Why the replay stopped early, in one line, when it failed."""

    def start(self) -> None:
        """Start replaying in a background thread (once; later calls do nothing)."""
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="trailtui-replay", daemon=True)
            self._thread.start()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Wait until the replay has ended (never, when following, before `stop()`); True if it has."""
        return self._done.wait(timeout_s)

    def stop(self) -> None:
        """End the replay and wait for its thread."""
        with self._lock:
            engine, thread = self._engine, self._thread
        if engine is not None:
            engine.stop()
        if thread is not None:
            thread.join()

    def engine_status(self) -> EngineStatus | None:
        """The engine's own status (files, late events, problems), or None before it has started."""
        with self._lock:
            engine = self._engine
        return None if engine is None else engine.status()

    # ReplayControl.

    def status(self) -> ReplayStatus:
        engine = self.engine_status()
        done = self._done.is_set()
        settings = self._settings
        if engine is None:
            return ReplayStatus(None, settings.speed, settings.paused, 0, 0.0, done, settings.follow)
        return ReplayStatus(
            engine.clock_ms,
            engine.speed,
            engine.paused,
            engine.events_delivered,
            engine.events_per_second,
            engine.finished or done,
            settings.follow,
            engine.skipped_records,
        )

    def pause(self) -> None:
        self._control(lambda engine: engine.pause(), paused=True)

    def resume(self) -> None:
        self._control(lambda engine: engine.resume(), paused=False)

    def set_speed(self, speed: float | None) -> None:
        checked = check_speed(speed)
        self._control(lambda engine: engine.set_speed(checked), speed=checked)

    def seek(self, clock_ms: int) -> None:
        """Seek; after a replay that has ended, the engine runs again from there."""
        self._control(lambda engine: engine.seek(clock_ms), start_ms=clock_ms)
        with self._lock:
            engine, ended = self._engine, self._done.is_set()
            if engine is None or not ended:
                return
            self._done.clear()
            self._thread = threading.Thread(target=self._run_engine, args=(engine,), daemon=True)
            self._thread.start()

    def _control(self, apply: Callable[[Replay], None], **settings: object) -> None:
        """Apply a control to the running engine, or keep it as a starting setting before it runs."""
        with self._lock:
            if self._engine is None:
                for name, value in settings.items():
                    setattr(self._settings, name, value)
            else:
                apply(self._engine)

    # The replay thread.

    def _run(self) -> None:
        try:
            engine = Replay(
                self._paths,
                follow=self._settings.follow,
                reorder_window_ms=self._settings.reorder_window_ms,
                stdin=self._stdin,
            )
            engine.subscribe(self._deliver, on_clock=self._clock, on_rewind=self._pipeline.on_rewind)
            self._attach(engine)
        except Exception as error:  # a crash must end the replay with a reason, never hang its readers
            self.failure = f"{type(error).__name__}: {error}"
            self._done.set()
            return
        self._run_engine(engine)

    def _run_engine(self, engine: Replay) -> None:
        try:
            engine.run()
        except Exception as error:  # a crash must end the replay with a reason, never hang its readers
            self.failure = f"{type(error).__name__}: {error}"
        finally:
            self._pipeline.finish()
            self._done.set()

    def _attach(self, engine: Replay) -> None:
        with self._lock:
            settings = self._settings
            engine.set_speed(settings.speed)
            if settings.paused:
                engine.pause()
            if settings.start_ms is not None:
                engine.seek(settings.start_ms)
            self._engine = engine

    def _deliver(self, batch: list[Event]) -> None:
        end_ms = self._settings.end_ms
        if end_ms is not None and batch and batch[-1].timestamp_ms > end_ms:
            batch = [event for event in batch if event.timestamp_ms <= end_ms]
            self._stop_engine()
        self._pipeline.on_events(batch)

    def _clock(self, clock_ms: int) -> None:
        end_ms = self._settings.end_ms
        self._pipeline.on_clock(clock_ms if end_ms is None else min(clock_ms, end_ms + 1))

    def _stop_engine(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.stop()
