"""The alarms as DescribeAlarms answers: name, state (coloured from the theme: OK green, ALARM red,
INSUFFICIENT_DATA grey; the word itself says it too), time of the last change, metric and threshold."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.widgets import DataTable

from trailtui.ui.safe import event_text

STATE_CLASSES = {"OK": "alarms-table--ok", "ALARM": "alarms-table--alarm"}


class AlarmsTable(DataTable[object]):
    """One row per alarm, ALARM first."""

    DEFAULT_CSS = """
    AlarmsTable { height: 1fr; }
    AlarmsTable > .alarms-table--ok { color: $success; }
    AlarmsTable > .alarms-table--alarm { color: $error; text-style: bold reverse; }
    AlarmsTable > .alarms-table--insufficient { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "alarms-table--ok",
        "alarms-table--alarm",
        "alarms-table--insufficient",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.shown: list[dict[str, Any]] = []

    def on_mount(self) -> None:
        # The state column is as wide as its widest word from the start: column widths only ever grow, so a
        # width learned from earlier rows would make the layout depend on when the alarms were first read.
        self.add_column("state", key="state", width=len(" INSUFFICIENT_DATA "))
        for name in ("alarm", "since", "metric", "threshold"):
            self.add_column(name, key=name)

    def show_alarms(self, alarms: list[dict[str, Any]]) -> None:
        """Replace the rows (only when something changed, so the cursor stays put)."""
        ordered = sorted(
            alarms, key=lambda alarm: (alarm.get("StateValue") != "ALARM", str(alarm.get("AlarmName")))
        )
        if ordered == self.shown:
            return
        row = self.cursor_row
        self.shown = ordered
        self.clear()
        self.add_rows(self._cells(alarm) for alarm in ordered)
        if ordered:
            self.move_cursor(row=min(row, len(ordered) - 1))

    def _cells(self, alarm: dict[str, Any]) -> list[Text]:
        state = str(alarm.get("StateValue", ""))
        style = self.get_component_rich_style(STATE_CLASSES.get(state, "alarms-table--insufficient"))
        since = str(alarm.get("StateUpdatedTimestamp", "")).replace("T", " ")[:19]
        metric = f"{alarm.get('Namespace', '')}/{alarm.get('MetricName', '')}"
        operator = str(alarm.get("ComparisonOperator", "")).replace("Threshold", "").replace("OrEqualTo", "=")
        return [
            Text(f" {state} ", style=style),
            event_text(str(alarm.get("AlarmName", ""))),
            Text(since),
            event_text(metric),
            event_text(f"{operator} {alarm.get('Threshold', '')}"),
        ]
