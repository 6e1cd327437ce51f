"""One metric's datapoints as columns of block characters, the alarm threshold drawn as a line across,
and a cursor on one datapoint (left/right) whose time and value are written under the graph."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widget import Widget

from trailtui.ui.result_rows import TimeZoneName
from trailtui.ui.safe import event_plain
from trailtui.ui.sparkline import EIGHTHS
from trailtui.ui.time_input import clock_text

Point = tuple[int, float | None]
"""A period: its start in epoch ms, and its datapoint's value (None: no datapoint)."""


class MetricChart(Widget, can_focus=True):
    """Datapoints, oldest left; `cursor` indexes `points` (the newest by default)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Earlier", show=False),
        Binding("right", "move(1)", "Later", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
    ]
    DEFAULT_CSS = """
    MetricChart { height: 1fr; min-height: 5; padding: 0 1; }
    MetricChart > .metric-chart--bar { color: $primary; }
    MetricChart > .metric-chart--cursor { color: $accent; text-style: bold; }
    MetricChart > .metric-chart--threshold { color: $error; }
    MetricChart > .metric-chart--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "metric-chart--bar",
        "metric-chart--cursor",
        "metric-chart--threshold",
        "metric-chart--axis",
    }

    points: reactive[list[Point]] = reactive(list, always_update=True)
    """Every period of the window, oldest first."""
    threshold: reactive[float | None] = reactive(None)
    """The alarm threshold to draw, if an alarm watches this metric."""
    title: reactive[str] = reactive("")
    """What is graphed (`AssumeRoleDuration Maximum / 300 s`), raw text, escaped when drawn."""
    cursor: reactive[int] = reactive(-1)
    """Index of the chosen datapoint; -1 for none."""
    zone: reactive[TimeZoneName] = reactive("utc")

    def watch_points(self, points: list[Point]) -> None:
        if not points:
            self.cursor = -1
        elif not 0 <= self.cursor < len(points) or self.cursor == len(points) - 2:
            self.cursor = len(points) - 1

    def point_under_cursor(self) -> Point | None:
        return self.points[self.cursor] if 0 <= self.cursor < len(self.points) else None

    def action_move(self, step: int) -> None:
        if self.points:
            self.cursor = max(0, min(len(self.points) - 1, self.cursor + step))

    def action_move_to(self, index: int) -> None:
        if self.points:
            self.cursor = index % len(self.points)

    def render(self) -> Text:
        width, height = self.content_size
        axis = self.get_component_rich_style("metric-chart--axis")
        text = Text(no_wrap=True, end="")
        text.append(event_plain(self.title)[:width], axis)
        points = self.points
        values = [value for _, value in points if value is not None]
        if not values:
            text.append("\nno datapoints in this window yet", axis)
            return text
        first = max(0, self.cursor - width + 1)
        shown = points[first : first + max(width, 1)]
        top = max(*values, self.threshold or 0.0) or 1.0
        rows = max(height - 3, 1)
        threshold_row = None if self.threshold is None else max(1, round(self.threshold / top * rows))
        scale = f"max {_number(top)}"
        if self.threshold is not None:
            scale += f"  ── threshold {_number(self.threshold)}"
        text.append("\n" + scale[:width], axis)
        for level in range(rows, 0, -1):
            text.append("\n")
            self._append_row(text, shown, first, level, rows, top, threshold_row)
        text.append("\n")
        text.append(self._cursor_line(shown[0][0], shown[-1][0])[:width], axis)
        return text

    def _append_row(
        self,
        text: Text,
        shown: list[Point],
        first: int,
        level: int,
        rows: int,
        top: float,
        threshold_row: int | None,
    ) -> None:
        bar = self.get_component_rich_style("metric-chart--bar")
        cursor = self.get_component_rich_style("metric-chart--cursor")
        line = self.get_component_rich_style("metric-chart--threshold")
        for index, (_, value) in enumerate(shown, start=first):
            eighths = 0 if value is None else max(0, min(8, round(value / top * rows * 8) - (level - 1) * 8))
            if index == self.cursor:
                text.append(EIGHTHS[eighths] if eighths else "┊", cursor)
            elif eighths == 0 and level == threshold_row:
                text.append("─", line)
            else:
                text.append(EIGHTHS[eighths] if eighths else " ", bar)

    def _cursor_line(self, first_ms: int, last_ms: int) -> str:
        point = self.point_under_cursor()
        span = f"{clock_text(first_ms, self.zone, date=False)}…{clock_text(last_ms, self.zone, date=False)}"
        if point is None:
            return span
        value = "no data" if point[1] is None else _number(point[1])
        return f"▲ {clock_text(point[0], self.zone)} {value}  ({span}, ←/→, l: view logs)"


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.3g}"
