"""A small box asking where to move the replay: ISO 8601, epoch seconds, or relative (-15m, +1h)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from trailtui.ui.safe import event_text
from trailtui.ui.time_input import MomentError, parse_moment


class SeekScreen(ModalScreen[int | None]):
    """Dismissed with the epoch ms to seek to, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, now_ms: int) -> None:
        super().__init__()
        self.now_ms = now_ms

    def compose(self) -> ComposeResult:
        with Vertical(id="seek") as frame:
            frame.border_title = "Seek the replay to"
            yield Input(placeholder="2024-03-01T10:00:00Z, 1709287200, -15m, +1h", id="seek-time")
            yield Static(id="seek-error")

    def on_mount(self) -> None:
        self.query_one("#seek-error", Static).display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        try:
            moment = parse_moment(event.value, self.now_ms)
        except MomentError as error:
            problem = self.query_one("#seek-error", Static)
            problem.update(event_text(str(error)))
            problem.display = True
            return
        self.dismiss(moment)

    def action_close(self) -> None:
        self.dismiss(None)
