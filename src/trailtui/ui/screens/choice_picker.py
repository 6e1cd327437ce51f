"""A list of named things to choose one from (a pack's metric filters, ...); each with a line of detail."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from trailtui.ui.safe import event_plain


class ChoicePicker(ModalScreen[int | None]):
    """Dismissed with the index of the choice, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="picker") as frame:
            frame.border_title = self.title_text
            yield OptionList(*(Option(_prompt(*choice), id=str(i)) for i, choice in enumerate(self.choices)))

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_close(self) -> None:
        self.dismiss(None)


def _prompt(name: str, detail: str) -> Text:
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append(event_plain(name) + "\n", "bold")
    prompt.append(event_plain(detail), "dim")
    return prompt
