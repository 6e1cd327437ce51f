"""The local backend: CloudTrail files on disk (or stdin), answered by trailtui's own engines.

Queries follow StartQuery/GetQueryResults/StopQuery: each runs in a thread of its own (its scan in worker
processes when the input is large), so callers poll, as they would poll CloudWatch, and never block.
Rules, metric filters, alarms, saved queries, tail and the replay controls come from a `LocalMonitoring`,
made (and imported) when first used: a query alone never loads them.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import sys
import threading
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trailtui.backends.base import (
    InputReport,
    MalformedQuery,
    NotFound,
    QueryRequest,
    QueryResults,
    ReplayControl,
    RuleReportRequest,
    ScanProgress,
    TailRequest,
)
from trailtui.backends.local_cache import QueryCache
from trailtui.backends.local_scan import InputFile, QueryScan, list_input_files
from trailtui.events.layout import STDIN
from trailtui.events.model import Event, decode_ptr, flatten
from trailtui.events.readers import FileReading, read_bytes, read_record
from trailtui.insights import executor
from trailtui.insights.errors import MalformedQueryError, QueryLimitError
from trailtui.insights.values import render

if TYPE_CHECKING:
    from trailtui.backends.local_monitoring import LocalMonitoring
    from trailtui.backends.local_pipeline import AlarmObserver
    from trailtui.backends.local_replay import LocalReplay, ReplaySettings
    from trailtui.packs import PackContents
    from trailtui.replay import ReplayStatus


@dataclass
class LocalQuery:
    """One query's life: running in its thread, then its final results."""

    query_id: str
    scan: QueryScan
    request: QueryRequest
    started: float = field(default_factory=time.monotonic)
    results: QueryResults | None = None
    failure: str | None = None
    thread: threading.Thread | None = None


