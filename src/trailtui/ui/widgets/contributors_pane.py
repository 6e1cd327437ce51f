"""Contributor Insights: the chosen rule's top contributors over a window ending at the replay clock,
polled every `POLL_S` seconds, with the unique-contributor count; `e` edits the rule, `n` adds one."""

from __future__ import annotations

from typing import ClassVar

import orjson
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Select, Static

from trailtui.backends.base import Backend, BackendError, RuleReportRequest
from trailtui.ui.actions import bindings
from trailtui.ui.live_account import live_account
from trailtui.ui.messages import MonitorCallFailed, RuleReportFetched, RulesDescribed
from trailtui.ui.replay_clock import current_ms, window_ending_at
from trailtui.ui.safe import event_plain, event_text
from trailtui.ui.widgets.contributors_table import ContributorsTable

POLL_S = 2.0
TOP_N = 10
WINDOWS: dict[str, tuple[int, int]] = {
    "15 min": (900, 60),
    "1 hour": (3_600, 60),
    "6 hours": (21_600, 600),
    "24 hours": (86_400, 1_800),
}
"""Window name: (window length, period), in seconds."""
NEW_RULE = """{
  "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
  "LogGroupNames": ["CloudTrail/DefaultLogGroup"],
  "LogFormat": "JSON",
  "Contribution": {
    "Keys": ["$.sourceIPAddress"],
    "Filters": [{"Match": "$.eventName", "In": ["ConsoleLogin"]}]
  },
  "AggregateOn": "Count"
}"""


class ContributorsPane(Vertical):
    """Rule and window pickers over the summary and the table of contributors."""

    BINDINGS: ClassVar = bindings("contributors")

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.rules: dict[str, str] = {}
        """Rule name: its JSON definition, as DescribeInsightRules answered."""
        self.wanted_rule: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-bar"):
            yield Select[str]([], prompt="rule", compact=True, id="rule-picker")
            yield Select[str](
                [(name, name) for name in WINDOWS],
                value="1 hour",
                allow_blank=False,
                compact=True,
                id="rule-window",
            )
        yield Static(id="contributors-summary")
        yield ContributorsTable(id="contributors")

    def on_mount(self) -> None:
        self.border_title = "Contributors"
        self.describe_rules()
        self.set_interval(POLL_S, self.poll)

    @property
    def rule_name(self) -> str | None:
        value = self.query_one("#rule-picker", Select).value
        return value if isinstance(value, str) else None

    # Workers.

    @work(exclusive=True, exit_on_error=False, group="rules")
    async def describe_rules(self) -> None:
        try:
            answer = await self.backend.describe_insight_rules()
        except BackendError as error:
            self.post_message(MonitorCallFailed("DescribeInsightRules", str(error)))
            return
        rules = {
            str(rule["Name"]): str(rule.get("Definition", "")) for rule in answer.get("InsightRules", [])
        }
        self.post_message(RulesDescribed(rules))

    def poll(self) -> None:
        """Fetch the chosen rule's report (a new poll replaces one still running)."""
        name = self.rule_name
        if name is not None:
            window_s, period_s = WINDOWS[str(self.query_one("#rule-window", Select).value)]
            self.fetch_report(name, window_s, period_s)

    @work(exclusive=True, exit_on_error=False, group="rule-report")
    async def fetch_report(self, name: str, window_s: int, period_s: int) -> None:
        start_ms, end_ms = window_ending_at(current_ms(self.backend), window_s, period_s)
        request = RuleReportRequest(name, start_ms, end_ms, period_s, max_contributor_count=TOP_N)
        try:
            report = await self.backend.get_insight_rule_report(request)
        except BackendError as error:
            self.post_message(MonitorCallFailed("GetInsightRuleReport", str(error)))
            return
        self.post_message(RuleReportFetched(name, report, list(range(start_ms, end_ms, period_s * 1000))))

    # Handlers.

    @on(RulesDescribed)
    def rules_described(self, message: RulesDescribed) -> None:
        self.rules = message.rules
        picker = self.query_one("#rule-picker", Select)
        current = self.wanted_rule or self.rule_name
        picker.set_options([(event_text(name), name) for name in self.rules])
        chosen = current if current in self.rules else next(iter(self.rules), None)
        if chosen is not None:
            picker.value = chosen
        else:
            where = "in this account" if live_account(self.backend) is not None else "in the packs"
            self.query_one("#contributors-summary", Static).update(
                f"No Contributor Insights rules {where} (DescribeInsightRules): n adds one"
            )
        self.wanted_rule = None
        self.poll()

    @on(Select.Changed)
    def choice_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.query_one(ContributorsTable).clear()
        self.poll()

    @on(RuleReportFetched)
    def report_fetched(self, message: RuleReportFetched) -> None:
        if message.rule_name != self.rule_name:
            return
        report = message.report
        self.query_one(ContributorsTable).show_report(report, message.period_starts_ms)
        summary = Text(no_wrap=True, overflow="ellipsis")
        summary.append(f"≈{int(report.get('ApproximateUniqueCount', 0)):,} unique contributors", "bold")
        statistic = event_plain(str(report.get("AggregationStatistic", "")))
        summary.append(f" · total {float(report.get('AggregateValue', 0.0)):,.0f} ({statistic})")
        summary.append(" · keys ")
        summary.append_text(event_text(", ".join(str(label) for label in report.get("KeyLabels", []))))
        self.query_one("#contributors-summary", Static).update(summary)

    @on(MonitorCallFailed)
    def call_failed(self, message: MonitorCallFailed) -> None:
        message.stop()
        self.query_one("#contributors-summary", Static).update(
            event_text(f"{message.what} failed: {message.reason}", "bold")
        )

    # Actions.

    def action_pick_rule(self) -> None:
        picker = self.query_one("#rule-picker", Select)
        picker.focus()
        picker.expanded = True

    def action_edit_rule(self) -> None:
        name = self.rule_name
        if name is None:
            self.notify("No rule to edit yet", severity="warning")
            return
        self._open_editor(name, _pretty(self.rules[name]))

    def action_new_rule(self) -> None:
        self._open_editor("", NEW_RULE)

    def _open_editor(self, name: str, definition: str) -> None:
        # imported here: the console starts sooner without the editor (issue 7's first frame)
        from trailtui.ui.screens.rule_editor import RuleEditorScreen

        self.app.push_screen(RuleEditorScreen(self.backend, name, definition), self._rule_saved)

    def _rule_saved(self, name: str | None) -> None:
        if name is not None:
            self.notify(f"Rule {event_plain(name)} saved", markup=False)
            self.wanted_rule = name
            self.describe_rules()


def _pretty(definition: str) -> str:
    """The definition indented for editing when it is JSON; as it is otherwise."""
    try:
        return orjson.dumps(orjson.loads(definition), option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONDecodeError:
        return definition
