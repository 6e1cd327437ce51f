"""Running Logs Insights queries from the console over a real trail: keys, results, status, cancelling."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from textual import events

from trailtui.backends.base import QueryResults
from trailtui.backends.local import LocalBackend
from trailtui.ui.app import TrailApp
from trailtui.ui.config import load_config
from trailtui.ui.widgets.query_editor import QueryEditor
from trailtui.ui.widgets.results_chart import ResultsChart
from trailtui.ui.widgets.results_table import ResultsTable
from trailtui.ui.widgets.status_line import QueryState, StatusLine

from .helpers import column_values, main_screen, run_query, settle, type_query

QUERY = "fields @timestamp, eventName | sort @timestamp asc"


@pytest.mark.parametrize("key", ["f5", "ctrl+r"])
async def test_a_run_key_runs_the_query_and_focuses_the_first_row(make_app, key: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await run_query(pilot, QUERY, key)
        assert table.row_count == 6
        assert app.focused is table
        assert table.cursor_row == 0
        assert column_values(table, "eventName")[:2] == ["ListBuckets", "GetObject"]
        status = app.screen.query_one(StatusLine).query_state
        assert (status.status, status.records_matched, status.records_scanned) == ("Complete", 6.0, 6.0)


async def test_run_key_works_while_the_editor_has_focus(make_app) -> None:
    """F5 is also TextArea's select-word key: the console's binding must win in the editor."""
    app = make_app()
    async with app.run_test() as pilot:
        await type_query(pilot, QUERY)
        assert app.focused is app.screen.query_one("#editor")
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.query_one(ResultsTable).row_count == 6


async def test_query_given_at_start_runs_at_start(make_app) -> None:
    app = make_app(QUERY, run_at_start=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        await settle(pilot)
        assert app.screen.query_one(ResultsTable).row_count == 6


async def test_sort_key_orders_the_column_naturally_and_again_reverses(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        table = await run_query(pilot, "fields sourceIPAddress as ip | sort @timestamp desc")
        await pilot.press("s")
        await settle(pilot)
        assert column_values(table, "ip") == [f"198.51.100.{n}" for n in range(1, 7)]
        await pilot.press("s")
        assert column_values(table, "ip") == [f"198.51.100.{n}" for n in range(6, 0, -1)]


async def test_stats_by_bin_can_be_charted(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_query(pilot, "stats count(*) as calls by bin(2m)")
        await pilot.press("f7")
        chart = app.screen.query_one(ResultsChart)
        assert chart.display and app.focused is chart
        assert chart.series is not None and [value for _, value in chart.series.points] == [1, 2, 2, 1]
        assert "█" in chart.render().plain
        await pilot.press("f7")
        assert app.focused is app.screen.query_one(ResultsTable)


async def test_a_result_that_is_not_a_series_is_not_charted(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, QUERY)
        await pilot.press("f7")
        assert app.screen.query_one(ResultsChart).display is False


async def test_timezone_key_switches_between_utc_and_local(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    import time

    time.tzset()
    app = make_app()
    try:
        async with app.run_test() as pilot:
            table = await run_query(pilot, QUERY)
            assert column_values(table, "@timestamp")[0] == "2024-03-01 10:01:00.000"
            await pilot.press("f8")
            assert column_values(table, "@timestamp")[0] == "2024-03-01 15:31:00.000"
            assert app.screen.query_one(StatusLine).zone == "local time"
    finally:
        monkeypatch.undo()
        time.tzset()


async def test_ten_thousand_rows_fill_the_table(tmp_path: Path) -> None:
    lines = [
        f'{{"eventTime":"2024-03-01T10:00:00Z","eventName":"Call{n}","eventSource":"s3.amazonaws.com"}}'
        for n in range(10_000)
    ]
    path = tmp_path / "many.ndjson"
    path.write_text("\n".join(lines))
    app = TrailApp(LocalBackend([str(path)]))
    async with app.run_test() as pilot:
        table = await run_query(pilot, "fields eventName | limit 10000")
        assert table.row_count == 10_000
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.cursor_row == 9_999


class HeldBackend(LocalBackend):
    """The local backend, with every query reported Running until StopQuery: a query slow to order."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self.stopped: list[str] = []

    async def get_query_results(self, query_id: str) -> QueryResults:
        results = await super().get_query_results(query_id)
        if query_id in self.stopped:
            return {**results, "status": "Cancelled"}
        return {**results, "status": "Running"}

    async def stop_query(self, query_id: str) -> bool:
        self.stopped.append(query_id)
        return await super().stop_query(query_id)


