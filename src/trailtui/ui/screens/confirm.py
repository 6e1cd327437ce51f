"""Asks before a write to an AWS account, naming exactly what would be written and where."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from trailtui.ui.actions import bindings
from trailtui.ui.safe import event_text
from trailtui.ui.writes import PlannedWrite


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with True only on `y` (or the Write button); `n`, escape or Cancel write nothing.
    Cancel has the focus, so an enter typed ahead never writes."""

    BINDINGS: ClassVar = bindings("confirm")

    def __init__(self, write: PlannedWrite, where: str) -> None:
        super().__init__()
        self.write = write
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm") as frame:
            frame.border_title = "Write to the account?"
            message = Text()
            message.append(self.write.api, "bold")
            message.append(f" would create or replace the {self.write.what} ")
            message.append_text(event_text(self.write.name, "bold"))
            message.append("\nin ")
            message.append_text(event_text(self.where))
            message.append(".\nNothing is written unless you confirm.")
            yield Static(message, id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                yield Button("Write (y)", variant="error", id="confirm-yes")
                yield Button("Cancel (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)
