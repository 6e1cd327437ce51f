"""Scanning local files for a Logs Insights query, on every core.

Files are split into chunks; each chunk is read and run through the streaming part of the query
(everything before the first stats, sort, limit or dedup) in a worker process, and only the small partial
results come back to be merged. Small inputs are scanned in this process: starting workers costs more than
it saves. Memory grows with groups and kept rows, never with the events scanned.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from threading import Event as Flag
from typing import TYPE_CHECKING

from trailtui.backends.base import InputReport, ScanProgress
from trailtui.collection import cyclic_collection_paused
from trailtui.events.layout import STDIN, expand_paths
from trailtui.events.projection import FirstInTimeOrder, Projection
from trailtui.events.readers import Admit, FileReading, read_path_parts
from trailtui.events.screen import ContentScreen
from trailtui.insights import ast, executor
from trailtui.insights.pushdown import FieldTest, admit_test, content_screen, field_tests
from trailtui.insights.results import ScanStatistics
from trailtui.insights.steps import event_time_order
from trailtui.insights.weighted import projected_read, time_buckets

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

PARALLEL_THRESHOLD_BYTES = 4 * 1024 * 1024
CHUNK_BYTES = 8 * 1024 * 1024
MIN_CHUNK_BYTES = 512 * 1024
CHUNKS_PER_WORKER = 8


@dataclass(slots=True)
class ChunkResult:
    """What scanning one chunk of files gave: the query's partial state and what reading skipped."""

    partial: executor.Partial
    bytes_read: int = 0
    files: int = 0
    problem_lines: list[str] = field(default_factory=list)
    files_skipped: int = 0
    records_skipped: int = 0


@dataclass(frozen=True, slots=True)
class InputFile:
    path: str
    size: int
    mtime_ns: int = -1
    """When it was listed (-1 if it could not be read): with the size, what a cache of it depends on."""


def scan_readings(
    compiled: executor.CompiledQuery,
    readings: Iterable[FileReading],
    options: executor.RunOptions,
    projection: Projection | None = None,
    first_in_time: FirstInTimeOrder | None = None,
) -> ChunkResult:
    """Run the streaming part of a query over readings, one file at a time (the query planned once);
    readings of projected rows (see `file_projection`) run once per distinct row. With `first_in_time`,
    the records a reading left unparsed reached the sort too (nothing before it drops a record)."""
    scanner = executor.Scanner(compiled, options)
    statistics = scanner.statistics
    result = ChunkResult(partial=scanner.partial())
    for reading in readings:
        _account(result, reading)
        if reading.screened_out:
            statistics.bytes_screened_out += reading.content_size
            continue
        statistics.content_read += reading.content_size
        statistics.records_read += reading.event_count
        average = reading.content_size // max(1, reading.event_count)
        if reading.rows is not None:
            assert projection is not None  # rows come only from a projection
            scanner.feed_weighted(projection.stand_ins(reading.rows, reading.hints), average)
            continue
        scanner.feed(reading.events, event_size=average)
        if reading.passed_over or reading.unparsed:
            _count_passed_over(statistics, reading, options, average)
        if first_in_time is not None:
            statistics.records_matched += reading.unparsed
    result.partial = scanner.partial()
    return result


def _count_passed_over(
    statistics: ScanStatistics, reading: FileReading, options: executor.RunOptions, size: int
) -> None:
    """Events the reader turned away still count as scanned (bytesScanned: each its file's average).

    Unparsed ones come only from a by-record screen, which is used only without a time range.
    """
    start_ms, end_ms = options.start_ms, options.end_ms
    if start_ms is None and end_ms is None:
        passed = len(reading.passed_over) + reading.unparsed
        statistics.records_scanned += passed
        statistics.bytes_scanned += size * passed
        statistics.accounts |= reading.passed_over_accounts()
        return
    low = start_ms if start_ms is not None else -(2**63)
    high = end_ms if end_ms is not None else 2**63
    in_range = [entry for entry in reading.passed_over_times() if low <= entry[0] <= high]
    statistics.records_scanned += len(in_range)
    statistics.bytes_scanned += size * len(in_range)
    statistics.accounts.update(account for _, account in in_range)


def _account(result: ChunkResult, reading: FileReading) -> None:
    result.files += reading.final  # a big file comes in parts; its last one tells what was skipped
    result.bytes_read += reading.byte_size
    problem = reading.problem_line()
    if problem is not None:
        result.problem_lines.append(problem)
    if reading.skipped_file_reason is not None:
        result.files_skipped += 1
    result.records_skipped += reading.skipped_records


