"""Driving the console in tests: run a query and wait for its worker and messages, read what is shown."""

from __future__ import annotations

import contextlib

from textual.pilot import Pilot
from textual.widgets.text_area import Selection
from textual.worker import WorkerCancelled

from trailtui.ui.app import TrailApp
from trailtui.ui.screens.main import MainScreen
from trailtui.ui.widgets.contributors_pane import ContributorsPane
from trailtui.ui.widgets.metrics_pane import MetricsPane
from trailtui.ui.widgets.query_editor import QueryEditor
from trailtui.ui.widgets.results_table import ResultsTable

MAX_SETTLE_ROUNDS = 20


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker but the tail's (which runs as long as the replay) has finished and the
    messages they posted are handled. A worker that a newer one of its group replaced ends cancelled; the
    next round waits for the newer one."""
    for round_number in range(MAX_SETTLE_ROUNDS):
        workers = [w for w in pilot.app.workers if w.group != "tail" and not w.is_finished]
        if not workers and round_number >= 2:
            return
        if workers:  # an empty list would wait for every worker, the tail's too
            with contextlib.suppress(WorkerCancelled):
                await pilot.app.workers.wait_for_complete(workers)
        await pilot.pause()


async def type_query(pilot: Pilot[None], query: str) -> None:
    editor = pilot.app.screen.query_one(QueryEditor)
    editor.focus()
    editor.text = query
    editor.selection = Selection.cursor(editor.document.end)
    await pilot.pause()


async def run_query(pilot: Pilot[None], query: str, key: str = "f5") -> ResultsTable:
    await type_query(pilot, query)
    await pilot.press(key)
    await settle(pilot)
    return pilot.app.screen.query_one(ResultsTable)


def main_screen(app: TrailApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def column_values(table: ResultsTable, column: str) -> list[str]:
    """The column's text, escaped, in the order the table shows its rows."""
    return [table.cell_text(table.row_at(position), column) for position in range(table.row_count)]


async def replay_to_end(pilot: Pilot[None]) -> None:
    """Wait (in steps, never on the wall clock alone) until the replay has ended, then poll every pane."""
    replay = pilot.app.backend.replay
    assert replay is not None
    for _ in range(400):
        if replay.status().finished:
            break
        await pilot.pause(0.025)
    assert replay.status().finished, "the replay did not end"
    await poll_now(pilot)


async def poll_now(pilot: Pilot[None]) -> None:
    """Run the status timer's and the live panes' polls now, and wait for what they report."""
    screen = main_screen(pilot.app)
    await settle(pilot)
    screen.poll_monitor()
    screen.query_one(ContributorsPane).poll()
    screen.query_one(MetricsPane).poll()
    await settle(pilot)


async def show_tab(pilot: Pilot[None], tab: str) -> None:
    await pilot.press({"query": "alt+1", "contributors": "alt+2", "metrics": "alt+3", "tail": "alt+4"}[tab])
    await pilot.pause()
    await pilot.pause()