async def test_escape_stops_the_running_query(trail: Path) -> None:
    backend = HeldBackend([str(trail)])
    app = TrailApp(backend)
    async with app.run_test() as pilot:
        await type_query(pilot, QUERY)
        await pilot.press("f5")
        while main_screen(app).query_id is None:
            await pilot.pause(0.05)
        assert app.screen.query_one(StatusLine).query_state.status == "Running"
        await pilot.press("escape")
        await settle(pilot)
        assert backend.stopped == [main_screen(app).query_id]
        assert app.screen.query_one(StatusLine).query_state.status == "Cancelled"
        assert main_screen(app).running is False


async def test_a_new_run_stops_the_query_it_replaces(trail: Path) -> None:
    backend = HeldBackend([str(trail)])
    app = TrailApp(backend)
    async with app.run_test() as pilot:
        await type_query(pilot, QUERY)
        await pilot.press("f5")
        while main_screen(app).query_id is None:
            await pilot.pause(0.05)
        first = main_screen(app).query_id
        await pilot.press("f5")
        await pilot.pause(0.2)
        assert first in backend.stopped
        await pilot.press("escape")
        await settle(pilot)


async def test_the_table_has_the_focus_as_soon_as_the_status_reads_complete(make_app) -> None:
    """A key pressed as soon as Complete shows must reach the results, so the focus moves first."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        status = screen.query_one(StatusLine)
        focused_at: dict[str, object] = {}

        def note_focus(state: QueryState) -> None:
            focused_at[state.status] = screen.focused

        screen.watch(status, "query_state", note_focus, init=False)
        table = await run_query(pilot, QUERY)
        assert focused_at["Complete"] is table


async def test_keys_that_arrive_with_ctrl_e_go_into_the_editor(make_app) -> None:
    """Over tmux or SSH, ctrl+e and the keys typed right after it can arrive in one read: the editor must
    have the focus before the app forwards those keys, not once they have gone to the results table."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = await run_query(pilot, QUERY)
        assert app.focused is table
        for key, character in [("ctrl+e", None), ("space", " "), ("1", "1")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        editor = app.screen.query_one(QueryEditor)
        assert app.focused is editor
        assert editor.text == f"{QUERY} 1"


async def test_the_columns_of_a_result_are_offered_as_completions(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await run_query(pilot, "stats count(*) as calls by eventName")
        editor = app.screen.query_one(QueryEditor)
        assert {"calls", "eventName"} <= set(editor.known_fields)
        await pilot.press("ctrl+e", "space", "c", "a", "l", "ctrl+n")
        assert editor.text == "stats count(*) as calls by eventName calls"


async def test_the_status_line_says_how_many_records_the_scan_passed_over(
    trail: Path, tmp_path: Path
) -> None:
    """A file that cannot hold a match is not read; its records are an estimate, said as one. (Named
    outside the S3 layout: there, records are counted exactly instead, record by record.)"""
    other = tmp_path / "other" / "exported.json"
    other.parent.mkdir()
    other.write_bytes(orjson.dumps({"Records": [{"eventVersion": "1.08", "eventName": "PutObject"}] * 40}))
    app = TrailApp(LocalBackend([str(trail), str(other)]), config=load_config())
    async with app.run_test(size=(120, 40)) as pilot:
        table = await run_query(pilot, 'filter eventName = "ListBuckets" | fields eventName')
        assert table.row_count == 2
        status = app.screen.query_one(StatusLine)
        assert status.query_state.records_passed_over > 0
        assert "2 matched of 6" in status.render().plain
        assert f"~{status.query_state.records_passed_over:,.0f} passed over" in status.render().plain
