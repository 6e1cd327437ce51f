"""What the replay-driven commands share: their options, the backend they build, running it to the end.

`contributors`, `metrics`, `alarms` and `tail` take the same PATH, stdin and time-range options as
`trailtui query`; `--start`/`--end` bound the replay itself (it seeks to the start and stops after the
end). Problems reading the input go to stderr, one line each; a replay that delivered no event at all
means nothing readable (exit 1).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from trailtui.backends.base import BackendError, InputReport, ScanProgress
from trailtui.backends.local import LocalBackend
from trailtui.backends.local_replay import ReplaySettings
from trailtui.cli.exit_codes import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE
from trailtui.cli.inputs import (
    add_path_argument,
    add_time_arguments,
    fail,
    input_paths,
    print_input_report,
    time_range,
)
from trailtui.cli.progress import ProgressLine
from trailtui.events.timestamps import parse_relative
from trailtui.packs import PackContents

PROGRESS_INTERVAL_S = 0.25
Answer = TypeVar("Answer")


def add_replay_arguments(parser: argparse.ArgumentParser) -> None:
    add_path_argument(parser)
    add_time_arguments(parser)
    parser.set_defaults(paths_anywhere=True)


def period_seconds(text: str, option: str = "--period") -> int:
    """A period such as `5m`, `1h`, `300s` or a number of seconds; ValueError when it is not one."""
    milliseconds = int(text) * 1000 if text.isdigit() else parse_relative(text)
    if milliseconds < 1000 or milliseconds % 1000:
        raise ValueError(f"{option} must be a whole number of seconds, at least 1: {text!r}")
    return milliseconds // 1000


def replay_settings(options: argparse.Namespace) -> ReplaySettings:
    """As fast as possible, bounded by the command's time range (UsageError when it is not one)."""
    start_ms, end_ms = time_range(options)
    return ReplaySettings(start_ms=start_ms, end_ms=end_ms)


def replay_backend(options: argparse.Namespace, settings: ReplaySettings) -> LocalBackend:
    """A backend over the command's inputs with no pack definitions: the command puts the ones it runs."""
    paths = options.paths
    stdin = sys.stdin.buffer if "-" in paths else None
    return LocalBackend(input_paths(paths), stdin, replay=settings, packs=PackContents())


def replayed_window(backend: LocalBackend, settings: ReplaySettings) -> tuple[int, int]:
    """[start, end) in epoch ms: the time range given (its end second included), else the replayed events'."""
    first_ms, last_ms = backend.processed_span_ms() or (0, 0)
    start_ms = settings.start_ms if settings.start_ms is not None else first_ms
    end_ms = settings.end_ms + 1 if settings.end_ms is not None else last_ms + 1
    return start_ms, end_ms


def answering_replay(
    options: argparse.Namespace,
    setup: Callable[[LocalBackend], Awaitable[object]],
    answer: Callable[[LocalBackend, ReplaySettings], Awaitable[Answer]],
    show: Callable[[Answer], None],
    closing: Callable[[], object] | None = None,
) -> Callable[[], int]:
    """The run over the command's files (UsageError for a bad time range): `setup` puts its definitions,
    the files are replayed to the end, then the `answer` asked for is shown. `closing` is called (in a
    thread) once the backend is closed, before the answer is shown."""
    settings = replay_settings(options)
    backend = replay_backend(options, settings)

    async def run() -> int:
        try:
            await setup(backend)
            await replay_with_progress(backend)
            if report_replay_problems(backend):
                return EXIT_NO_INPUT
            result = await answer(backend, settings)
        except BackendError as error:
            fail(str(error))
            return EXIT_USAGE
        finally:
            await backend.close()
            if closing is not None:
                await asyncio.to_thread(closing)
        show(result)
        return EXIT_OK

    return lambda: asyncio.run(run())


async def replay_with_progress(backend: LocalBackend) -> None:
    """Run the replay to its end, drawing progress on stderr when it is a terminal."""
    progress = ProgressLine()
    started = time.monotonic()
    backend.start_replay()
    try:
        while not await asyncio.to_thread(backend.local_replay.wait, PROGRESS_INTERVAL_S):
            progress.update(_progress(backend, time.monotonic() - started))
    finally:
        progress.clear()


def report_replay_problems(backend: LocalBackend) -> bool:
    """Print what the replay could not read; True when it delivered no event at all (nothing readable)."""
    details = backend.replay_details()
    if details is not None:
        print_input_report(
            InputReport(
                list(details.problem_lines),
                files_read=details.files_read - details.files_skipped,
                files_skipped=details.files_skipped,
                records_skipped=details.skipped_records,
            )
        )
    if backend.local_replay.failure is not None:
        fail(f"the replay failed: {backend.local_replay.failure}")
        return True
    if details is None or details.events_delivered == 0:
        read_some = details is not None and details.files_read > details.files_skipped
        fail("the files read hold no events" if read_some else "no events could be read")
        return True
    return False


def _progress(backend: LocalBackend, elapsed_s: float) -> ScanProgress | None:
    details = backend.replay_details()
    if details is None:
        return None
    return ScanProgress(
        files_total=details.files_read + details.files_pending,
        files_done=details.files_read,
        events_read=details.events_delivered,
        elapsed_s=elapsed_s,
    )
