"""The words that could complete the name at the editor's cursor; enter picks one, escape closes."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList


class CompletionList(OptionList):
    """Shown under the editor while the user picks a completion."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", show=False)]

    class Chosen(Message):
        """A word was picked to replace `prefix`."""

        def __init__(self, prefix: str, word: str) -> None:
            super().__init__()
            self.prefix = prefix
            self.word = word

    class Closed(Message):
        """The list was closed without a choice."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.prefix = ""

    def offer(self, prefix: str, words: list[str]) -> None:
        """Show `words` as completions of `prefix`, and take the focus."""
        self.prefix = prefix
        self.set_options(words)
        self.highlighted = 0
        self.display = True
        self.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Chosen(self.prefix, str(event.option.prompt)))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
