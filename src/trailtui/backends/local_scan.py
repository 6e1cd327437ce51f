"""Scanning local files for a Logs Insights query, on every core.

Files are split into chunks; each chunk is read and run through the streaming part of the query
(everything before the first stats, sort, limit or dedup) in a worker process, and only the small partial
results come back to be merged. Small inputs are scanned in this process: starting workers costs more than
it saves. Memory grows with groups and kept rows, never with the events scanned.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from threading import Event as Flag
from typing import Any

from trailtui.backends.base import InputReport, ScanProgress
from trailtui.events.layout import STDIN, expand_paths
from trailtui.events.model import Event
from trailtui.events.readers import FileReading, read_path
from trailtui.insights import executor

PARALLEL_THRESHOLD_BYTES = 32 * 1024 * 1024
CHUNK_BYTES = 8 * 1024 * 1024


@dataclass(slots=True)
class ChunkResult:
    """What scanning one chunk of files gave: the query's partial state and what reading skipped."""

    partial: Any
    records_scanned: int = 0
    bytes_scanned: int = 0
    bytes_read: int = 0
    files: int = 0
    problem_lines: list[str] = field(default_factory=list)
    files_skipped: int = 0
    records_skipped: int = 0


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str
    size: int


def in_range(events: list[Event], start_ms: int | None, end_ms: int | None) -> list[Event]:
    if start_ms is None and end_ms is None:
        return events
    low = start_ms if start_ms is not None else -(2**63)
    high = end_ms if end_ms is not None else 2**63
    return [event for event in events if low <= event.timestamp_ms <= high]


def scan_readings(
    compiled: Any, readings: Iterable[FileReading], start_ms: int | None, end_ms: int | None
) -> ChunkResult:
    """Run the streaming part of a query over readings, one file at a time."""
    partials = []
    result = ChunkResult(partial=None)
    for reading in readings:
        events = in_range(reading.events, start_ms, end_ms)
        partials.append(executor.scan(compiled, events))
        _account(result, reading, events)
    result.partial = executor.merge(compiled, partials)
    return result


def _account(result: ChunkResult, reading: FileReading, events_in_range: list[Event]) -> None:
    result.files += 1
    result.bytes_read += reading.byte_size
    result.records_scanned += len(events_in_range)
    if reading.events:
        result.bytes_scanned += reading.content_size * len(events_in_range) // len(reading.events)
    problem = reading.problem_line()
    if problem is not None:
        result.problem_lines.append(problem)
    if reading.skipped_file_reason is not None:
        result.files_skipped += 1
    result.records_skipped += reading.skipped_records


@lru_cache(maxsize=8)
def _compiled(query: str) -> Any:
    return executor.compile_query(query)


def scan_files(query: str, paths: Sequence[str], start_ms: int | None, end_ms: int | None) -> ChunkResult:
    """Worker entry point: read and scan a chunk of files (the query travels as text)."""
    return scan_readings(_compiled(query), (read_path(path) for path in paths), start_ms, end_ms)


def chunk_files(files: Sequence[InputFile], chunk_bytes: int = CHUNK_BYTES) -> Iterator[list[InputFile]]:
    chunk: list[InputFile] = []
    size = 0
    for input_file in files:
        chunk.append(input_file)
        size += input_file.size
        if size >= chunk_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


@dataclass
class QueryScan:
    """One query's scan over the inputs: progress while it runs, the merged partial when it ends."""

    query: str
    compiled: Any
    files: Sequence[InputFile]
    stdin_reading: FileReading | None
    start_ms: int | None
    end_ms: int | None
    cancelled: Flag = field(default_factory=Flag)
    progress: ScanProgress = field(default_factory=ScanProgress)
    report: InputReport = field(default_factory=InputReport)
    records_scanned: int = 0
    bytes_scanned: int = 0
    partials: list[Any] = field(default_factory=list)

    def run(self, on_chunk: Callable[[], None] = lambda: None) -> Any:
        """Scan everything (or until cancelled); returns the merged partial state."""
        started = time.monotonic()
        self.progress.files_total = len(self.files) + (1 if self.stdin_reading else 0)
        self.progress.bytes_total = sum(input_file.size for input_file in self.files)
        if self.stdin_reading is not None:
            self._absorb(
                scan_readings(self.compiled, [self.stdin_reading], self.start_ms, self.end_ms), started
            )
        if self.progress.bytes_total >= PARALLEL_THRESHOLD_BYTES and (os.cpu_count() or 1) > 1:
            self._run_in_processes(started, on_chunk)
        else:
            self._run_here(started, on_chunk)
        return executor.merge(self.compiled, self.partials)

    def _run_here(self, started: float, on_chunk: Callable[[], None]) -> None:
        for chunk in chunk_files(self.files, chunk_bytes=1):
            if self.cancelled.is_set():
                return
            paths = [input_file.path for input_file in chunk]
            self._absorb(scan_files(self.query, paths, self.start_ms, self.end_ms), started)
            on_chunk()

    def _run_in_processes(self, started: float, on_chunk: Callable[[], None]) -> None:
        workers = os.cpu_count() or 2
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            pending: set[Future[ChunkResult]] = {
                pool.submit(scan_files, self.query, [f.path for f in chunk], self.start_ms, self.end_ms)
                for chunk in chunk_files(self.files)
            }
            while pending:
                done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    self._absorb(future.result(), started)
                    on_chunk()
                if self.cancelled.is_set():
                    for future in pending:
                        future.cancel()
                    return

    def _absorb(self, result: ChunkResult, started: float) -> None:
        self.partials.append(result.partial)
        self.records_scanned += result.records_scanned
        self.bytes_scanned += result.bytes_scanned
        self.progress.files_done += result.files
        self.progress.bytes_done += result.bytes_read
        self.progress.events_read += result.records_scanned
        self.progress.elapsed_s = time.monotonic() - started
        self.report.problem_lines.extend(result.problem_lines)
        self.report.files_read += result.files - result.files_skipped
        self.report.files_skipped += result.files_skipped
        self.report.records_skipped += result.records_skipped


def list_input_files(paths: Sequence[str]) -> list[InputFile]:
    """The files under the input paths with their sizes (stdin excluded; missing files kept, size 0)."""
    files = []
    for path in expand_paths(paths):
        if path == STDIN:
            continue
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        files.append(InputFile(path, size))
    return files
