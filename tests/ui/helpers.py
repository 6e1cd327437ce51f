"""Driving the console in tests: run a query and wait for its worker and messages, read what is shown."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets.text_area import Selection

from trailtui.ui.app import TrailApp
from trailtui.ui.screens.main import MainScreen
from trailtui.ui.widgets.query_editor import QueryEditor
from trailtui.ui.widgets.results_table import ResultsTable


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker has finished and the messages they posted are handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
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
    return [cell.plain for cell in table.get_column(column)]
