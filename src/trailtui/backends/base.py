"""The one interface the console and the CLI talk to, whichever backend answers.

Calls and answers have the shapes of the AWS APIs (StartQuery/GetQueryResults/StopQuery/GetLogRecord, ...),
so a caller cannot tell local files from a live account, and a user can move between them without surprises.
Every method is async: the local backend runs its work in threads and processes, the live one awaits AWS.
"""

from __future__ import annotations

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


class NotFound(BackendError):
    """The query, pointer or resource named does not exist (ResourceNotFoundException)."""


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """What StartQuery takes: the query text, a time range in epoch ms (None: unbounded) and a row limit."""

    query: str
    start_ms: int | None = None
    end_ms: int | None = None
    limit: int | None = None


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

    async def close(self) -> None:
        """Stop anything still running (queries left in an account, worker processes)."""
        ...