@lru_cache(maxsize=8)
def _compiled(query: str) -> executor.CompiledQuery:
    return executor.compile_query(query)


@lru_cache(maxsize=8)
def _pushed_down(query: str, options: executor.RunOptions) -> list[FieldTest]:
    """The query's pushed-down conjuncts; none for `limit any`, whose statistics stop where its scan stops."""
    commands = _compiled(query).query.commands
    if any(isinstance(command, ast.Limit) and command.any for command in commands):
        return []
    return field_tests(_compiled(query).query, options.context)


@lru_cache(maxsize=8)
def _admit(query: str, options: executor.RunOptions) -> Admit | None:
    return admit_test(_pushed_down(query, options))


@lru_cache(maxsize=8)
def file_screen(query: str, options: executor.RunOptions) -> ContentScreen | None:
    """The query's raw-bytes screen; by record when it has no time range, since records passed over
    unparsed then count as scanned whatever their time, so the statistics stay exact."""
    screen = content_screen(_pushed_down(query, options))
    if screen is None:
        return None
    return replace(screen, by_record=options.start_ms is None and options.end_ms is None)


@lru_cache(maxsize=8)
def _plan(query: str, options: executor.RunOptions) -> executor.Plan:
    return executor.Plan(_compiled(query).query, options)


@lru_cache(maxsize=8)
def file_projection(query: str, options: executor.RunOptions) -> Projection | None:
    """The record members a query reads, when it reads nothing else and can run once per distinct
    combination of them (`weighted.projected_read`); only without a time range (so every record is in
    it) and when no screen applies (a screen parses far fewer records)."""
    if options.start_ms is not None or options.end_ms is not None or file_screen(query, options) is not None:
        return None
    read = projected_read(_compiled(query).query, _plan(query, options).barrier)
    if read is None:
        return None
    buckets = None if read.bin_call is None else time_buckets(read.bin_call, options.context)
    return Projection(read.keys, buckets)


@lru_cache(maxsize=8)
def first_in_time_order(query: str, options: executor.RunOptions) -> FirstInTimeOrder | None:
    """For a query that sorts every record by its own time and keeps N rows (`time_sorted_bound`), each
    file's records that can be among them; only without a time range (every record is in it)."""
    if options.start_ms is not None or options.end_ms is not None:
        return None
    sorted_bound = executor.time_sorted_bound(_compiled(query).query, _plan(query, options))
    if sorted_bound is None:
        return None
    bound, descending = sorted_bound
    return FirstInTimeOrder(bound, descending, event_time_order)