class LocalBackend:
    """Logs Insights, drill-down, and the replay's rules, metrics, alarms and tail over local files.

    `replay` says how the replay runs (default: as fast as possible, not following). `packs` replaces the
    definitions loaded at start (default: the built-in packs and the user's, from `user_packs_dir`).
    Stdin is read whole at start for queries and a replay; a following replay reads it as it comes instead.
    """

    def __init__(
        self,
        paths: Sequence[str],
        stdin: Any = None,
        *,
        replay: ReplaySettings | None = None,
        packs: PackContents | None = None,
        user_packs_dir: Path | None = None,
    ) -> None:
        self.paths = list(paths)
        self.description = "local: " + (
            ", ".join(self.paths) if len(self.paths) <= 2 else f"{len(self.paths)} paths"
        )
        self._stdin_reading: FileReading | None = None
        replay_stdin = None
        if STDIN in self.paths:
            replay_stdin = stdin if stdin is not None else sys.stdin.buffer
            if replay is None or not replay.follow:
                stdin_bytes = bytes(replay_stdin.read())
                self._stdin_reading = read_bytes(STDIN, stdin_bytes)
                replay_stdin = io.BytesIO(stdin_bytes)
        self._monitoring_options = (replay_stdin, replay, packs, user_packs_dir)
        self._monitoring: LocalMonitoring | None = None
        self._monitoring_lock = threading.Lock()
        self._files: list[InputFile] | None = None
        self._query_cache = QueryCache(enabled=STDIN not in self.paths)
        self._queries: dict[str, LocalQuery] = {}
        self._ids = itertools.count(1)
        self._report = InputReport()

    def configure_query_cache(self, *, background: bool, directory: Path | None = None) -> None:
        """How queries reuse earlier reads: `background` builds a session cache after a first scan (for a
        session of several queries); `directory` keeps the cache in a file there, read by later processes
        (`trailtui query --cache`)."""
        self._query_cache.configure(background, directory)

    def query_cache_notices(self) -> list[str]:
        """What happened to a cache file worth telling (discarded as damaged or stale format, not written)."""
        return list(self._query_cache.notices)

    def input_files(self) -> list[InputFile]:
        if self._files is None:
            self._files = list_input_files(self.paths)
        return self._files

    async def start_query(self, request: QueryRequest) -> str:
        try:
            compiled = executor.compile_query(request.query)
        except MalformedQueryError as error:
            raise MalformedQuery(
                str(error), error.line, error.column, error.start_offset, error.end_offset
            ) from error
        files = await asyncio.to_thread(self.input_files)
        options = executor.RunOptions(request.start_ms, request.end_ms, request.limit)
        scan = QueryScan(compiled, files, self._stdin_reading, options)
        query = LocalQuery(f"local-{next(self._ids)}", scan, request)
        query.thread = threading.Thread(target=self._run, args=(query,), daemon=True, name=query.query_id)
        self._queries[query.query_id] = query
        query.thread.start()
        return query.query_id

    def _run(self, query: LocalQuery) -> None:
        scan = query.scan
        try:
            partial = self._query_cache.run(scan)
            if partial is None:
                partial = scan.run()
                if not scan.cancelled.is_set():
                    self._query_cache.start_building(scan)
            results = executor.finish(scan.compiled, partial, scan.options)
            if scan.cancelled.is_set():
                results["status"] = "Cancelled"
            query.results = results
        except QueryLimitError as error:
            query.failure = str(error)
        except Exception as error:  # a worker crash must become a Failed query, never a dead thread
            query.failure = f"{type(error).__name__}: {error}"
        if not scan.cancelled.is_set():
            self._report = scan.report

    async def get_query_results(self, query_id: str) -> QueryResults:
        query = self._query(query_id)
        if query.failure is not None:
            return self._status_only(query, "Failed")
        if query.results is not None:
            return query.results
        return self._status_only(query, "Cancelled" if query.scan.cancelled.is_set() else "Running")

    def _status_only(self, query: LocalQuery, status: str) -> QueryResults:
        scanned = query.scan.progress.events_read
        statistics = {"recordsMatched": 0.0, "recordsScanned": float(scanned), "bytesScanned": 0.0}
        return {"queryLanguage": "CWLI", "status": status, "statistics": statistics, "results": []}

    def query_failure(self, query_id: str) -> str | None:
        return self._query(query_id).failure

    async def stop_query(self, query_id: str) -> bool:
        query = self._query(query_id)
        running = query.results is None and query.failure is None
        query.scan.cancelled.set()
        return running

    def query_progress(self, query_id: str) -> ScanProgress | None:
        return self._query(query_id).scan.progress

    def _query(self, query_id: str) -> LocalQuery:
        query = self._queries.get(query_id)
        if query is None:
            raise NotFound(f"no query with id {query_id!r}")
        return query

    async def get_log_record(self, ptr: str) -> dict[str, str]:
        event = await asyncio.to_thread(self.find_event, ptr)
        return log_record(event)

    def find_event(self, ptr: str) -> Event:
        """The event an @ptr points to, read again from its file as far as that record (or from stdin as
        read at start)."""
        try:
            source, ordinal = decode_ptr(ptr)
        except ValueError as error:
            raise NotFound(str(error)) from error
        if source != STDIN:
            event = read_record(source, ordinal)
        elif self._stdin_reading is not None and 0 <= ordinal < len(self._stdin_reading.events):
            event = self._stdin_reading.events[ordinal]
        else:
            event = None
        if event is None:
            raise NotFound(f"@ptr {ptr} points to record {ordinal} of {source}, which is not there")
        return event

    def input_report(self) -> InputReport:
        return self._report

    async def close(self) -> None:
        if self._monitoring is not None:
            await self._monitoring.close()
        await asyncio.to_thread(self._query_cache.close)
        for query in self._queries.values():
            query.scan.cancelled.set()
        for query in self._queries.values():
            if query.thread is not None:
                await asyncio.to_thread(query.thread.join)

    # Rules, metric filters, alarms, saved queries, tail and the replay: LocalMonitoring's.

    @property
    def monitoring(self) -> LocalMonitoring:
        """The rules, metric filters, alarms, saved queries, tail and replay of these files, made (their
        definitions loaded and compiled) the first time any of them is used."""
        with self._monitoring_lock:
            if self._monitoring is None:
                from trailtui.backends.local_monitoring import LocalMonitoring
                from trailtui.backends.local_replay import ReplaySettings

                stdin, settings, packs, user_packs_dir = self._monitoring_options
                self._monitoring = LocalMonitoring(
                    self.paths, stdin, settings or ReplaySettings(), packs, user_packs_dir
                )
            return self._monitoring

    @property
    def replay(self) -> ReplayControl | None:
        return self.monitoring.replay

    @property
    def local_replay(self) -> LocalReplay:
        return self.monitoring.local_replay

    @property
    def definition_problems(self) -> list[str]:
        return self.monitoring.definition_problems

    def start_replay(self) -> None:
        self.monitoring.start_replay()

    async def replay_to_end(self) -> None:
        await self.monitoring.replay_to_end()

    def on_alarm(self, observer: AlarmObserver) -> None:
        self.monitoring.on_alarm(observer)

    def replay_details(self) -> ReplayStatus | None:
        return self.monitoring.replay_details()

    def list_metrics(self) -> dict[str, Any]:
        return self.monitoring.list_metrics()

    def processed_span_ms(self) -> tuple[int, int] | None:
        return self.monitoring.processed_span_ms()

    async def describe_query_definitions(self) -> dict[str, Any]:
        return await self.monitoring.describe_query_definitions()

    async def put_query_definition(self, name: str, query: str) -> str:
        return await self.monitoring.put_query_definition(name, query)

    async def describe_insight_rules(self) -> dict[str, Any]:
        return await self.monitoring.describe_insight_rules()

    async def get_insight_rule_report(self, request: RuleReportRequest) -> dict[str, Any]:
        return await self.monitoring.get_insight_rule_report(request)

    async def put_insight_rule(self, name: str, definition: str) -> None:
        await self.monitoring.put_insight_rule(name, definition)

    async def describe_metric_filters(self) -> dict[str, Any]:
        return await self.monitoring.describe_metric_filters()

    async def put_metric_filter(self, request: dict[str, Any]) -> None:
        await self.monitoring.put_metric_filter(request)

    async def test_metric_filter(self, pattern: str, messages: list[str]) -> dict[str, Any]:
        return await self.monitoring.test_metric_filter(pattern, messages)

    async def get_metric_data(
        self, queries: list[dict[str, Any]], start_ms: int, end_ms: int
    ) -> dict[str, Any]:
        return await self.monitoring.get_metric_data(queries, start_ms, end_ms)

    async def describe_alarms(self) -> dict[str, Any]:
        return await self.monitoring.describe_alarms()

    async def describe_alarm_history(self, alarm_name: str | None = None) -> dict[str, Any]:
        return await self.monitoring.describe_alarm_history(alarm_name)

    async def put_metric_alarm(self, request: dict[str, Any]) -> None:
        await self.monitoring.put_metric_alarm(request)

    def tail(self, request: TailRequest) -> AsyncIterator[dict[str, Any]]:
        return self.monitoring.tail(request)


def log_record(event: Event) -> dict[str, str]:
    """GetLogRecord's logRecord for an event: system fields and every flattened leaf, as strings."""
    record = {
        "@timestamp": str(event.timestamp_ms),
        "@ingestionTime": str(event.timestamp_ms),
        "@logStream": event.log_stream,
        "@log": event.log_group,
        "@message": event.message,
    }
    for name, value in flatten(event.record).items():
        text = render(value)
        if text is not None:
            record[name] = text
    return record
