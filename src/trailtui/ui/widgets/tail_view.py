"""The tail's lines: a ScrollView drawing only the visible lines, with a cursor and a cap on lines kept.

Each line is escaped event text in fixed columns (time, account, region, eventName, principal, source IP,
error, user agent). The view follows the newest line until the cursor moves up, and again after `end`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from trailtui.ui.actions import bindings
from trailtui.ui.result_rows import TimeZoneName
from trailtui.ui.safe import event_plain
from trailtui.ui.tail_lines import TailLine
from trailtui.ui.time_input import clock_text

MAX_SHOWN_LINES = 5_000
"""Lines the view keeps; older ones drop off the top."""
COLUMNS: tuple[tuple[str, int], ...] = (
    ("time", 19),
    ("account", 12),
    ("region", 14),
    ("eventName", 26),
    ("principal", 44),
    ("source IP", 15),
    ("error", 22),
    ("userAgent", 60),
)
LINE_WIDTH = sum(width + 1 for _, width in COLUMNS)


class TailView(ScrollView, can_focus=True):
    """Tailed events, newest at the bottom; enter asks for the event under the cursor."""

    BINDINGS: ClassVar = bindings("tail-view")
    DEFAULT_CSS = """
    TailView { height: 1fr; }
    TailView > .tail-view--header { color: $text-muted; text-style: bold; }
    TailView > .tail-view--cursor { background: $accent 40%; }
    TailView:focus > .tail-view--cursor { background: $accent; color: $background; }
    TailView > .tail-view--error { color: $error; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tail-view--header",
        "tail-view--cursor",
        "tail-view--error",
    }

    class EventRequested(Message):
        """The user asked to open the event of a line."""

        def __init__(self, line: TailLine) -> None:
            super().__init__()
            self.line = line

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: deque[TailLine] = deque(maxlen=MAX_SHOWN_LINES)
        self.cursor = -1
        """Index of the line under the cursor in `lines`; -1 when there are none."""
        self.following = True
        """Whether the cursor stays on the newest line as lines arrive."""
        self.zone: TimeZoneName = "utc"

    # Content.

    def replace_lines(self, lines: Iterable[TailLine]) -> None:
        """Show `lines` (the newest `MAX_SHOWN_LINES`), following the newest."""
        self.lines = deque(lines, maxlen=MAX_SHOWN_LINES)
        self.following = True
        self._after_change(0)

    def add_lines(self, lines: list[TailLine]) -> None:
        """Append `lines`; the oldest drop off once the cap is reached."""
        if not lines:
            return
        dropped = max(0, len(self.lines) + len(lines) - MAX_SHOWN_LINES)
        self.lines.extend(lines)
        self._after_change(dropped)

    def show_zone(self, zone: TimeZoneName) -> None:
        self.zone = zone
        self.refresh()

    def _after_change(self, dropped: int) -> None:
        count = len(self.lines)
        if self.following or self.cursor < 0:
            self.cursor = count - 1
        else:
            self.cursor = max(0, self.cursor - dropped)
        self.virtual_size = Size(LINE_WIDTH, count + 1)
        if self.following:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        self.refresh()

    def line_under_cursor(self) -> TailLine | None:
        return self.lines[self.cursor] if 0 <= self.cursor < len(self.lines) else None

    # Drawing.

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            header = "".join(f"{name:<{size}} " for name, size in COLUMNS)
            text = Text(
                header, style=self.get_component_rich_style("tail-view--header"), no_wrap=True, end=""
            )
        else:
            index = scroll_y + y - 1
            if index >= len(self.lines):
                return Strip.blank(width, self.rich_style)
            text = self._line_text(self.lines[index])
            if index == self.cursor:
                text.stylize(self.get_component_rich_style("tail-view--cursor"))
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, self.rich_style)
        return strip.apply_style(self.rich_style)

    def _line_text(self, line: TailLine) -> Text:
        cells = (
            clock_text(line.timestamp_ms, self.zone),
            line.account,
            line.region,
            line.event_name,
            line.principal,
            line.source_ip,
            line.error,
            line.user_agent,
        )
        text = Text(no_wrap=True, end="")
        error_style = self.get_component_rich_style("tail-view--error")
        for (name, size), value in zip(COLUMNS, cells, strict=True):
            shown = event_plain(value) if value else ""
            if len(shown) > size:
                shown = shown[: size - 1] + "…"
            text.append(f"{shown:<{size}} ", error_style if name == "error" else "")
        return text

    # Moving.

    def _move_to(self, index: int) -> None:
        if not self.lines:
            return
        self.cursor = max(0, min(index, len(self.lines) - 1))
        self.following = self.cursor == len(self.lines) - 1
        top, height = self.scroll_offset.y, self.scrollable_content_region.height - 1
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)
        self.refresh()

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1)

    def action_page_up(self) -> None:
        self._move_to(self.cursor - max(1, self.scrollable_content_region.height - 2))

    def action_page_down(self) -> None:
        self._move_to(self.cursor + max(1, self.scrollable_content_region.height - 2))

    def action_first_line(self) -> None:
        self._move_to(0)

    def action_follow(self) -> None:
        self._move_to(len(self.lines) - 1)

    def action_open_event(self) -> None:
        line = self.line_under_cursor()
        if line is None:
            self.notify("No event here yet", severity="warning")
            return
        self.post_message(self.EventRequested(line))
