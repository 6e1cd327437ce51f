"""What the query worker reports, in the past tense; the main screen's handlers own every state change.

Each message carries the number of the run it belongs to, so reports from a superseded run are ignored.
"""

from __future__ import annotations

from textual.message import Message

from trailtui.backends.base import QueryResults, ScanProgress


class QueryStarted(Message):
    """StartQuery answered with a queryId."""

    def __init__(self, run: int, query_id: str) -> None:
        super().__init__()
        self.run = run
        self.query_id = query_id


class QueryProgressed(Message):
    """A poll of a running query: its statistics so far and, for local files, scan progress."""

    def __init__(
        self, run: int, results: QueryResults, progress: ScanProgress | None, elapsed_s: float
    ) -> None:
        super().__init__()
        self.run = run
        self.results = results
        self.progress = progress
        self.elapsed_s = elapsed_s


class QueryFinished(Message):
    """The query reached a final status (Complete, Cancelled, Failed, Timeout); its last results."""

    def __init__(self, run: int, results: QueryResults, elapsed_s: float) -> None:
        super().__init__()
        self.run = run
        self.results = results
        self.elapsed_s = elapsed_s


class QueryFailed(Message):
    """The query could not start or be polled; `offsets` is where a malformed query breaks."""

    def __init__(self, run: int, reason: str, offsets: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.run = run
        self.reason = reason
        self.offsets = offsets


class EventLoaded(Message):
    """GetLogRecord answered: every field of the event, `@message` its exact JSON text."""

    def __init__(self, record: dict[str, str]) -> None:
        super().__init__()
        self.record = record


class EventLoadFailed(Message):
    """The event could not be read."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason
