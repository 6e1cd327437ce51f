"""The results table on its own: keys, mouse, sorting, time zones, opening an event, hostile cell text and
what one screen of a large result costs; and the cell helpers it draws with."""

from __future__ import annotations

import random
import time
import tracemalloc

import pytest
from rich.cells import cell_len
from textual import on
from textual.app import App, ComposeResult

from trailtui.insights.values import natural_sort_key
from trailtui.ui.result_rows import Row
from trailtui.ui.widgets.results_table import ResultsTable
from trailtui.ui.widgets.table_cells import (
    MAX_COLUMN_WIDTH,
    WIDTH_SAMPLE_ROWS,
    column_width,
    fit,
    natural_order,
    sample_indices,
)

from .helpers import settle

OSC52 = "\x1b]52;c;cHduZWQ=\x07aws-cli"
MARKUP = "[link=https://evil.example]x[/link][bold]"
MEGABYTE = "\x1b[31m" + "A" * 1_000_000


class TableApp(App[None]):
    """The table alone, showing `rows`; the events it asks for are kept."""

    def __init__(self, rows: list[Row], columns: list[str]) -> None:
        super().__init__()
        self.rows, self.columns = rows, columns
        self.requested: list[str] = []

    def compose(self) -> ComposeResult:
        yield ResultsTable(id="results")

    def on_mount(self) -> None:
        table = self.query_one(ResultsTable)
        table.show(self.rows, self.columns, "utc")
        table.focus()

    @on(ResultsTable.EventRequested)
    def keep(self, message: ResultsTable.EventRequested) -> None:
        self.requested.append(message.ptr)


def numbered_rows(count: int) -> list[Row]:
    return [
        {
            "@timestamp": f"2024-03-01 10:{n // 60 % 60:02d}:{n % 60:02d}.000",
            "name": f"call-{n}",
            "@ptr": f"p{n}",
        }
        for n in range(count)
    ]


def line(table: ResultsTable, y: int) -> str:
    return table.render_line(y).text


