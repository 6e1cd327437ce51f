"""The local backend's answers from replayed events: rules, metric filters, metric data, alarms, tail, saved
queries, in the AWS shapes.

`LocalMonitoring` is the part of `LocalBackend` that the replay feeds (see `local_pipeline`); the backend
makes it when it is first used. The replay
starts with `start_replay()` (or the first `tail()`); `replay_to_end()` waits for it. Definitions come
from the built-in and user packs unless the backend is given others, and Put calls add to them for the
session; `put_query_definition` also writes the query to the user's packs folder, atomically.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import IO, Any

from trailtui.backends.base import (
    BackendError,
    InvalidPattern,
    ReplayControl,
    RuleReportRequest,
    TailRequest,
)
from trailtui.backends.local_definitions import (
    SavedQuery,
    checked_alarm,
    checked_metric_filter,
    checked_query,
    checked_rule,
    compile_packs,
)
from trailtui.backends.local_pipeline import AlarmObserver, Pipeline
from trailtui.backends.local_replay import LocalReplay, ReplaySettings
from trailtui.events.model import Event
from trailtui.metrics.filters import MetricFilterError
from trailtui.metrics.patterns import FilterPattern, PatternError
from trailtui.metrics.testing import test_metric_filter
from trailtui.packs import PackContents, load_packs, replace_file, write_user_definition
from trailtui.replay import ReplayStatus as EngineStatus
from trailtui.replay.engine import DEFAULT_BATCH_SIZE

MAX_TAIL_UPDATE_EVENTS = 500
_UNSAFE_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class LocalMonitoring:
    """Rules, metric filters, alarms, saved queries and tail over a replay of the backend's files."""

    def __init__(
        self,
        paths: Sequence[str],
        stdin: IO[bytes] | None,
        settings: ReplaySettings,
        packs: PackContents | None,
        user_packs_dir: Path | None,
    ) -> None:
        self._user_packs_dir = user_packs_dir
        compiled = compile_packs(packs if packs is not None else load_packs(user_packs_dir))
        self.definition_problems = compiled.problems
        """One line per pack file that was skipped, and why."""
        self._saved_queries: dict[str, SavedQuery] = compiled.queries
        self._pipeline = Pipeline(DEFAULT_BATCH_SIZE)
        now_ms = _now_ms()
        for rule in compiled.rules.values():
            self._pipeline.put_rule(rule)
        for request in compiled.metric_filters.values():
            self._pipeline.put_metric_filter(request, now_ms)
        for alarm in compiled.alarms.values():
            self._pipeline.put_alarm(alarm)
        self._local_replay = LocalReplay(paths, settings, self._pipeline, stdin)
        self.replay: ReplayControl | None = self._local_replay

    # The replay.

    @property
    def local_replay(self) -> LocalReplay:
        """The replay with its local-only operations (waiting for its end, its failure)."""
        return self._local_replay

    def start_replay(self) -> None:
        """Start feeding rules, filters, alarms and tails (once; later calls do nothing)."""
        self._local_replay.start()

    async def replay_to_end(self) -> None:
        """Start the replay if needed and wait until it has ended."""
        self._local_replay.start()
        while not await asyncio.to_thread(self._local_replay.wait, 0.25):
            continue

    def on_alarm(self, observer: AlarmObserver) -> None:
        """Call `observer` (in the replay thread) with every alarm state change from now on."""
        self._pipeline.add_alarm_observer(observer)

    def replay_details(self) -> EngineStatus | None:
        """The replay engine's own status (files, problems, late events); None before it runs."""
        return self._local_replay.engine_status()

    def list_metrics(self) -> dict[str, Any]:
        """ListMetrics: every metric the metric filters have published to."""
        return {"Metrics": self._pipeline.list_metrics()}

    def processed_span_ms(self) -> tuple[int, int] | None:
        """The times of the earliest and latest replayed events, None before the first."""
        return self._pipeline.processed_span_ms()

    async def close(self) -> None:
        """Stop the replay."""
        await asyncio.to_thread(self._local_replay.stop)

    # Saved queries.

    async def describe_query_definitions(self) -> dict[str, Any]:
        queries = [self._saved_queries[name].describe() for name in sorted(self._saved_queries)]
        return {"queryDefinitions": queries}

    async def put_query_definition(self, name: str, query: str) -> str:
        existing = self._saved_queries.get(name)
        saved = checked_query(name, query, existing.path if existing else None)
        body = {"name": name, "queryString": query}
        if saved.path is not None:
            path = await asyncio.to_thread(replace_file, saved.path, body)
        else:
            path = await asyncio.to_thread(self._write_new_query, name, body)
        self._saved_queries[name] = SavedQuery(name, query, path)
        return saved.definition_id

    def _write_new_query(self, name: str, body: dict[str, Any]) -> Path:
        stem = _UNSAFE_FILE_NAME.sub("-", name).strip("-.") or "query"
        for attempt in range(1, 1000):
            candidate = stem if attempt == 1 else f"{stem}-{attempt}"
            path = write_user_definition("query", candidate, body, self._user_packs_dir, replace=False)
            if path is not None:
                return path
        raise BackendError(f"no free file name for the saved query {name!r}")

    # Contributor Insights.

    async def describe_insight_rules(self) -> dict[str, Any]:
        return {"InsightRules": await asyncio.to_thread(self._pipeline.describe_rules)}

    async def get_insight_rule_report(self, request: RuleReportRequest) -> dict[str, Any]:
        return await asyncio.to_thread(self._pipeline.rule_report, request)

    async def put_insight_rule(self, name: str, definition: str) -> None:
        rule = checked_rule(name, definition)
        await asyncio.to_thread(self._pipeline.put_rule, rule)

    # Metric filters, metric data and alarms.

    async def describe_metric_filters(self) -> dict[str, Any]:
        return {"metricFilters": await asyncio.to_thread(self._pipeline.describe_metric_filters)}

    async def put_metric_filter(self, request: dict[str, Any]) -> None:
        checked = checked_metric_filter(request)
        await asyncio.to_thread(self._pipeline.put_metric_filter, checked, _now_ms())

    async def test_metric_filter(self, pattern: str, messages: list[str]) -> dict[str, Any]:
        try:
            return test_metric_filter(pattern, messages)
        except MetricFilterError as error:
            raise BackendError(str(error)) from error

    async def get_metric_data(
        self, queries: list[dict[str, Any]], start_ms: int, end_ms: int
    ) -> dict[str, Any]:
        return await asyncio.to_thread(self._pipeline.metric_data, queries, start_ms, end_ms)

    async def describe_alarms(self) -> dict[str, Any]:
        return {"MetricAlarms": await asyncio.to_thread(self._pipeline.describe_alarms)}

    async def describe_alarm_history(self, alarm_name: str | None = None) -> dict[str, Any]:
        return await asyncio.to_thread(self._pipeline.alarm_history, alarm_name)

    async def put_metric_alarm(self, request: dict[str, Any]) -> None:
        alarm = checked_alarm(request)
        await asyncio.to_thread(self._pipeline.put_alarm, alarm)

    # Live tail.

    async def tail(self, request: TailRequest) -> AsyncIterator[dict[str, Any]]:
        """The replay's batches in StartLiveTail's shape; ends when a replay that does not follow ends."""
        pattern = _tail_pattern(request.filter_pattern)
        subscription = self._pipeline.subscribe_tail(pattern, asyncio.get_running_loop())
        try:
            self._local_replay.start()
            yield {"sessionStart": _session_start(request)}
            while (events := await subscription.queue.get()) is not None:
                for first in range(0, len(events), MAX_TAIL_UPDATE_EVENTS):
                    yield _session_update(events[first : first + MAX_TAIL_UPDATE_EVENTS])
        finally:
            self._pipeline.unsubscribe_tail(subscription)


def _tail_pattern(text: str | None) -> FilterPattern | None:
    if not text:
        return None
    try:
        return FilterPattern.parse(text)
    except PatternError as error:
        raise InvalidPattern(f"invalid filter pattern: {error}", error.position + 1) from error


def _session_start(request: TailRequest) -> dict[str, Any]:
    start: dict[str, Any] = {
        "requestId": str(uuid.uuid4()),
        "sessionId": str(uuid.uuid4()),
        "logGroupIdentifiers": ["CloudTrail/DefaultLogGroup"],
    }
    if request.filter_pattern:
        start["logEventFilterPattern"] = request.filter_pattern
    return start


def _session_update(events: list[Event]) -> dict[str, Any]:
    results = [
        {
            "logStreamName": event.log_stream,
            "logGroupIdentifier": event.log_group,
            "message": event.message,
            "timestamp": event.timestamp_ms,
            "ingestionTime": event.timestamp_ms,
        }
        for event in events
    ]
    return {"sessionUpdate": {"sessionMetadata": {"sampled": False}, "sessionResults": results}}


def _now_ms() -> int:
    return int(time.time() * 1000)
