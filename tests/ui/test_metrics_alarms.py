"""Metrics and alarms in the console: an alarm that goes into ALARM is announced (notification and bell),
the graph draws the alarm's threshold, and "view logs" on a datapoint runs the query for its events."""

from __future__ import annotations

from typing import Any

import pytest

from trailtui.ui.widgets.alarms_table import AlarmsTable
from trailtui.ui.widgets.metric_chart import MetricChart
from trailtui.ui.widgets.replay_line import ReplayLine
from trailtui.ui.widgets.results_table import ResultsTable

from .helpers import column_values, main_screen, poll_now, replay_to_end, settle, show_tab
from .live_trail import PERIOD_START_MS


class Recorder:
    """Calls through to a Textual method and remembers each call's arguments."""

    def __init__(self, app: Any, name: str) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self._method = getattr(app, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        return self._method(*args, **kwargs)


async def test_an_alarm_going_into_alarm_is_notified_and_rings_the_bell(
    make_live_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_live_app(paused=True)
    bell, notify = Recorder(app, "bell"), Recorder(app, "notify")
    monkeypatch.setattr(app, "bell", bell)
    monkeypatch.setattr(app, "notify", notify)
    async with app.run_test(size=(120, 40)) as pilot:
        await poll_now(pilot)
        assert bell.calls == []
        assert app.screen.query_one(ReplayLine).alarms_in_alarm == 0
        await show_tab(pilot, "metrics")
        await pilot.press("space")
        await replay_to_end(pilot)
        alarms = [args[0] for args, kwargs in notify.calls if kwargs.get("severity") == "error"]
        assert any(text.startswith("ALARM: assume-role-duration-over-an-hour") for text in alarms)
        assert any(text.startswith("ALARM: cis-unauthorized-api-calls") for text in alarms)
        assert len(bell.calls) == 2
        assert app.screen.query_one(ReplayLine).alarms_in_alarm == 2
        await poll_now(pilot)
        assert len(bell.calls) == 2, "an alarm still in ALARM is announced once"


async def test_the_alarms_table_shows_state_and_last_change(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await replay_to_end(pilot)
        table = app.screen.query_one(AlarmsTable)
        first = [cell.plain for cell in table.get_row_at(0)]
        assert first[:3] == [" ALARM ", "assume-role-duration-over-an-hour", "2024-03-01 10:05:00"]
        states = {cell.plain.strip() for cell in table.get_column("state")}
        assert states == {"ALARM", "OK"}


async def test_the_graph_follows_the_alarm_and_draws_its_threshold(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "metrics")
        await pilot.press("s", "s")
        await poll_now(pilot)
        chart = app.screen.query_one(MetricChart)
        assert chart.threshold == 3600.0
        assert chart.point_under_cursor() == (PERIOD_START_MS, 7200.0)
        assert "threshold 3,600" in str(chart.render())


async def test_view_logs_on_a_datapoint_queries_the_filters_events_of_that_period(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "metrics")
        chart = app.screen.query_one(MetricChart)
        assert chart.point_under_cursor() is not None
        await pilot.press("l")
        await settle(pilot)
        screen = main_screen(app)
        editor_text = screen.query_one("#editor").text
        assert editor_text.startswith("# view logs: metric filter assume-role-duration")
        table = screen.query_one(ResultsTable)
        assert column_values(table, "eventName") == ["AssumeRole", "AssumeRole"]
        assert "@message" not in table.columns_shown
        assert column_values(table, "userIdentity.arn")[0] == "arn:aws:iam::111122223333:user/alice"