async def sorted_by_keys(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_keys_move_the_row_cursor_and_the_view_follows() -> None:
    app = TableApp(numbered_rows(500), ["@timestamp", "name"])
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(ResultsTable)
        await pilot.press("down", "down")
        assert table.cursor_row == 2 and table.row_under_cursor() == app.rows[2]
        await pilot.press("up")
        assert table.cursor_row == 1
        page = table.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert table.cursor_row == 1 + page
        await pilot.press("end")
        assert table.cursor_row == 499 and table.row_under_cursor() == app.rows[499]
        await pilot.pause()
        assert table.scroll_offset.y == 500 - page, "the last row is at the bottom of the view"
        assert "call-499" in line(table, page)
        await pilot.press("pageup")
        assert table.cursor_row == 499 - page
        await pilot.press("home")
        assert (table.cursor_row, table.scroll_offset.y) == (0, 0)
        await pilot.press("up")
        assert table.cursor_row == 0, "the cursor stays on the table"


async def test_left_and_right_move_the_column_cursor_and_scroll_a_wide_result() -> None:
    columns = [f"field{n}" for n in range(12)]
    rows = [{name: f"{name}-value-{n}" for name in columns} for n in range(5)]
    app = TableApp(rows, columns)
    async with app.run_test(size=(50, 10)) as pilot:
        table = app.query_one(ResultsTable)
        assert line(table, 0).startswith(" field0 ")
        await pilot.press(*["right"] * 11)
        assert table.cursor_column == 11
        await pilot.pause()
        assert table.scroll_offset.x > 0
        assert line(table, 1).rstrip().endswith("field11-value-0")
        await pilot.press("right")
        assert table.cursor_column == 11
        await pilot.press(*["left"] * 11)
        await pilot.pause()
        assert (table.cursor_column, table.scroll_offset.x) == (0, 0)


async def test_s_sorts_the_column_under_the_cursor_naturally_and_again_reverses() -> None:
    values = ["req-10", "req-9", None, "req-100", "2", "10", "req-9"]
    rows = [
        {"n": str(index), "id": value} if value else {"n": str(index)} for index, value in enumerate(values)
    ]
    app = TableApp(rows, ["n", "id"])
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(ResultsTable)
        await pilot.press("right")
        await sorted_by_keys(pilot, "s")
        assert table.sorted_by == ("id", False)
        shown = [table.row_at(position)["n"] for position in range(table.row_count)]
        assert shown == ["1", "6", "0", "3", "4", "5", "2"], "text by runs, then numbers, missing last"
        assert "id▲" in line(table, 0)
        await pilot.press("end")
        await sorted_by_keys(pilot, "s")
        assert table.sorted_by == ("id", True)
        assert [table.row_at(position)["n"] for position in range(table.row_count)] == shown[::-1]
        assert table.cursor_row == 0 and table.row_under_cursor() == rows[2]
        assert "id▼" in line(table, 0)
        await pilot.press("left")
        await sorted_by_keys(pilot, "s")
        assert table.sorted_by == ("n", False)
        assert [table.row_at(position)["n"] for position in range(table.row_count)] == list("0123456")


async def test_a_click_on_a_header_sorts_and_on_a_row_moves_the_cursor() -> None:
    rows = [{"a": f"{n}", "b": f"{9 - n}", "@ptr": f"p{n}"} for n in range(10)]
    app = TableApp(rows, ["a", "b"])
    async with app.run_test(size=(40, 14)) as pilot:
        table = app.query_one(ResultsTable)
        await pilot.click(ResultsTable, offset=(5, 0))
        await settle(pilot)
        assert table.sorted_by == ("b", False) and table.cursor_column == 1
        assert table.row_at(0) == rows[9]
        await pilot.click(ResultsTable, offset=(1, 3))
        assert (table.cursor_row, table.cursor_column) == (2, 0)
        assert table.row_under_cursor() == rows[7]


async def test_show_replaces_the_rows_and_drops_a_sort_of_the_old_ones() -> None:
    app = TableApp(numbered_rows(20_000), ["@timestamp", "name"])
    async with app.run_test() as pilot:
        table = app.query_one(ResultsTable)
        await pilot.press("right", "s")
        fresh = numbered_rows(3)
        table.show(fresh, ["name"], "utc")
        await settle(pilot)
        assert table.rows_shown is fresh and table.sorted_by is None and table.order is None
        assert [table.row_at(position) for position in range(3)] == fresh
        assert line(table, 0).startswith(" name ")


async def test_the_time_zone_changes_the_times_shown_not_the_order_nor_the_cursor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        app = TableApp(numbered_rows(30), ["@timestamp", "name"])
        async with app.run_test() as pilot:
            table = app.query_one(ResultsTable)
            await sorted_by_keys(pilot, "s", "s", "down")
            table.show_zone("local")
            await pilot.pause()
            assert table.row_under_cursor() == app.rows[28]
            assert table.cell_text(app.rows[28], "@timestamp") == "2024-03-01 15:30:28.000"
            assert "15:30:28.000" in line(table, 2)
            table.show_zone("utc")
            await pilot.pause()
            assert "10:00:28.000" in line(table, 2)
    finally:
        monkeypatch.undo()
        time.tzset()


async def test_enter_asks_for_the_event_of_the_row_under_the_cursor() -> None:
    rows = [{"name": "a", "@ptr": "ptr-a"}, {"name": "b", "@ptr": "ptr-b"}, {"count()": "3"}]
    app = TableApp(rows, ["name", "count()"])
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.requested == ["ptr-b"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.requested == ["ptr-b"]
        assert any("no event" in notification.message for notification in app._notifications)


async def test_hostile_cells_are_drawn_escaped_and_literal() -> None:
    rows = [{"agent": OSC52, "name": MARKUP, "big": MEGABYTE, "bidi": "alice\u202eexe.txt"}]
    app = TableApp(rows, ["agent", "name", "big", "bidi"])
    async with app.run_test(size=(200, 10)) as pilot:
        table = app.query_one(ResultsTable)
        await pilot.pause()
        strip = table.render_line(1)
        text = strip.text
        for control in ("\x1b", "\x07", "\u202e"):
            assert control not in text
        assert "\\x1b]52;c;cHduZWQ=\\x07aws-cli" in text
        assert MARKUP in text, "markup is shown as the characters it is"
        assert "\\x1b[31mAAAA" in text and "A" * MAX_COLUMN_WIDTH not in text
        assert "alice\\u202eexe.txt" in text
        assert all(segment.style is None or not segment.style.link for segment in strip)
        assert strip.cell_length == table.scrollable_content_region.width
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "evil.example" in screen


async def test_a_cell_wider_than_its_sampled_column_is_cut_with_an_ellipsis() -> None:
    rows = [{"name": "short"} for _ in range(5_000)]
    rows[4_321] = {"name": "much longer than any sampled row"}
    assert 4_321 not in sample_indices(len(rows))
    app = TableApp(rows, ["name"])
    async with app.run_test() as pilot:
        table = app.query_one(ResultsTable)
        table.move_cursor(row=4_321)
        await pilot.pause()
        shown = next(line(table, y) for y in range(1, table.size.height) if "much" in line(table, y))
        assert shown.startswith(" much…")


async def test_showing_a_hundred_thousand_rows_makes_nothing_per_row() -> None:
    rows = numbered_rows(100_000)
    app = TableApp([], ["name"])
    async with app.run_test() as pilot:
        table = app.query_one(ResultsTable)
        tracemalloc.start()
        try:
            table.show(rows, ["@timestamp", "name"], "utc")
            await pilot.pause()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert table.row_count == 100_000 and table.rows_shown is rows
        assert peak < 2_000_000, f"show() took {peak:,} bytes for 100,000 rows"
        await sorted_by_keys(pilot, "right", "s")
        assert table.row_at(0)["name"] == "call-0" and table.row_at(99_999)["name"] == "call-99999"


def test_natural_order_is_a_stable_sort_by_the_natural_key() -> None:
    generator = random.Random(7)
    values = [
        generator.choice([None, f"req-{generator.randrange(50)}", str(generator.randrange(-5, 50)), "x10y2"])
        for _ in range(5_000)
    ]
    expected = sorted(range(len(values)), key=lambda index: natural_sort_key(values[index]))
    assert natural_order(values) == expected


def test_widths_come_from_the_header_and_the_sample_and_stop_at_the_cap() -> None:
    assert column_width("eventName", ["GetObject", None]) == len("eventName")
    assert column_width("ip", ["198.51.100.7"]) == 12
    assert column_width("agent", ["x" * 500]) == MAX_COLUMN_WIDTH
    assert column_width("e", ["\x1b"]) == len("\\x1b")
    assert len(sample_indices(100_000)) == WIDTH_SAMPLE_ROWS
    assert list(sample_indices(10)) == list(range(10))


def test_fit_pads_or_cuts_to_exact_cells_even_with_wide_characters() -> None:
    assert fit("abc", 5) == "abc  "
    assert fit("abcdef", 4) == "abc…"
    cut = fit("日本語テキスト", 6)
    assert cell_len(cut) == 6 and cut.endswith("…")
