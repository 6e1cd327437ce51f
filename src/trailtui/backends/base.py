"""The one interface the console and the CLI talk to, whichever backend answers.

Calls and answers have the shapes of the AWS APIs (StartQuery/GetQueryResults/StopQuery/GetLogRecord, ...),
so a caller cannot tell local files from a live account, and a user can move between them without surprises.
Every method is async: the local backend runs its work in threads and processes, the live one awaits AWS.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

QueryResults = dict[str, Any]
"""A GetQueryResults response: queryLanguage, status, statistics, results (rows of {field, value})."""

TERMINAL_STATUSES = frozenset({"Complete", "Failed", "Cancelled", "Timeout"})


class BackendError(Exception):
    """A request the backend refused or could not carry out; its message is one line for the user."""


class MalformedQuery(BackendError):
    """MalformedQueryException: where in the query text it breaks."""

    def __init__(self, message: str, line: int, column: int, start_offset: int, end_offset: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.start_offset = start_offset
        self.end_offset = end_offset


class InvalidDefinition(BackendError):
    """A rule, filter or alarm the service refuses; `location` is the JSON path of what it refuses."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.location = location


class InvalidPattern(BackendError):
    """A malformed filter pattern; `column` (1-based) is where it breaks, when known."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


class NotFound(BackendError):
    """The query, pointer or resource named does not exist (ResourceNotFoundException)."""


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """What StartQuery takes: the query text, a time range in epoch ms (None: unbounded) and a row limit."""

    query: str
    start_ms: int | None = None
    end_ms: int | None = None
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class RuleReportRequest:
    """What GetInsightRuleReport takes (times in epoch ms, period in seconds)."""

    rule_name: str
    start_ms: int
    end_ms: int
    period_s: int = 300
    max_contributor_count: int = 10
    order_by: str = "Sum"


@dataclass(frozen=True, slots=True)
class TailRequest:
    """What StartLiveTail takes: an optional filter pattern (the metric-filter language)."""

    filter_pattern: str | None = None


@dataclass(slots=True)
class ReplayStatus:
    """Where a local replay is: its clock (event time), speed (None: as fast as possible), counts."""

    clock_ms: int | None
    speed: float | None
    paused: bool
    events_delivered: int
    events_per_s: float
    finished: bool
    following: bool = False
    skipped_records: int = 0


class ReplayControl(Protocol):
    """Controls of a local replay (a live account has none: it runs in real time)."""

    def status(self) -> ReplayStatus: ...
    def start(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def set_speed(self, speed: float | None) -> None: ...
    def seek(self, clock_ms: int) -> None: ...


@dataclass(slots=True)
class ScanProgress:
    """How far a scan has come, for progress bars: files, bytes and events read so far."""

    files_total: int = 0
    files_done: int = 0
    bytes_total: int = 0
    bytes_done: int = 0
    events_read: int = 0
    elapsed_s: float = 0.0

    @property
    def fraction(self) -> float | None:
        if self.bytes_total:
            return min(1.0, self.bytes_done / self.bytes_total)
        if self.files_total:
            return self.files_done / self.files_total
        return None


@dataclass(slots=True)
class InputReport:
    """What reading the inputs skipped: one line per problem file, and the totals."""

    problem_lines: list[str] = field(default_factory=list)
    files_read: int = 0
    files_skipped: int = 0
    records_skipped: int = 0


class Backend(Protocol):
    """Where queries, rankings, metrics and events come from."""

    description: str
    """How the status line names this backend: `local: 3 paths` or `live: 123456789012 us-east-1`."""

    async def start_query(self, request: QueryRequest) -> str:
        """Start a Logs Insights query; returns its queryId. Raises MalformedQuery at once for bad text."""
        ...

    async def get_query_results(self, query_id: str) -> QueryResults:
        """The query's status, statistics and rows so far (partial while Running)."""
        ...

    async def stop_query(self, query_id: str) -> bool:
        """Cancel a running query; True if it was running."""
        ...

    def query_failure(self, query_id: str) -> str | None:
        """Why a Failed query failed, in one line, where the backend knows."""
        ...

    def query_progress(self, query_id: str) -> ScanProgress | None:
        """Scan progress of a query, where the backend can know it (local files), else None."""
        ...

    async def get_log_record(self, ptr: str) -> dict[str, str]:
        """GetLogRecord's `logRecord`: every field of one event by @ptr, `@message` its exact JSON text."""
        ...

    def input_report(self) -> InputReport:
        """What the backend could not read so far (always empty for a live account)."""
        ...

    @property
    def replay(self) -> ReplayControl | None:
        """The replay's controls for local files; None for a live account."""
        ...

    # Saved queries (QueryDefinitions).
    async def describe_query_definitions(self) -> dict[str, Any]:
        """{"queryDefinitions": [{"queryDefinitionId", "name", "queryString", "logGroupNames"}]}"""
        ...

    async def put_query_definition(self, name: str, query: str) -> str:
        """Save a query; returns its queryDefinitionId. Callers confirm with the user first when live."""
        ...

    # Contributor Insights.
    async def describe_insight_rules(self) -> dict[str, Any]:
        """{"InsightRules": [{"Name", "State", "Schema", "Definition", "ManagedRule"}]}"""
        ...

    async def get_insight_rule_report(self, request: RuleReportRequest) -> dict[str, Any]:
        """The GetInsightRuleReport response for one rule over a time range."""
        ...

    async def put_insight_rule(self, name: str, definition: str) -> None:
        """Add or replace a rule (its JSON body). Callers confirm with the user first when live."""
        ...

    # Metric filters, metric data and alarms.
    async def describe_metric_filters(self) -> dict[str, Any]:
        """{"metricFilters": [PutMetricFilter-shaped items with creationTime]}"""
        ...

    async def put_metric_filter(self, request: dict[str, Any]) -> None:
        """Add or replace a metric filter (a PutMetricFilter request). Confirmed first when live."""
        ...

    async def test_metric_filter(self, pattern: str, messages: list[str]) -> dict[str, Any]:
        """The TestMetricFilter response: {"matches": [{"eventNumber", "eventMessage", "extractedValues"}]}"""
        ...

    async def get_metric_data(
        self, queries: list[dict[str, Any]], start_ms: int, end_ms: int
    ) -> dict[str, Any]:
        """The GetMetricData response for MetricDataQueries (MetricStat only): MetricDataResults, Messages."""
        ...

    async def describe_alarms(self) -> dict[str, Any]:
        """{"MetricAlarms": [DescribeAlarms items with StateValue, StateReason, StateUpdatedTimestamp]}"""
        ...

    async def describe_alarm_history(self, alarm_name: str | None = None) -> dict[str, Any]:
        """{"AlarmHistoryItems": [...]}, newest first."""
        ...

    async def put_metric_alarm(self, request: dict[str, Any]) -> None:
        """Add or replace an alarm (a PutMetricAlarm request). Confirmed first when live."""
        ...

    # Live tail.
    def tail(self, request: TailRequest) -> AsyncIterator[dict[str, Any]]:
        """StartLiveTail's stream: sessionStart, then sessionUpdate items, each
        {"sessionUpdate": {"sessionMetadata": {"sampled": bool}, "sessionResults": [{"logStreamName",
        "logGroupIdentifier", "message", "timestamp", "ingestionTime"}]}}.
        For local files, the replay's batches in that shape. A live account may also yield
        {"sessionStatus": {"state", "reason"}} (`reconnecting`, `sampled`, `streaming`, `polling`) for the
        status line; callers that do not show it skip items without sessionStart or sessionUpdate."""
        ...

    async def close(self) -> None:
        """Stop anything still running (queries left in an account, worker processes)."""
        ...
