"""The tail: the replayed (or live) stream, one line per event, filtered with a filter pattern, pausable.

A worker reads the backend's tail session and posts what arrived at most every `FLUSH_S` seconds, so a
replay at full speed never floods the screen. The pane keeps the newest `MAX_KEPT_LINES` events and
filters them itself with the metric-filter pattern engine: a new pattern applies at once to what is kept,
and a paused tail keeps collecting while its view stands still. While the pane is not on screen (another
tab shown) the results are only kept as they came, and made into lines when it shows: at 10,000 events/s
making every line cost the console a good share of the time it needs to answer keys.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from trailtui.backends.base import Backend, BackendError, TailRequest
from trailtui.metrics.patterns import FilterPattern, PatternError
from trailtui.ui.actions import bindings
from trailtui.ui.messages import MonitorCallFailed, TailEnded, TailReceived
from trailtui.ui.result_rows import TimeZoneName
from trailtui.ui.safe import event_plain
from trailtui.ui.tail_lines import TailLine, tail_line
from trailtui.ui.widgets.tail_view import TailView

MAX_KEPT_LINES = 10_000
"""Events the pane keeps (before filtering); older ones are forgotten."""
FLUSH_S = 0.1


class TailPane(Vertical):
    """Filter box over the tail's lines; `p` pauses the view, `/` edits the filter."""

    BINDINGS: ClassVar = bindings("tail")

    def __init__(self, backend: Backend, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.backend = backend
        self.kept: deque[TailLine] = deque(maxlen=MAX_KEPT_LINES)
        self.unseen: deque[dict[str, Any]] = deque(maxlen=MAX_KEPT_LINES)
        """Results that arrived while the pane was not on screen, not yet made into lines."""
        self.on_screen = False
        """Between Textual's Show and Hide events for the pane."""
        self.pattern: FilterPattern | None = None
        self.paused = False
        self.arrived_while_paused = 0
        self.received = 0
        self.ended = False
        self.sampled = False

    def compose(self) -> ComposeResult:
        yield Input(placeholder='filter pattern, e.g. { $.errorCode = "AccessDenied*" }', id="tail-filter")
        yield Static(id="tail-filter-error")
        yield TailView(id="tail-view")

    def on_mount(self) -> None:
        self.border_title = "Tail"
        self._show_state()
        self.follow_tail()

    @work(exclusive=True, exit_on_error=False, group="tail")
    async def follow_tail(self) -> None:
        """Read the tail session; post what arrived every FLUSH_S seconds, then that it ended."""
        arrived: deque[dict[str, Any]] = deque(maxlen=MAX_KEPT_LINES)
        sampled = False
        last_post = time.monotonic()
        stream = aiter(self.backend.tail(TailRequest()))
        next_item: asyncio.Task[object] | None = None
        try:
            while True:
                if next_item is None:
                    next_item = asyncio.ensure_future(anext(stream))
                done, _ = await asyncio.wait({next_item}, timeout=FLUSH_S)
                if done:
                    item, next_item = next_item.result(), None
                    update = item.get("sessionUpdate") if isinstance(item, dict) else None
                    if update is not None:
                        sampled = sampled or bool(update.get("sessionMetadata", {}).get("sampled"))
                        arrived.extend(update.get("sessionResults", []))
                if arrived and (not done or time.monotonic() - last_post >= FLUSH_S):
                    self._flush(arrived, sampled)
                    last_post = time.monotonic()
        except StopAsyncIteration:
            self._flush(arrived, sampled)
            self.post_message(TailEnded())
        except BackendError as error:
            self.post_message(MonitorCallFailed("tail", str(error)))
        finally:
            if next_item is not None and not next_item.done():
                next_item.cancel()

    def _flush(self, arrived: deque[dict[str, Any]], sampled: bool) -> None:
        """Post what arrived as lines when the pane is on screen; else keep it to make lines of later."""
        if not arrived:
            return
        if self.on_screen and not self.unseen:
            self.post_message(TailReceived([tail_line(result) for result in arrived], sampled))
        else:
            self.unseen.extend(arrived)
            self.sampled = self.sampled or sampled
        arrived.clear()

    def on_show(self) -> None:
        self.on_screen = True
        self.show_unseen()

    def show_unseen(self) -> None:
        """Make lines of what arrived while the pane was not on screen. The screen calls this as it
        switches to the tail's tab, so the lines are there in the first frame that shows it."""
        if self.unseen:
            lines = [tail_line(result) for result in self.unseen]
            self.unseen.clear()
            self.tail_received(TailReceived(lines, self.sampled))

    def on_hide(self) -> None:
        self.on_screen = False

    @on(TailReceived)
    def tail_received(self, message: TailReceived) -> None:
        self.received += len(message.lines)
        self.sampled = self.sampled or message.sampled
        self.kept.extend(message.lines)
        if self.paused:
            self.arrived_while_paused += len(message.lines)
        else:
            self.query_one(TailView).add_lines([line for line in message.lines if self._shown(line)])
        self._show_state()

    @on(TailEnded)
    def tail_ended(self) -> None:
        self.ended = True
        self._show_state()

    def _shown(self, line: TailLine) -> bool:
        return self.pattern is None or self.pattern.matches_message(line.message)

    def _refill(self) -> None:
        self.query_one(TailView).replace_lines(line for line in self.kept if self._shown(line))

    def _show_state(self) -> None:
        view = self.query_one(TailView)
        parts = [f"{len(view.lines):,} shown of {self.received:,}"]
        if self.pattern is not None:
            parts.append("filtered")
        if self.paused:
            parts.append(f"PAUSED, {self.arrived_while_paused:,} new")
        if self.sampled:
            parts.append("sampled")
        if self.ended:
            parts.append("replay ended")
        self.border_subtitle = " · ".join(parts)

    # Filter.

    @on(Input.Submitted, "#tail-filter")
    def filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply_filter(event.value)

    def apply_filter(self, text: str) -> None:
        """Show only the kept events `text` matches (all when empty); a malformed pattern is marked."""
        error = self.query_one("#tail-filter-error", Static)
        if not text.strip():
            pattern = None
        else:
            try:
                pattern = FilterPattern.parse(text)
            except PatternError as problem:
                error.update(_caret(problem.position, f"column {problem.position + 1}: {problem.reason}"))
                error.display = True
                self.query_one("#tail-filter", Input).cursor_position = problem.position
                return
        error.display = False
        self.pattern = pattern
        self._refill()
        self._show_state()
        self.query_one(TailView).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#tail-filter", Input).focus()

    # Pause.

    def action_toggle_tail(self) -> None:
        self.paused = not self.paused
        if not self.paused:
            self.arrived_while_paused = 0
            self._refill()
        self._show_state()

    def show_zone(self, zone: TimeZoneName) -> None:
        self.query_one(TailView).show_zone(zone)


def _caret(position: int, reason: str) -> Text:
    """A caret under the column of the input box where the pattern breaks, then the reason."""
    text = Text(" " * position + "^ ", style="bold", no_wrap=True, end="")
    text.append(event_plain(reason))
    return text
