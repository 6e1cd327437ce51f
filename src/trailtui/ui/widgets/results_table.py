"""Query results as a table: every cell escaped event text, sortable by any column in Logs Insights'
natural order, and `enter` asks for the row's event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from trailtui.insights.values import natural_sort_key
from trailtui.ui.actions import bindings
from trailtui.ui.result_rows import Row, TimeZoneName, in_zone
from trailtui.ui.safe import event_text


class ResultsTable(DataTable[object]):
    """Rows of one query, shown; each table row remembers its position in `rows_shown`."""

    BINDINGS: ClassVar = bindings("results")

    class EventRequested(Message):
        """The user asked to open the event a row came from."""

        def __init__(self, ptr: str) -> None:
            super().__init__()
            self.ptr = ptr

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[Row] = []
        self.columns_shown: list[str] = []
        self.zone: TimeZoneName = "utc"
        self.sorted_by: tuple[str, bool] | None = None
        """The column sorted on and whether descending; None for the order the query returned."""
        self._positions: dict[RowKey, int] = {}

    def show(self, rows: list[Row], columns: list[str], zone: TimeZoneName) -> None:
        """Replace the table with `rows`."""
        self.rows_shown, self.columns_shown, self.zone, self.sorted_by = rows, columns, zone, None
        self.clear(columns=True)
        for name in columns:
            self.add_column(event_text(name), key=name)
        self._fill(range(len(rows)))

    def show_zone(self, zone: TimeZoneName) -> None:
        """Show the same rows, in the same order, with times in `zone`."""
        order = [self._positions[key] for key in self.rows]
        self.zone = zone
        self.clear()
        self._fill(order)

    def _fill(self, order: Sequence[int]) -> None:
        """Add every row in one call, so the table lays out once however many rows there are."""
        columns, zone, rows = self.columns_shown, self.zone, self.rows_shown
        keys = self.add_rows(
            [event_text(_cell(rows[index].get(name), zone)) for name in columns] for index in order
        )
        self._positions = dict(zip(keys, order, strict=True))

    def row_under_cursor(self) -> Row | None:
        if not self.row_count:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self.rows_shown[self._positions[row_key]]

    def action_open_event(self) -> None:
        row = self.row_under_cursor()
        if row is None or "@ptr" not in row:
            self.notify("This row has no event (stats results are aggregates)", severity="warning")
            return
        self.post_message(self.EventRequested(row["@ptr"]))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a column header sorts by that column, as `s` does under the cursor."""
        event.stop()
        self.move_cursor(column=event.column_index)
        self.action_sort_column()

    def action_sort_column(self) -> None:
        """Sort by the column under the cursor; again on the same column reverses the order."""
        if not self.columns_shown:
            return
        name = self.columns_shown[self.cursor_column]
        descending = self.sorted_by == (name, False)
        rows = self.rows_shown
        order = sorted(range(len(rows)), key=lambda index: natural_sort_key(rows[index].get(name)))
        self.sorted_by = (name, descending)
        self.clear()
        self._fill(order[::-1] if descending else order)
        self.move_cursor(row=0)


def _cell(value: str | None, zone: TimeZoneName) -> str | None:
    return None if value is None else in_zone(value, zone)
