"""Runaway work in the console: `stats` by a unique field over a million events is cancelled by escape
(the cancellation arrives and the scan's worker processes are gone), and 100,000 result rows render while
the table still answers keys: the cursor moves, a sort and its reversal arrive with the cursor on the
right row, enter opens that row's event and escape comes back."""

from __future__ import annotations

import asyncio
import gzip
import time
from pathlib import Path

import pytest
from tests.ui.helpers import type_query
from textual.pilot import Pilot

from trailtui.backends.local import LocalBackend
from trailtui.ui.app import TrailApp
from trailtui.ui.screens.event import EventScreen
from trailtui.ui.widgets.results_table import ResultsTable
from trailtui.ui.widgets.status_line import StatusLine

from .test_huge_file import child_pids

EVENTS = 1_000_000
FILES = 8
TEMPLATE = (
    '{"eventVersion":"1.08","eventTime":"2024-03-01T%02d:%02d:%02dZ","eventSource":"s3.amazonaws.com",'
    '"eventName":"GetObject","awsRegion":"eu-west-1","recipientAccountId":"111122223333",'
    '"requestID":"req-%07d","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2"}\n'
)
GENEROUS_S = 30.0


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.delenv("TRAILTUI_PACKS_DIR", raising=False)


@pytest.fixture(scope="module")
def million(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A million events with unique requestIDs in eight NDJSON files, gzipped at level 1."""
    folder = tmp_path_factory.mktemp("million")
    per_file = EVENTS // FILES
    for file_number in range(FILES):
        first = file_number * per_file
        lines = "".join(
            TEMPLATE % (n // 3600 % 24, n // 60 % 60, n % 60, n) for n in range(first, first + per_file)
        )
        (folder / f"part{file_number}.ndjson.gz").write_bytes(gzip.compress(lines.encode(), 1))
    return folder


async def wait_until(pilot: Pilot[None], condition: object, what: str) -> None:
    deadline = time.monotonic() + GENEROUS_S
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"no {what} within {GENEROUS_S} s"
        await pilot.pause(0.05)


def scan_workers() -> set[int]:
    """The processes doing a scan: children of this process's children (workers of the forkserver)."""
    return {pid for child in child_pids(0) for pid in child_pids(child)}


async def test_escape_cancels_stats_by_a_unique_field_over_a_million_events(million: Path) -> None:
    backend = LocalBackend([str(million)])
    app = TrailApp(backend)
    async with app.run_test() as pilot:
        screen = app.screen
        await type_query(pilot, "stats count(*) by requestID")
        await pilot.press("f5")
        await wait_until(pilot, lambda: scan_workers(), "scan workers")
        query_id = screen.query_id  # type: ignore[attr-defined]
        await pilot.pause(0.5)
        await pilot.press("escape")
        status = screen.query_one(StatusLine)
        await wait_until(pilot, lambda: status.query_state.status == "Cancelled", "cancellation")
        query = backend._queries[query_id]
        assert query.thread is not None
        await asyncio.to_thread(query.thread.join, GENEROUS_S)
        assert not query.thread.is_alive(), "the query's thread still runs"
        await wait_until(pilot, lambda: not scan_workers(), "end of the scan's workers")
    await backend.close()


async def test_100000_rows_render_and_the_table_still_answers_keys(million: Path) -> None:
    backend = LocalBackend([str(million / "part0.ndjson.gz")])
    app = TrailApp(backend)
    async with app.run_test() as pilot:
        screen = app.screen
        await type_query(pilot, "fields requestID | limit 100000")
        await pilot.press("f5")
        table = screen.query_one(ResultsTable)
        await wait_until(pilot, lambda: table.row_count == 100_000, "100,000 rows")
        table.focus()
        await pilot.press("down", "down")
        await wait_until(pilot, lambda: table.cursor_row == 2, "cursor moved by two key presses")
        assert table.row_under_cursor() is table.rows_shown[2]
        await pilot.press("up")
        await wait_until(pilot, lambda: table.cursor_row == 1, "cursor moved back up")
        await assert_cursor_row_shown(pilot, table, table.rows_shown[1]["requestID"])

        ids = sorted(row["requestID"] for row in table.rows_shown)  # req-NNNNNNN: natural is plain order
        await pilot.press("s")
        await wait_until(pilot, lambda: table.sorted_by == ("requestID", False), "sort by requestID")
        assert table.cursor_row == 0 and table.row_under_cursor()["requestID"] == ids[0]  # type: ignore[index]
        await pilot.press("end")
        await wait_until(pilot, lambda: table.cursor_row == 99_999, "cursor on the last row")
        await assert_cursor_row_shown(pilot, table, ids[-1])
        await pilot.press("s")
        await wait_until(pilot, lambda: table.sorted_by == ("requestID", True), "the order reversed")
        assert table.cursor_row == 0
        await assert_cursor_row_shown(pilot, table, ids[-1])

        await pilot.press("pagedown", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, EventScreen), "the event opened")
        assert app.screen.ptr == table.row_under_cursor()["@ptr"]  # type: ignore[attr-defined,index]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "escape back to the results")
        assert app.focused is table and table.cursor_row > 0
    await backend.close()


async def assert_cursor_row_shown(pilot: Pilot[None], table: ResultsTable, request_id: str) -> None:
    """The row under the cursor is `request_id`'s, and the line drawn at the cursor shows it."""
    await pilot.pause()
    row = table.row_under_cursor()
    assert row is not None and row["requestID"] == request_id
    drawn = table.render_line(table.cursor_row - table.scroll_offset.y + 1).text
    assert request_id in drawn
