"""What the workers report, in the past tense; the handlers of the screen or pane that started them own
every state change.

Each query message carries the number of the run it belongs to, so reports from a superseded run are ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

from trailtui.backends.base import QueryResults, ReplayStatus, ScanProgress
from trailtui.ui.query_store import StoredQuery
from trailtui.ui.result_rows import ShownResult
from trailtui.ui.tail_lines import TailLine

if TYPE_CHECKING:
    from trailtui.backends.aws_log_groups import LogGroup
    from trailtui.ui.writes import PlannedWrite


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
    """The query reached a final status (Complete, Cancelled, Failed, Timeout); its last results, and
    their rows, columns and chart series already built (so the handler only assigns them)."""

    def __init__(self, run: int, results: QueryResults, shown: ShownResult, elapsed_s: float) -> None:
        super().__init__()
        self.run = run
        self.results = results
        self.shown = shown
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


class MonitorPolled(Message):
    """The timer's read: the replay (None when live), the alarms, and the records the inputs skipped."""

    def __init__(
        self, replay: ReplayStatus | None, alarms: list[dict[str, Any]], records_skipped: int
    ) -> None:
        super().__init__()
        self.replay = replay
        self.alarms = alarms
        self.records_skipped = records_skipped


class MonitorFailed(Message):
    """The status timer could not read the backend."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class RulesDescribed(Message):
    """DescribeInsightRules answered: the rules by name, each with its JSON definition."""

    def __init__(self, rules: dict[str, str]) -> None:
        super().__init__()
        self.rules = rules


class RuleReportFetched(Message):
    """GetInsightRuleReport answered for `rule_name` over periods starting at `period_starts_ms`."""

    def __init__(self, rule_name: str, report: dict[str, Any], period_starts_ms: list[int]) -> None:
        super().__init__()
        self.rule_name = rule_name
        self.report = report
        self.period_starts_ms = period_starts_ms


class RuleSaved(Message):
    """PutInsightRule accepted the rule."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class RuleRejected(Message):
    """PutInsightRule refused the rule; `location` is where in the JSON (a path or a line and column)."""

    def __init__(self, reason: str, location: str | None) -> None:
        super().__init__()
        self.reason = reason
        self.location = location


class MetricFiltersDescribed(Message):
    """DescribeMetricFilters answered."""

    def __init__(self, filters: list[dict[str, Any]]) -> None:
        super().__init__()
        self.filters = filters


class MetricDataFetched(Message):
    """GetMetricData answered for one filter's metric: every period of the window, oldest first, as
    (start in epoch ms, value or None when the period has no datapoint)."""

    def __init__(self, filter_name: str, points: list[tuple[int, float | None]], period_s: int) -> None:
        super().__init__()
        self.filter_name = filter_name
        self.points = points
        self.period_s = period_s


class MonitorCallFailed(Message):
    """A rules, metrics or tail call failed; `what` names the call for the user."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__()
        self.what = what
        self.reason = reason


class TailReceived(Message):
    """Tail results arrived (the newest `MAX_TAIL_LINES` of one update at most)."""

    def __init__(self, lines: list[TailLine], sampled: bool) -> None:
        super().__init__()
        self.lines = lines
        self.sampled = sampled


class TailEnded(Message):
    """The tail session ended: a replay that does not follow reached its end."""


class QueryDefinitionsListed(Message):
    """DescribeQueryDefinitions answered: the saved queries, in name order."""

    def __init__(self, queries: list[StoredQuery]) -> None:
        super().__init__()
        self.queries = queries


class QueryDefinitionSaved(Message):
    """PutQueryDefinition accepted the query."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class DefinitionPut(Message):
    """PutMetricFilter or PutMetricAlarm accepted `write`; `rest` are the writes still to make."""

    def __init__(self, write: PlannedWrite, rest: list[tuple[PlannedWrite, dict[str, Any]]]) -> None:
        super().__init__()
        self.write = write
        self.rest = rest


class LogGroupsChosen(Message):
    """A live backend chose (or was told) the log groups it reads; its notices say how."""


class LogGroupsListed(Message):
    """DescribeLogGroups answered: the groups a live account's user may choose from."""

    def __init__(self, groups: list[LogGroup], current: tuple[str, ...]) -> None:
        super().__init__()
        self.groups = groups
        self.current = current
