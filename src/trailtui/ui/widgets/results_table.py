"""Query results as a virtual table: however many rows (the engine stops at 100,000), only the visible lines
are drawn, from the row list as it was given, so showing, scrolling, switching the time zone and sorting
never make a widget per row or measure every cell.

Columns are as wide as their header and a bounded sample of rows need (at most MAX_COLUMN_WIDTH cells);
a longer cell is cut with an ellipsis. Every cell is escaped event text drawn as plain segments, never
markup. A row cursor and a column cursor move with the keys of the "results" actions; `s` (or a click on a
header) sorts by the column under the column cursor in Logs Insights' natural order, in a thread, and
again reverses it; `enter` asks for the row's event.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from trailtui.ui.actions import bindings
from trailtui.ui.result_rows import Row, TimeZoneName, in_zone
from trailtui.ui.safe import event_plain
from trailtui.ui.widgets.table_cells import column_width, fit, natural_order, sample_indices

PADDING = 1
"""Blank cells either side of each column; a header's sort mark may take its right one."""
SORT_MARKS = {False: "▲", True: "▼"}
SORTING_MARK = "…"


class ResultsTable(ScrollView, can_focus=True):
    """Rows of one query, shown in `order` (indices into `rows_shown`; the query's own order until sorted)."""

    BINDINGS: ClassVar = bindings("results")
    DEFAULT_CSS = """
    ResultsTable {
        background: $surface;
        &:focus { background-tint: $foreground 5%; }
        & > .results-table--header { background: $panel; color: $foreground; text-style: bold; }
        & > .results-table--header-cursor { background: $accent-darken-1; color: auto 90%; }
        & > .results-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .results-table--even-row { background: $surface-darken-1 40%; }
        & > .results-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .results-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results-table--header",
        "results-table--header-cursor",
        "results-table--even-row",
        "results-table--cursor",
    }

    class EventRequested(Message):
        """The user asked to open the event a row came from."""

        def __init__(self, ptr: str) -> None:
            super().__init__()
            self.ptr = ptr

    class _Sorted(Message, bubble=False):
        """A sort's thread has ordered `rows` by `column` ascending."""

        def __init__(self, rows: list[Row], column: str, order: list[int]) -> None:
            super().__init__()
            self.rows, self.column, self.order = rows, column, order

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows_shown: list[Row] = []
        self.columns_shown: list[str] = []
        self.zone: TimeZoneName = "utc"
        self.sorted_by: tuple[str, bool] | None = None
        """The column sorted on and whether descending; None for the order the query returned."""
        self.cursor_row = 0
        self.cursor_column = 0
        self.order: list[int] | None = None
        self._sorting: tuple[str, bool] | None = None
        """The column a sort thread is ordering now, and whether it is to be shown descending."""
        self._ascending: dict[str, list[int]] = {}
        """Each column's ascending order once sorted, so sorting it again costs nothing."""
        self._headers: list[str] = []
        self._widths: list[int] = []
        self._starts: list[int] = []
        """Where each column begins, in cells from the table's left edge."""

    @property
    def row_count(self) -> int:
        return len(self.rows_shown)

    # Content.

    def show(self, rows: list[Row], columns: list[str], zone: TimeZoneName) -> None:
        """Replace the table with `rows` (kept as given, not copied), in the query's order."""
        self.workers.cancel_group(self, "sort")
        self.rows_shown, self.columns_shown, self.zone = rows, columns, zone
        self.sorted_by, self.order, self._sorting = None, None, None
        self._ascending = {}
        self._headers = [event_plain(name) for name in columns]
        sample = [rows[index] for index in sample_indices(len(rows))]
        self._widths = [
            column_width(header, [row.get(name) for row in sample])
            for name, header in zip(columns, self._headers, strict=True)
        ]
        self._starts = [0, *accumulate(width + 2 * PADDING for width in self._widths)]
        self.virtual_size = Size(self._starts[-1], len(rows) + 1)
        self.cursor_row = self.cursor_column = 0
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def show_zone(self, zone: TimeZoneName) -> None:
        """Show the same rows, in the same order, with times in `zone`."""
        self.zone = zone
        self.refresh()

    def row_at(self, position: int) -> Row:
        """The row shown at `position` (0 is the first row under the header)."""
        return self.rows_shown[position if self.order is None else self.order[position]]

    def cell_text(self, row: Row, column: str) -> str:
        """The escaped text of `row`'s value in `column`, times in the table's zone, before any cut."""
        value = row.get(column)
        return event_plain(None if value is None else in_zone(value, self.zone))

    def row_under_cursor(self) -> Row | None:
        return self.row_at(self.cursor_row) if self.rows_shown else None

    # Drawing.

    def render_line(self, y: int) -> Strip:
        """Line `y` of the widget: the header at 0, then the rows from the vertical scroll position on;
        each line is as wide as the widget, in its own style past the last column."""
        scroll_x, scroll_y = self.scroll_offset
        position = scroll_y + y - 1
        if y == 0:
            style = self._style("results-table--header")
            segments = self._header_segments(style)
        elif position < self.row_count:
            style = self._row_style(position)
            segments = self._row_segments(position, style)
        else:
            style, segments = self.rich_style, []
        strip = Strip(segments, sum(segment.cell_length for segment in segments))
        return strip.crop_extend(scroll_x, scroll_x + self.scrollable_content_region.width, style)

    def _header_segments(self, style: Style) -> list[Segment]:
        current = self._style("results-table--header", "results-table--header-cursor")
        return [
            Segment(
                f"{' ' * PADDING}{fit(self._cut(label, width) + self._mark(name), width + PADDING)}",
                current if index == self.cursor_column else style,
            )
            for index, (name, label, width) in enumerate(
                zip(self.columns_shown, self._headers, self._widths, strict=True)
            )
        ]

    @staticmethod
    def _cut(label: str, width: int) -> str:
        return label if cell_len(label) <= width else fit(label, width)

    def _mark(self, column: str) -> str:
        """The sort mark after a header: ▲ or ▼ for the order shown, … while a sort is being made."""
        if self._sorting is not None and self._sorting[0] == column:
            return SORTING_MARK
        if self.sorted_by is not None and self.sorted_by[0] == column:
            return SORT_MARKS[self.sorted_by[1]]
        return ""

    def _row_style(self, position: int) -> Style:
        if position == self.cursor_row:
            return self._style("results-table--cursor")
        return self._style("results-table--even-row") if position % 2 else self.rich_style

    def _row_segments(self, position: int, style: Style) -> list[Segment]:
        row, pad = self.row_at(position), " " * PADDING
        return [
            Segment(f"{pad}{fit(self.cell_text(row, name), width)}{pad}", style)
            for name, width in zip(self.columns_shown, self._widths, strict=True)
        ]

    def _style(self, *components: str) -> Style:
        return self.rich_style + Style.combine(self.get_component_rich_style(name) for name in components)

    # Moving.

    def move_cursor(self, *, row: int | None = None, column: int | None = None) -> None:
        """Put the cursor on `row` and `column` (each kept inside the table) and scroll them into view."""
        if row is not None:
            self.cursor_row = max(0, min(row, self.row_count - 1))
        if column is not None:
            self.cursor_column = max(0, min(column, len(self.columns_shown) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        region = self.scrollable_content_region
        top, rows = self.scroll_offset.y, self._page()
        y = min(self.cursor_row, max(top, self.cursor_row - rows + 1))
        x = self.scroll_offset.x
        if self._widths:
            start, end = self._starts[self.cursor_column], self._starts[self.cursor_column + 1]
            x = min(start, max(x, end - region.width))
        self.scroll_to(x, y, animate=False, immediate=True)

    def _page(self) -> int:
        """Rows visible under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self.cursor_row + 1)

    def action_cursor_left(self) -> None:
        self.move_cursor(column=self.cursor_column - 1)

    def action_cursor_right(self) -> None:
        self.move_cursor(column=self.cursor_column + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self.move_cursor(row=self.cursor_row + self._page())

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        """A click on a row puts the cursor there; a click on a header sorts by that column."""
        offset = event.get_content_offset(self)
        if offset is None or not self._widths:
            return
        column = min(bisect_right(self._starts, offset.x + self.scroll_offset.x) - 1, len(self._widths) - 1)
        if offset.y == 0:
            self.move_cursor(column=column)
            self.action_sort_column()
        else:
            self.move_cursor(row=self.scroll_offset.y + offset.y - 1, column=column)

    # Acting on a row.

    def action_open_event(self) -> None:
        row = self.row_under_cursor()
        if row is None or "@ptr" not in row:
            self.notify("This row has no event (stats results are aggregates)", severity="warning")
            return
        self.post_message(self.EventRequested(row["@ptr"]))

    def action_sort_column(self) -> None:
        """Sort by the column under the cursor; again on the same column reverses the order (pressed while
        the order is being made, it reverses the order to come)."""
        if not self.columns_shown:
            return
        column = self.columns_shown[self.cursor_column]
        if self._sorting is not None and self._sorting[0] == column:
            self._sorting = (column, not self._sorting[1])
        elif column in self._ascending:
            self._show_order(column, self.sorted_by == (column, False))
        else:
            self._sorting = (column, False)
            self._sort(self.rows_shown, column)
        self.refresh()

    @work(thread=True, exclusive=True, group="sort", description="sort the results")
    def _sort(self, rows: list[Row], column: str) -> None:
        order = natural_order([row.get(column) for row in rows])
        if not get_current_worker().is_cancelled:
            self.post_message(self._Sorted(rows, column, order))

    @on(_Sorted)
    def _sorted(self, message: _Sorted) -> None:
        if message.rows is self.rows_shown and self._sorting is not None:
            column, descending = self._sorting
            if message.column == column:
                self._ascending[column] = message.order
                self._show_order(column, descending)

    def _show_order(self, column: str, descending: bool) -> None:
        self.workers.cancel_group(self, "sort")
        self._sorting = None
        ascending = self._ascending[column]
        self.order = ascending[::-1] if descending else ascending
        self.sorted_by = (column, descending)
        self.move_cursor(row=0)
