"""The main screen: tabs for the query (the Logs Insights editor over the results, a table or a chart),
Contributor Insights, metrics and alarms, and the tail; the replay line and the status line below.

Queries run in an exclusive async worker that polls GetQueryResults and reports in past-tense messages;
the handlers below own every change to the panes. A timer reads the replay's status and the alarms each
`MONITOR_POLL_S` seconds, and announces (notification and bell) every alarm that goes into ALARM. The
replay controls act on `backend.replay` (a live account has none); on a live account the same timer shows
the connection's health and the backend's notices, and ctrl+l chooses the log group.

Saved queries are the backend's QueryDefinitions (F4 lists them, ctrl+s saves one, after the user confirms
when the backend is a read-only live account); the samples (F2) are the built-in pack's saved queries.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ContentSwitcher, DataTable, Footer, Static, TabbedContent, TabPane

from trailtui.backends.base import (
    TERMINAL_STATUSES,
    Backend,
    BackendError,
    MalformedQuery,
    QueryRequest,
    ReplayControl,
)
from trailtui.ui.actions import bindings
from trailtui.ui.live_account import LiveAccount, live_account
from trailtui.ui.messages import (
    LogGroupsChosen,
    LogGroupsListed,
    MonitorCallFailed,
    MonitorFailed,
    MonitorPolled,
    QueryDefinitionSaved,
    QueryDefinitionsListed,
    QueryFailed,
    QueryFinished,
    QueryProgressed,
    QueryStarted,
)
from trailtui.ui.pending_keys import after_pending_keys
from trailtui.ui.query_store import QueryHistory, StoredQuery, sample_queries, saved_queries
from trailtui.ui.replay_clock import current_ms, faster, slower, speed_text
from trailtui.ui.result_rows import TimeZoneName, shown_result
from trailtui.ui.safe import event_plain, event_text
from trailtui.ui.screens.log_group_picker import LogGroupPicker
from trailtui.ui.screens.query_picker import QueryPicker
from trailtui.ui.screens.save_query import SaveQueryScreen
from trailtui.ui.screens.seek import SeekScreen
from trailtui.ui.tail_lines import log_record
from trailtui.ui.time_input import clock_text
from trailtui.ui.view_logs import VIEW_LOGS_LIMIT, keep_matching
from trailtui.ui.widgets.completion_list import CompletionList
from trailtui.ui.widgets.contributors_pane import ContributorsPane
from trailtui.ui.widgets.metric_chart import MetricChart
from trailtui.ui.widgets.metrics_pane import MetricsPane
from trailtui.ui.widgets.query_editor import DEFAULT_QUERY, QueryEditor
from trailtui.ui.widgets.replay_line import ReplayLine
from trailtui.ui.widgets.results_chart import ResultsChart
from trailtui.ui.widgets.results_table import ResultsTable
from trailtui.ui.widgets.status_line import QueryState, StatusLine
from trailtui.ui.widgets.tail_pane import TailPane
from trailtui.ui.widgets.tail_view import TailView
from trailtui.ui.writes import PlannedWrite, confirm_write, permit_write

if TYPE_CHECKING:
    from trailtui.backends.aws_log_groups import LogGroup
    from trailtui.backends.base import QueryResults, ScanProgress

POLL_INTERVAL_S = 0.1
MONITOR_POLL_S = 1.0
ZONE_NAMES: dict[TimeZoneName, str] = {"utc": "UTC", "local": "local time"}
TABS = ("query", "contributors", "metrics", "tail")
PANES = (ContributorsPane, MetricsPane, TailPane)


class MainScreen(Screen[None]):
    """Query editor, results and status; every pane focusable and maximisable."""

    BINDINGS: ClassVar = bindings("main")
    DEFAULT_CSS = """
    MainScreen ToastRack { margin-bottom: 3; }
    """
    """Notifications stand above the replay and status lines: they never hide the replay's rate, the
    alarms in ALARM or the query's state."""

    zone: var[TimeZoneName] = var("utc")
    """The zone the results' times are shown in."""

    def __init__(
        self,
        backend: Backend,
        history: QueryHistory,
        query: str = "",
        zone: TimeZoneName = "utc",
    ) -> None:
        super().__init__()
        self.backend = backend
        self.history = history
        self.initial_query = query
        self.set_reactive(MainScreen.zone, zone)
        self.run_number = 0
        """The number of the latest run; messages of earlier runs are ignored."""
        self.query_id: str | None = None
        self.running = False
        self.alarm_states: dict[str, str] = {}
        """Each alarm's state at the last read, to announce the ones that go into ALARM."""
        self.monitor_problem: str | None = None
        """Why the last read of the alarms failed, so the same failure is announced once."""
        self.notices_shown = 0
        """How many of a live backend's notices have been announced."""

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="query", id="tabs"):
            with TabPane("Query", id="query"):
                with Vertical(id="editor-pane") as editor_pane:
                    editor_pane.border_title = "Logs Insights query"
                    yield QueryEditor(self.initial_query or DEFAULT_QUERY, id="editor")
                    yield CompletionList(id="completions")
                    yield Static(id="query-error")
                with ContentSwitcher(initial="results", id="results-pane") as results_pane:
                    results_pane.border_title = "Results"
                    yield ResultsTable(id="results")
                    yield ResultsChart(id="chart")
            with TabPane("Contributors", id="contributors"):
                yield ContributorsPane(self.backend, id="contributors-pane")
            with TabPane("Metrics", id="metrics"):
                yield MetricsPane(self.backend, id="metrics-pane")
            with TabPane("Tail", id="tail"):
                yield TailPane(self.backend, id="tail-pane")
        yield ReplayLine(id="replay")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        status = self.query_one(StatusLine)
        status.backend = self.backend.description
        status.zone = ZONE_NAMES[self.zone]
        replay_line = self.query_one(ReplayLine)
        replay_line.live = self.backend.replay is None
        replay_line.zone = self.zone
        editor = self.query_one(QueryEditor)
        editor.focus()
        if not self.initial_query:
            editor.select_all()
        if self.backend.replay is not None:  # once the first frame is out: its thread competes for the GIL
            self.call_after_refresh(self.backend.replay.start)
        account = live_account(self.backend)
        if account is not None:
            self.choose_log_groups(account)
        self.set_interval(MONITOR_POLL_S, self.poll_monitor)
        self.poll_monitor()

    # --- running a query ---

    def action_run_query(self) -> None:
        """Run the editor's text once the keys typed before F5 or ctrl+r are in it (see pending_keys)."""
        after_pending_keys(self, self._run_editor_text)

    def _run_editor_text(self) -> None:
        text = self.query_one(QueryEditor).text
        if not text.strip():
            self.notify("Type a query first (F2 for samples)", severity="warning")
            return
        self._record_history(text)
        self._start_run(QueryRequest(text))

    def _start_run(self, request: QueryRequest, pattern: str | None = None) -> None:
        self.run_number += 1
        self.query_id, self.running = None, True
        self.query_one("#query-error", Static).display = False
        self.query_one(StatusLine).query_state = QueryState("Starting")
        self.run_query(self.run_number, request, pattern)

    def _record_history(self, text: str) -> None:
        try:
            self.history.record(text)
        except OSError as error:
            self.notify(f"History not saved: {error}", severity="warning", markup=False)

    @work(exclusive=True, exit_on_error=False, group="query")
    async def run_query(self, run: int, request: QueryRequest, pattern: str | None = None) -> None:
        """StartQuery, then poll GetQueryResults until a final status; stops the query if superseded.
        With `pattern`, a complete result keeps only the rows whose @message it matches (view logs)."""
        backend, started = self.backend, time.monotonic()
        try:
            query_id = await backend.start_query(request)
        except MalformedQuery as error:
            self.post_message(QueryFailed(run, str(error), (error.start_offset, error.end_offset)))
            return
        except BackendError as error:
            self.post_message(QueryFailed(run, str(error)))
            return
        self.post_message(QueryStarted(run, query_id))
        finished = False
        try:
            while not finished:
                results = await backend.get_query_results(query_id)
                elapsed = time.monotonic() - started
                finished = results["status"] in TERMINAL_STATUSES
                if finished:
                    if pattern is not None and results["status"] == "Complete":
                        results = await keep_matching(backend, results, pattern)
                    shown = await asyncio.to_thread(shown_result, results)  # CPU work: not on the loop
                    self.post_message(QueryFinished(run, results, shown, elapsed))
                else:
                    self.post_message(
                        QueryProgressed(run, results, backend.query_progress(query_id), elapsed)
                    )
                    await asyncio.sleep(POLL_INTERVAL_S)
        except BackendError as error:
            finished = True
            self.post_message(QueryFailed(run, str(error)))
        finally:
            if not finished:
                await backend.stop_query(query_id)

    def action_cancel_query(self) -> None:
        if not self.running:
            raise SkipAction()
        if self.query_id is None:
            self.workers.cancel_group(self, "query")
            self.running = False
            self.query_one(StatusLine).query_state = QueryState("Cancelled")
        else:
            self.stop_query(self.query_id)

    @work(exit_on_error=False, group="stop")
    async def stop_query(self, query_id: str) -> None:
        await self.backend.stop_query(query_id)

    @on(QueryStarted)
    def query_started(self, message: QueryStarted) -> None:
        if message.run == self.run_number:
            self.query_id = message.query_id
            self.query_one(StatusLine).query_state = QueryState("Running")

    @on(QueryProgressed)
    def query_progressed(self, message: QueryProgressed) -> None:
        if message.run == self.run_number:
            self.query_one(StatusLine).query_state = _state(
                message.results, message.elapsed_s, message.progress
            )

    @on(QueryFinished)
    def query_finished(self, message: QueryFinished) -> None:
        if message.run != self.run_number:
            return
        self.running = False
        results, shown = message.results, message.shown
        table = self.query_one(ResultsTable)
        table.show(shown.rows, shown.columns, self.zone)
        self.query_one(ResultsChart).series = shown.series
        self.query_one(QueryEditor).known_fields.update(shown.columns)
        pane = self.query_one("#results-pane", ContentSwitcher)
        pane.border_subtitle = f"{len(shown.rows):,} rows"
        if shown.rows and pane.current == "results":
            self._focus(table)  # before the status says Complete, so the keys seen then go to the table
            table.move_cursor(row=0, column=0)
        status = self.query_one(StatusLine)
        status.query_state = _state(results, message.elapsed_s)
        status.records_skipped = self.backend.input_report().records_skipped
        if results["status"] != "Complete":
            reason = self.backend.query_failure(self.query_id) if self.query_id else None
            ended = f"The query ended: {results['status']}" + (f": {reason}" if reason else "")
            self.notify(event_plain(ended), severity="warning", markup=False)

    @on(QueryFailed)
    def query_failed(self, message: QueryFailed) -> None:
        if message.run != self.run_number:
            return
        self.running = False
        self.query_one(StatusLine).query_state = QueryState("Malformed" if message.offsets else "Failed")
        error = self.query_one("#query-error", Static)
        error.update(event_text(message.reason))
        error.display = True
        if message.offsets is not None:
            editor = self.query_one(QueryEditor)
            editor.mark_error(*message.offsets)
            self._focus(editor)

    # --- panes ---

    def action_toggle_maximize(self) -> None:
        if self.maximized is not None:
            self.minimize()
        elif self.focused is not None:
            pane = next((node for node in self.focused.ancestors_with_self if isinstance(node, PANES)), None)
            self.maximize(pane if isinstance(pane, Widget) else self.focused, container=False)

    def _focus(self, widget: Widget) -> None:
        """Give `widget` the focus now. Widget.focus() defers it (app.call_later) behind the messages the
        app already holds, so keys that came in the same read as the one that moved the focus (a burst
        over tmux or SSH) would go to the widget that had it, and a frame could show the new state with
        the old focus."""
        self.set_focus(widget)

    def action_focus_editor(self) -> None:
        self._show_tab("query")
        self._focus(self.query_one(QueryEditor))

    def action_focus_results(self) -> None:
        self._show_tab("query")
        pane = self.query_one("#results-pane", ContentSwitcher)
        self._focus(self.query_one(f"#{pane.current}"))

    def action_next_tab(self) -> None:
        current = self.query_one(TabbedContent).active
        self.action_show_tab(TABS[(TABS.index(current) + 1) % len(TABS)] if current in TABS else "query")

    def action_show_tab(self, tab: str) -> None:
        """Show `tab` and focus its main widget."""
        self._show_tab(tab)
        targets: dict[str, type[Widget]] = {
            "query": QueryEditor,
            "contributors": DataTable,
            "metrics": MetricChart,
            "tail": TailView,
        }
        pane = self.query_one(f"TabPane#{tab}", TabPane)
        self.call_after_refresh(pane.query(targets[tab]).first().focus)

    def _show_tab(self, tab: str) -> None:
        if self.maximized is not None:
            self.minimize()
        if tab == "tail":
            self.query_one(TailPane).show_unseen()
        self.query_one(TabbedContent).active = tab

    def action_toggle_chart(self) -> None:
        pane = self.query_one("#results-pane", ContentSwitcher)
        if pane.current == "results" and self.query_one(ResultsChart).series is None:
            self.notify(
                "Charts need a stats result with a bin() column or one numeric column", severity="warning"
            )
            return
        pane.current = "chart" if pane.current == "results" else "results"
        self._focus(self.query_one(f"#{pane.current}"))

    def action_toggle_timezone(self) -> None:
        self.zone = "local" if self.zone == "utc" else "utc"

    def watch_zone(self, zone: TimeZoneName) -> None:
        self.query_one(StatusLine).zone = ZONE_NAMES[zone]
        self.query_one(ResultsTable).show_zone(zone)
        self.query_one(ReplayLine).zone = zone
        self.query_one(TailPane).show_zone(zone)
        self.query_one(MetricsPane).show_zone(zone)

    # --- the replay and the alarms ---

    def poll_monitor(self) -> None:
        """Read the replay's status and the alarms now (the timer calls this every MONITOR_POLL_S)."""
        self.read_monitor()

    @work(exclusive=True, exit_on_error=False, group="monitor")
    async def read_monitor(self) -> None:
        replay = self.backend.replay
        status = replay.status() if replay is not None else None
        try:
            answer = await self.backend.describe_alarms()
        except BackendError as error:
            self.post_message(MonitorFailed(str(error)))
            return
        skipped = max(self.backend.input_report().records_skipped, status.skipped_records if status else 0)
        self.post_message(MonitorPolled(status, list(answer.get("MetricAlarms", [])), skipped))

    @on(MonitorPolled)
    def monitor_polled(self, message: MonitorPolled) -> None:
        self.monitor_problem = None
        self._show_live_state()
        in_alarm = [alarm for alarm in message.alarms if alarm.get("StateValue") == "ALARM"]
        line = self.query_one(ReplayLine)
        line.status = message.replay
        line.alarms_known = True
        line.alarms_in_alarm = len(in_alarm)
        line.records_skipped = message.records_skipped
        self.query_one(MetricsPane).show_alarms(message.alarms)
        fired = [alarm for alarm in in_alarm if self.alarm_states.get(str(alarm.get("AlarmName"))) != "ALARM"]
        self.alarm_states = {
            str(alarm.get("AlarmName")): str(alarm.get("StateValue")) for alarm in message.alarms
        }
        for alarm in fired:
            self._announce(alarm)

    def _announce(self, alarm: dict[str, object]) -> None:
        """A notification and the terminal's bell for an alarm that went into ALARM."""
        name = event_plain(str(alarm.get("AlarmName", "")))
        reason = event_plain(str(alarm.get("StateReason", "")))
        self.notify(f"ALARM: {name}\n{reason}", title="Alarm", severity="error", timeout=15, markup=False)
        self.app.bell()

    @on(MonitorFailed)
    def monitor_failed(self, message: MonitorFailed) -> None:
        self._show_live_state()
        line = self.query_one(ReplayLine)
        line.status = None
        line.alarms_known = False
        self.query_one(MetricsPane).alarms_failed(message.reason)
        if message.reason != self.monitor_problem:
            self.monitor_problem = message.reason
            self.notify(f"DescribeAlarms failed: {message.reason}", severity="error", markup=False)

    # --- a live account: its status, notices and log groups ---

    def _show_live_state(self) -> None:
        """The backend's description (a live one names account, Region and log groups once chosen), and
        for a live account its health and its latest notice; new notices are announced once."""
        self.query_one(StatusLine).backend = self.backend.description
        account = live_account(self.backend)
        if account is None:
            return
        line = self.query_one(ReplayLine)
        line.health = account.health.summary()
        for notice in account.notices[self.notices_shown :]:
            self.notify(event_plain(notice), title="Live account", timeout=10, markup=False)
        self.notices_shown = len(account.notices)
        line.notice = account.notices[-1] if account.notices else ""

    @work(exclusive=True, exit_on_error=False, group="log-groups")
    async def choose_log_groups(self, account: LiveAccount) -> None:
        """Let the backend choose its log groups now, so the status line names them from the start."""
        try:
            await account.log_groups()
        except BackendError as error:
            self.post_message(MonitorCallFailed("Choosing the log group", str(error)))
            return
        self.post_message(LogGroupsChosen())

    @on(LogGroupsChosen)
    def log_groups_chosen(self) -> None:
        self._show_live_state()

    def action_pick_log_groups(self) -> None:
        account = live_account(self.backend)
        if account is None:
            self.notify("Local files have no log groups: this applies to --live", severity="warning")
            return
        self.list_log_groups(account)

    @work(exclusive=True, exit_on_error=False, group="log-groups")
    async def list_log_groups(self, account: LiveAccount) -> None:
        try:
            groups = await account.list_log_groups()
        except BackendError as error:
            self.post_message(MonitorCallFailed("DescribeLogGroups", str(error)))
            return
        try:
            current = tuple(group.name for group in await account.log_groups())
        except BackendError:
            current = ()
        self.post_message(LogGroupsListed(groups, current))

    @on(LogGroupsListed)
    def log_groups_listed(self, message: LogGroupsListed) -> None:
        self.app.push_screen(LogGroupPicker(message.groups, message.current), self._use_log_group)

    def _use_log_group(self, group: LogGroup | None) -> None:
        account = live_account(self.backend)
        if group is None or account is None:
            return
        account.use_log_groups((group,), f"using log group {group.name}, chosen in the console")
        self._show_live_state()
        self.query_one(MetricsPane).describe_filters()
        self.query_one(TailPane).follow_tail()

    @on(MonitorCallFailed)
    def call_failed(self, message: MonitorCallFailed) -> None:
        self.notify(f"{message.what} failed: {message.reason}", severity="error", markup=False)

    def _replay(self) -> ReplayControl | None:
        if self.backend.replay is None:
            self.notify("A live account runs in real time: there is no replay to control", severity="warning")
        return self.backend.replay

    def action_toggle_replay(self) -> None:
        replay = self._replay()
        if replay is None:
            return
        if replay.status().paused:
            replay.resume()
        else:
            replay.pause()
        self.poll_monitor()

    def action_replay_faster(self) -> None:
        replay = self._replay()
        if replay is not None:
            self._set_speed(replay, faster(replay.status().speed))

    def action_replay_slower(self) -> None:
        replay = self._replay()
        if replay is not None:
            self._set_speed(replay, slower(replay.status().speed))

    def _set_speed(self, replay: ReplayControl, speed: float | None) -> None:
        replay.set_speed(speed)
        self.notify(f"Replaying {speed_text(speed)}")
        self.poll_monitor()

    def action_seek_replay(self) -> None:
        if self._replay() is not None:
            self.app.push_screen(SeekScreen(current_ms(self.backend)), self._seek)

    def _seek(self, clock_ms: int | None) -> None:
        replay = self.backend.replay
        if clock_ms is None or replay is None:
            return
        replay.seek(clock_ms)
        self.notify(f"Seeking to {clock_text(clock_ms, self.zone)} {ZONE_NAMES[self.zone]}")
        self.poll_monitor()

    # --- view logs and the tail's drill-down ---

    @on(MetricsPane.LogsRequested)
    def view_logs(self, message: MetricsPane.LogsRequested) -> None:
        view = message.view
        text = view.query_text()
        editor = self.query_one(QueryEditor)
        editor.replace(text, (0, 0), editor.document.end)
        self._show_tab("query")
        self._start_run(QueryRequest(text, view.start_ms, view.end_ms, VIEW_LOGS_LIMIT), view.pattern)

    @on(TailView.EventRequested)
    def open_tailed_event(self, message: TailView.EventRequested) -> None:
        from trailtui.ui.screens.event import EventScreen  # here: the console starts sooner without it

        line = message.line
        self.app.push_screen(EventScreen(self.backend, f"tail {line.log_stream}", log_record(line)))

    # --- completion ---

    @on(QueryEditor.CompletionsOffered)
    def offer_completions(self, message: QueryEditor.CompletionsOffered) -> None:
        self.query_one(CompletionList).offer(message.prefix, message.words)

    @on(CompletionList.Chosen)
    def complete(self, message: CompletionList.Chosen) -> None:
        editor = self.query_one(QueryEditor)
        editor.focus()
        editor.insert_completion(message.prefix, message.word)

    @on(CompletionList.Closed)
    def completion_closed(self) -> None:
        self.query_one(QueryEditor).focus()

    # --- drill-down ---

    @on(ResultsTable.EventRequested)
    def open_event(self, message: ResultsTable.EventRequested) -> None:
        from trailtui.ui.screens.event import EventScreen  # here: the console starts sooner without it

        self.app.push_screen(EventScreen(self.backend, message.ptr), self._learn_fields)

    def _learn_fields(self, fields: list[str] | None) -> None:
        self.query_one(QueryEditor).known_fields.update(fields or [])

    # --- samples, history, saved queries ---

    def action_pick_sample(self) -> None:
        self.app.push_screen(
            QueryPicker("Sample queries (the built-in pack)", sample_queries()), self._put_query
        )

    def action_pick_history(self) -> None:
        self.app.push_screen(QueryPicker("History", self.history.entries), self._put_query)

    def action_pick_saved(self) -> None:
        self.list_saved_queries()

    @work(exclusive=True, exit_on_error=False, group="saved-queries")
    async def list_saved_queries(self) -> None:
        try:
            answer = await self.backend.describe_query_definitions()
        except BackendError as error:
            self.post_message(MonitorCallFailed("DescribeQueryDefinitions", str(error)))
            return
        self.post_message(QueryDefinitionsListed(saved_queries(answer)))

    @on(QueryDefinitionsListed)
    def saved_queries_listed(self, message: QueryDefinitionsListed) -> None:
        self.app.push_screen(QueryPicker("Saved queries", message.queries), self._put_query)

    def _put_query(self, chosen: StoredQuery | None) -> None:
        editor = self.query_one(QueryEditor)
        if chosen is not None:
            editor.replace(chosen.query, (0, 0), editor.document.end)
        editor.focus()

    def action_save_query(self) -> None:
        self.app.push_screen(SaveQueryScreen(), self._save_query)

    def _save_query(self, name: str | None) -> None:
        if name is None:
            return
        text = self.query_one(QueryEditor).text
        write = PlannedWrite("PutQueryDefinition", "saved query", name)
        confirm_write(self.app, self.backend, write, lambda confirmed: self.put_query(write, text, confirmed))

    @work(exit_on_error=False, group="save-query")
    async def put_query(self, write: PlannedWrite, text: str, confirmed: bool) -> None:
        permit_write(self.backend, write, confirmed)
        try:
            await self.backend.put_query_definition(write.name, text)
        except BackendError as error:
            self.post_message(MonitorCallFailed("PutQueryDefinition", str(error)))
            return
        self.post_message(QueryDefinitionSaved(write.name))

    @on(QueryDefinitionSaved)
    def query_saved(self, message: QueryDefinitionSaved) -> None:
        where = "in the account's saved queries" if live_account(self.backend) else "in your packs folder"
        self.notify(f"Saved {event_plain(message.name)} {where}", markup=False)


def _state(results: QueryResults, elapsed_s: float, progress: ScanProgress | None = None) -> QueryState:
    statistics = results.get("statistics", {})
    return QueryState(
        results["status"],
        statistics.get("recordsMatched", 0.0),
        statistics.get("recordsScanned", 0.0),
        statistics.get("bytesScanned", 0.0),
        elapsed_s,
        progress,
        statistics.get("estimatedRecordsSkipped", 0.0),
    )
