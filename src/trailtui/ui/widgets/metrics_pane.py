"""Metric filters and alarms: the chosen filter's metric graphed (statistic and period selectable) over a
window ending at the replay clock, the threshold of an alarm on it drawn across, and the alarms below.
`l` on a datapoint asks for the events the filter counted in that period ("view logs"); `a` adds a pack's
metric filter and the alarms on its metric (a read-only live account asks before each Put call)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Select

from trailtui.backends.base import Backend, BackendError
from trailtui.packs import PackContents, PackDefinition, load_packs
from trailtui.ui.actions import bindings
from trailtui.ui.live_account import live_account
from trailtui.ui.messages import DefinitionPut, MetricDataFetched, MetricFiltersDescribed, MonitorCallFailed
from trailtui.ui.replay_clock import current_ms, window_ending_at
from trailtui.ui.result_rows import TimeZoneName
from trailtui.ui.safe import event_plain, event_text
from trailtui.ui.screens.choice_picker import ChoicePicker
from trailtui.ui.view_logs import LogsView
from trailtui.ui.widgets.alarms_table import AlarmsTable
from trailtui.ui.widgets.metric_chart import MetricChart
from trailtui.ui.writes import PlannedWrite, confirm_write, permit_write

Write = tuple[PlannedWrite, dict[str, Any]]

POLL_S = 2.0
STATISTICS = ("Sum", "Average", "Maximum", "Minimum", "SampleCount")
PERIODS: dict[str, int] = {"1 min": 60, "5 min": 300, "15 min": 900, "1 hour": 3_600}
PERIODS_SHOWN = 60
"""Datapoints a window holds: the window is this many periods."""


class MetricsPane(Vertical):
    """Filter, statistic and period pickers over the graph and the alarms."""

    BINDINGS: ClassVar = bindings("metrics")

    class LogsRequested(Message):
        """The user asked for the events behind a datapoint."""

        def __init__(self, view: LogsView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.filters: dict[str, dict[str, Any]] = {}
        """Metric filters by name, as DescribeMetricFilters answered."""
        self.alarms: list[dict[str, Any]] = []
        self.graphed: tuple[str, str, int] | None = None
        """The filter, statistic and period of the points in the chart."""
        self.problem: str | None = None
        """The last failed call and why (`GetMetricData failed: …`), shown over the graph and announced
        once; cleared when that call next succeeds."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-bar"):
            yield Select[str]([], prompt="metric filter", compact=True, id="metric-filter")
            yield Select[str](
                [(name, name) for name in STATISTICS],
                value="Sum",
                allow_blank=False,
                compact=True,
                id="metric-stat",
            )
            yield Select[int](
                list(PERIODS.items()), value=300, allow_blank=False, compact=True, id="metric-period"
            )
        yield MetricChart(id="metric-chart")
        yield AlarmsTable(id="alarms")

    def on_mount(self) -> None:
        self.border_title = "Metrics and alarms"
        self.describe_filters()
        self.set_interval(POLL_S, self.poll)

    # What is chosen.

    @property
    def filter_name(self) -> str | None:
        value = self.query_one("#metric-filter", Select).value
        return value if isinstance(value, str) else None

    @property
    def statistic(self) -> str:
        return str(self.query_one("#metric-stat", Select).value)

    @property
    def period_s(self) -> int:
        value = self.query_one("#metric-period", Select).value
        return value if isinstance(value, int) else 300

    # Workers.

    @work(exclusive=True, exit_on_error=False, group="metric-filters")
    async def describe_filters(self) -> None:
        try:
            answer = await self.backend.describe_metric_filters()
        except BackendError as error:
            self.post_message(MonitorCallFailed("DescribeMetricFilters", str(error)))
            return
        self.post_message(MetricFiltersDescribed(list(answer.get("metricFilters", []))))

    def poll(self) -> None:
        name = self.filter_name
        if name is not None and name in self.filters:
            self.fetch_metric(name, self.filters[name], self.statistic, self.period_s)

    @work(exclusive=True, exit_on_error=False, group="metric-data")
    async def fetch_metric(
        self, name: str, metric_filter: dict[str, Any], statistic: str, period_s: int
    ) -> None:
        transformation = metric_filter["metricTransformations"][0]
        metric = {"Namespace": transformation["metricNamespace"], "MetricName": transformation["metricName"]}
        query = {"Id": "m1", "MetricStat": {"Metric": metric, "Period": period_s, "Stat": statistic}}
        start_ms, end_ms = window_ending_at(current_ms(self.backend), PERIODS_SHOWN * period_s, period_s)
        try:
            answer = await self.backend.get_metric_data([query], start_ms, end_ms)
        except BackendError as error:
            self.post_message(MonitorCallFailed("GetMetricData", str(error)))
            return
        values: dict[int, float] = {}
        for result in answer.get("MetricDataResults", []):
            timestamps = map(_epoch_ms, result.get("Timestamps", []))
            values.update(zip(timestamps, map(float, result.get("Values", [])), strict=False))
        periods = range(start_ms, end_ms, period_s * 1000)
        points = [(start, values.get(start)) for start in periods]
        self.post_message(MetricDataFetched(name, points, period_s))

    # Handlers.

    @on(MetricFiltersDescribed)
    def filters_described(self, message: MetricFiltersDescribed) -> None:
        self._succeeded("DescribeMetricFilters")
        self.filters = {
            str(item["filterName"]): item for item in message.filters if item.get("metricTransformations")
        }
        picker = self.query_one("#metric-filter", Select)
        current = self.filter_name
        picker.set_options([(event_text(name), name) for name in self.filters])
        chosen = current if current in self.filters else next(iter(self.filters), None)
        if chosen is not None:
            picker.value = chosen
        else:
            self._show_threshold()

    @on(Select.Changed)
    def choice_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "metric-filter":
            self._judge_like_the_alarm()
        self.query_one(MetricChart).points = []
        self._show_threshold()
        self.poll()

    @on(MetricDataFetched)
    def metric_fetched(self, message: MetricDataFetched) -> None:
        self._succeeded("GetMetricData")
        if message.filter_name != self.filter_name or message.period_s != self.period_s:
            return
        self.graphed = (message.filter_name, self.statistic, message.period_s)
        self.query_one(MetricChart).points = message.points
        self._show_threshold()

    @on(MonitorCallFailed)
    def call_failed(self, message: MonitorCallFailed) -> None:
        message.stop()
        self._failed(message.what, message.reason)

    def alarms_failed(self, reason: str) -> None:
        """DescribeAlarms failed: the pane says so (the main screen announces it)."""
        self.query_one(AlarmsTable).show_alarms([])
        self.border_subtitle = event_text(f"DescribeAlarms failed: {reason}")

    def _failed(self, what: str, reason: str) -> None:
        problem = f"{what} failed: {reason}"
        if self.problem != problem:
            self.problem = problem
            self.notify(event_plain(problem), severity="error", markup=False)
        self._show_threshold()

    def _succeeded(self, what: str) -> None:
        if self.problem is not None and self.problem.startswith(f"{what} failed"):
            self.problem = None

    def _judge_like_the_alarm(self) -> None:
        """Graph a newly chosen metric with the statistic and period of the alarm that watches it."""
        alarm = self._watching_alarm()
        if alarm is None:
            return
        if alarm.get("Statistic") in STATISTICS:
            self.query_one("#metric-stat", Select).value = str(alarm["Statistic"])
        if alarm.get("Period") in PERIODS.values():
            self.query_one("#metric-period", Select).value = int(alarm["Period"])

    def _watching_alarm(self) -> dict[str, Any] | None:
        name = self.filter_name
        if name is None or name not in self.filters:
            return None
        transformation = self.filters[name]["metricTransformations"][0]
        return next(
            (
                alarm
                for alarm in self.alarms
                if alarm.get("Namespace") == transformation["metricNamespace"]
                and alarm.get("MetricName") == transformation["metricName"]
            ),
            None,
        )

    def show_alarms(self, alarms: list[dict[str, Any]]) -> None:
        """The alarms as the status timer last read them."""
        self.alarms = alarms
        self.query_one(AlarmsTable).show_alarms(alarms)
        self._show_threshold()
        in_alarm = sum(alarm.get("StateValue") == "ALARM" for alarm in alarms)
        self.border_subtitle = f"{len(alarms)} alarms, {in_alarm} in ALARM"

    def show_zone(self, zone: TimeZoneName) -> None:
        self.query_one(MetricChart).zone = zone

    def _show_threshold(self) -> None:
        chart = self.query_one(MetricChart)
        name = self.filter_name
        if name is None or name not in self.filters:
            chart.threshold = None
            chart.title = self.problem or ("" if self.filters else self._no_filters())
            return
        transformation = self.filters[name]["metricTransformations"][0]
        alarm = self._watching_alarm()
        chart.threshold = None if alarm is None else float(alarm["Threshold"])
        metric = f"{transformation['metricNamespace']}/{transformation['metricName']}"
        title = f"{metric} {self.statistic} per {self.period_s} s"
        if alarm is not None:
            title += (
                f" · alarm {alarm.get('AlarmName')}: {alarm.get('Statistic', '')}, {alarm.get('StateValue')}"
            )
        chart.title = f"{title} · {self.problem}" if self.problem else title

    def _no_filters(self) -> str:
        """Why the graph is empty: DescribeMetricFilters found nothing to graph."""
        if live_account(self.backend) is not None:
            return "No metric filters on the log group read (DescribeMetricFilters): nothing to graph"
        return "No metric filters in the packs: nothing to graph"

    # Actions.

    def action_pick_filter(self) -> None:
        picker = self.query_one("#metric-filter", Select)
        picker.focus()
        picker.expanded = True

    def action_next_statistic(self) -> None:
        picker = self.query_one("#metric-stat", Select)
        picker.value = STATISTICS[(STATISTICS.index(self.statistic) + 1) % len(STATISTICS)]

    def action_next_period(self) -> None:
        periods = list(PERIODS.values())
        picker = self.query_one("#metric-period", Select)
        picker.value = (
            periods[(periods.index(self.period_s) + 1) % len(periods)] if self.period_s in periods else 300
        )

    def action_add_from_pack(self) -> None:
        contents = load_packs()
        missing = [d for d in contents.of_kind("metric-filter") if d.name not in self.filters]
        if not missing:
            self.notify("Every pack metric filter is already defined here")
            return
        choices = [(d.name, str(d.body.get("filterPattern", ""))) for d in missing]

        def chosen(index: int | None) -> None:
            if index is not None:
                self._next_write(self._writes_for(missing[index], contents))

        self.app.push_screen(ChoicePicker("Add a pack's metric filter", choices), chosen)

    def _writes_for(self, definition: PackDefinition, contents: PackContents) -> list[Write]:
        """PutMetricFilter for `definition` (on the log group read, when live), then PutMetricAlarm for each
        pack alarm on its metric."""
        request = dict(definition.body)
        if live_account(self.backend) is not None:
            request.pop("logGroupName", None)
        metric = request["metricTransformations"][0]
        writes: list[Write] = [(PlannedWrite("PutMetricFilter", "metric filter", definition.name), request)]
        for alarm in contents.of_kind("alarm"):
            body = alarm.body
            if (body.get("Namespace"), body.get("MetricName")) == (
                metric["metricNamespace"],
                metric["metricName"],
            ):
                writes.append((PlannedWrite("PutMetricAlarm", "alarm", alarm.name), dict(body)))
        return writes

    def _next_write(self, writes: list[Write]) -> None:
        if not writes:
            self.describe_filters()
            return
        write, body = writes[0]
        confirm_write(
            self.app,
            self.backend,
            write,
            lambda confirmed: self.put_definition(write, body, confirmed, writes[1:]),
        )

    @work(exit_on_error=False, group="metric-put")
    async def put_definition(
        self, write: PlannedWrite, body: dict[str, Any], confirmed: bool, rest: list[Write]
    ) -> None:
        permit_write(self.backend, write, confirmed)
        try:
            if write.api == "PutMetricFilter":
                await self.backend.put_metric_filter(body)
            else:
                await self.backend.put_metric_alarm(body)
        except BackendError as error:
            self.post_message(MonitorCallFailed(write.api, str(error)))
            return
        self.post_message(DefinitionPut(write, rest))

    @on(DefinitionPut)
    def definition_put(self, message: DefinitionPut) -> None:
        self.notify(f"Written: {message.write.summary()}", markup=False)
        self._next_write(message.rest)

    def action_view_logs(self) -> None:
        point = self.query_one(MetricChart).point_under_cursor()
        if point is None or self.graphed is None:
            self.notify("Choose a datapoint on the graph first", severity="warning")
            return
        name, _, period_s = self.graphed
        pattern = str(self.filters[name].get("filterPattern", ""))
        self.post_message(self.LogsRequested(LogsView(name, pattern, point[0], point[0] + period_s * 1000)))


def _epoch_ms(value: object) -> int:
    """A GetMetricData timestamp (a datetime, or ISO 8601 text) in epoch ms."""
    if isinstance(value, datetime):
        return round(value.timestamp() * 1000)
    return round(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp() * 1000)
