"""Every action with the keys that run it (after the user's keymap), grouped by where it applies."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from trailtui.ui.actions import ACTIONS, SCOPE_TITLES, effective_keys
from trailtui.ui.config import config_path


class HelpScreen(ModalScreen[None]):
    """Keys and actions; escape, q or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f1", "close", "Close")]

    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as frame:
            frame.border_title = "Keys"
            yield Static(self._table())
            yield Static(
                f'Remap keys in {config_path()} under [keymap], e.g. "query.run" = "f5,ctrl+r". '
                "Every action is also in the command palette (ctrl+p).",
                markup=False,
                id="help-footnote",
            )

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("Where")
        table.add_column("Keys", style="bold")
        table.add_column("Action")
        table.add_column("Id", style="dim")
        for spec in ACTIONS:
            cells = (SCOPE_TITLES[spec.scope], effective_keys(spec, self.keymap), spec.help, spec.binding_id)
            table.add_row(*(Text(cell) for cell in cells))
        return table

    def action_close(self) -> None:
        self.dismiss()
