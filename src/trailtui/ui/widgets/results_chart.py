"""A stats result drawn with block characters: columns over time for a `bin()` series, horizontal bars
for categories. Labels are event text, escaped like every other pane."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from trailtui.ui.result_rows import Series
from trailtui.ui.safe import event_plain

EIGHTHS = " ▁▂▃▄▅▆▇█"
HORIZONTAL_EIGHTHS = " ▏▎▍▌▋▊▉█"


class ResultsChart(Widget, can_focus=True):
    """The series of the last stats result, sized to the pane."""

    DEFAULT_CSS = """
    ResultsChart { height: 1fr; padding: 0 1; }
    ResultsChart > .results-chart--bar { color: $primary; }
    ResultsChart > .results-chart--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"results-chart--bar", "results-chart--axis"}

    series: reactive[Series | None] = reactive(None)
    """What is drawn; None draws nothing."""

    def render(self) -> Text:
        series = self.series
        if series is None or not series.points:
            return Text("")
        width, height = self.content_size
        if series.timed:
            return self._columns(series, width, height)
        return self._bars(series, width, height)

    def _columns(self, series: Series, width: int, height: int) -> Text:
        """One column per time bin (the latest bins when they outnumber the width)."""
        bar_style = self.get_component_rich_style("results-chart--bar")
        axis_style = self.get_component_rich_style("results-chart--axis")
        points = series.points[-max(width, 1) :]
        top = max(value for _, value in points) or 1.0
        rows = max(height - 2, 1)
        text = Text(f"{series.value_field}  max {_number(top)}\n", style=axis_style, no_wrap=True)
        for level in range(rows, 0, -1):
            for _, value in points:
                eighths = round(value / top * rows * 8) - (level - 1) * 8
                text.append(EIGHTHS[max(0, min(8, eighths))], bar_style)
            text.append("\n")
        first, last = event_plain(points[0][0]), event_plain(points[-1][0])
        text.append(f"{first} … {last}"[:width], axis_style)
        return text

    def _bars(self, series: Series, width: int, height: int) -> Text:
        """One bar per row, largest first, as many as fit."""
        bar_style = self.get_component_rich_style("results-chart--bar")
        points = sorted(series.points, key=lambda point: -point[1])[: max(height, 1)]
        labels = [event_plain(label)[:30] for label, _ in points]
        label_width = max(len(label) for label in labels)
        numbers = [_number(value) for _, value in points]
        bar_room = max(width - label_width - max(len(n) for n in numbers) - 3, 1)
        top = max(value for _, value in points) or 1.0
        text = Text(no_wrap=True)
        for label, number, (_, value) in zip(labels, numbers, points, strict=True):
            eighths = round(value / top * bar_room * 8)
            bar = "█" * (eighths // 8) + HORIZONTAL_EIGHTHS[eighths % 8].strip()
            text.append(f"{label:<{label_width}} ")
            text.append(bar, bar_style)
            text.append(f" {number}\n")
        text.rstrip()
        return text


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:.3g}"
