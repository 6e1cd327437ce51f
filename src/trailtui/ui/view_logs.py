""" "View logs" from a metric's datapoint: the events of that metric filter in that period.

The choice: a Logs Insights query over the period fetches every event with its `@message`, and the rows
are then kept by the metric filter's own pattern through TestMetricFilter (`backend.test_metric_filter`,
50 messages a call, as the API takes them). Translating patterns into `filter` clauses covers only part of
the language (no `%regex%`, no space-delimited or bare-term patterns, different wildcard rules); testing
the rows with the pattern itself keeps exactly the events the metric counted, locally and live.
"""

from __future__ import annotations

from dataclasses import dataclass

from trailtui.backends.base import Backend, QueryResults
from trailtui.ui.time_input import clock_text

VIEW_LOGS_FIELDS = "fields @timestamp, eventName, userIdentity.arn, sourceIPAddress, @message"
VIEW_LOGS_LIMIT = 10_000
TEST_BATCH = 50
"""Messages per TestMetricFilter call (the API's limit)."""


@dataclass(frozen=True, slots=True)
class LogsView:
    """Which events to show: those `pattern` (of metric filter `filter_name`) matches in [start, end)."""

    filter_name: str
    pattern: str
    start_ms: int
    end_ms: int

    def query_text(self) -> str:
        """The query put in the editor; its comment says how the rows were kept."""
        start, end = clock_text(self.start_ms, "utc"), clock_text(self.end_ms, "utc")
        return (
            f"# view logs: metric filter {self.filter_name}, {start} to {end} UTC;"
            " rows kept by its pattern\n"
            f"{VIEW_LOGS_FIELDS}\n| sort @timestamp desc\n| limit {VIEW_LOGS_LIMIT}"
        )


async def keep_matching(backend: Backend, results: QueryResults, pattern: str) -> QueryResults:
    """`results` with only the rows whose @message the pattern matches, and without @message."""
    rows = results.get("results", [])
    messages = [_message(row) for row in rows]
    kept: set[int] = set()
    for first in range(0, len(rows), TEST_BATCH):
        batch = messages[first : first + TEST_BATCH]
        answer = await backend.test_metric_filter(pattern, batch)
        kept.update(first + match["eventNumber"] for match in answer.get("matches", []))
    kept_rows = [
        [cell for cell in row if cell["field"] != "@message"]
        for index, row in enumerate(rows)
        if index in kept
    ]
    statistics = {**results.get("statistics", {}), "recordsMatched": float(len(kept_rows))}
    return {**results, "results": kept_rows, "statistics": statistics}


def _message(row: list[dict[str, str]]) -> str:
    return next((cell["value"] for cell in row if cell["field"] == "@message"), "")
