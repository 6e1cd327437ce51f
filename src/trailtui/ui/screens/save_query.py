"""Asks for the name to save the editor's query under."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input


class SaveQueryScreen(ModalScreen[str | None]):
    """Enter saves under the name typed (replacing a query of that name); escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="save-query") as frame:
            frame.border_title = "Save query as"
            yield Input(placeholder="name", id="save-name")

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if name:
            self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