def scan_files(query: str, paths: Sequence[str], options: executor.RunOptions) -> ChunkResult:
    """Worker entry point: read and scan a chunk of files (the query travels as text).

    What the query reads decides how much of each file is parsed: records a word screen rules out are
    counted, not parsed (`file_screen`); a stats query that reads a few members runs per distinct
    combination of them (`file_projection`); a sort on time that keeps N rows parses only each file's
    first N by time (`first_in_time_order`). Records a pushed-down conjunct rejects are counted but never
    become events. The cyclic garbage collector rests meanwhile: parsing allocates millions of objects
    and frees them by reference counting, so its passes would only walk live data.
    """
    admit, screen = _admit(query, options), file_screen(query, options)
    projection, first_in_time = file_projection(query, options), first_in_time_order(query, options)
    with cyclic_collection_paused():
        readings = (
            part
            for path in paths
            for part in read_path_parts(
                path, admit=admit, screen=screen, project=projection, first_in_time=first_in_time
            )
        )
        return scan_readings(_compiled(query), readings, options, projection, first_in_time)


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

    compiled: executor.CompiledQuery
    files: Sequence[InputFile]
    stdin_reading: FileReading | None
    options: executor.RunOptions
    cancelled: Flag = field(default_factory=Flag)
    progress: ScanProgress = field(default_factory=ScanProgress)
    report: InputReport = field(default_factory=InputReport)
    _merged: executor.Partial = field(init=False)

    def run(self, on_chunk: Callable[[], None] = lambda: None) -> executor.Partial:
        """Scan everything (or until cancelled); returns the merged partial state.

        Partials merge in input order whatever order the workers finish in, so `stats` groups come in
        order of first appearance and the answer does not depend on scheduling; each is merged as soon as
        those before it are, so only the chunks that finished early wait in memory.
        """
        started = time.monotonic()
        self.progress.files_total = len(self.files) + (1 if self.stdin_reading else 0)
        self.progress.bytes_total = sum(input_file.size for input_file in self.files)
        self._merged = executor.scan(self.compiled, [], self.options)
        if self.stdin_reading is not None:
            self._absorb(scan_readings(self.compiled, [self.stdin_reading], self.options), started)
        if self.progress.bytes_total >= PARALLEL_THRESHOLD_BYTES and (os.cpu_count() or 1) > 1:
            self._run_in_processes(started, on_chunk)
        else:
            self._run_here(started, on_chunk)
        return self._merged

    def _run_here(self, started: float, on_chunk: Callable[[], None]) -> None:
        for chunk in chunk_files(self.files, chunk_bytes=1):
            if self.cancelled.is_set():
                return
            paths = [input_file.path for input_file in chunk]
            self._absorb(scan_files(self.compiled.text, paths, self.options), started)
            on_chunk()

    def _run_in_processes(self, started: float, on_chunk: Callable[[], None]) -> None:
        workers = os.cpu_count() or 2
        chunk_bytes = max(
            MIN_CHUNK_BYTES, min(CHUNK_BYTES, self.progress.bytes_total // (workers * CHUNKS_PER_WORKER))
        )
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait  # see worker_context

        with ProcessPoolExecutor(max_workers=workers, mp_context=worker_context()) as pool:
            # Only `order` and `pending` refer to a future, and a finished one leaves both: a future keeps
            # its result, so a list of every future would keep every chunk's partial until the end.
            order = {
                pool.submit(scan_files, self.compiled.text, [f.path for f in chunk], self.options): position
                for position, chunk in enumerate(chunk_files(self.files, chunk_bytes))
            }
            finished: dict[int, ChunkResult] = {}
            next_position = 0
            pending = set(order)
            while pending:
                done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                if self.cancelled.is_set():
                    _abandon(pool)
                    return
                _collect(done, order, finished)
                del done
                while next_position in finished:
                    self._absorb(finished.pop(next_position), started)
                    next_position += 1
                    on_chunk()

    def _absorb(self, result: ChunkResult, started: float) -> None:
        """Merge the next chunk's result (in input order) and count it in progress and the report."""
        executor.merge([self._merged, result.partial])
        self.progress.files_done += result.files
        self.progress.bytes_done += result.bytes_read
        self.progress.events_read += result.partial.statistics.records_scanned
        self.progress.elapsed_s = time.monotonic() - started
        self.report.problem_lines.extend(result.problem_lines)
        self.report.files_read += result.files - result.files_skipped
        self.report.files_skipped += result.files_skipped
        self.report.records_skipped += result.records_skipped


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop a cancelled scan at once: chunks not started never start, and the query returns without waiting
    for the chunks already running (each is a small share of the input; their results are dropped).

    The workers are not killed: a worker killed while it writes a result leaves a partial message in the
    pool's result pipe, and the pool's manager thread then waits on it forever, hanging interpreter exit.
    """
    pool.shutdown(wait=False, cancel_futures=True)


def _collect(
    done: set[Future[ChunkResult]], order: dict[Future[ChunkResult], int], finished: dict[int, ChunkResult]
) -> None:
    """Move finished chunks' results into `finished` by position, forgetting their futures."""
    for future in done:
        finished[order.pop(future)] = future.result()


@lru_cache(maxsize=1)
def worker_context() -> BaseContext:
    """Workers fork from a server that has imported the scanner once, so each starts ready to read.

    The server starts here, with a real stderr: inside the console, Textual's stand-in for sys.stderr
    has the descriptor -1, which the resource tracker would pass on (and starting workers would fail).
    """
    # Imported here, not at the top: a process that answers from the session cache never starts workers,
    # and these imports are ~12 ms of its ~0.3 s.
    import multiprocessing
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with _stderr_with_a_descriptor():
        forkserver.ensure_running()
    return context


@contextmanager
def _stderr_with_a_descriptor() -> Iterator[None]:
    try:
        usable = sys.stderr is None or sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = True  # the resource tracker leaves such a stderr out
    if usable:
        yield
        return
    replaced, sys.stderr = sys.stderr, sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = replaced


def list_input_files(paths: Sequence[str]) -> list[InputFile]:
    """The files under the input paths with their sizes (stdin excluded; missing files kept, size 0)."""
    files = []
    for path in expand_paths(paths):
        if path == STDIN:
            continue
        try:
            status = os.stat(path)
        except OSError:
            files.append(InputFile(path, 0))
            continue
        files.append(InputFile(path, status.st_size, status.st_mtime_ns))
    return files
