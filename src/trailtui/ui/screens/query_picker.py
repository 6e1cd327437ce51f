"""A list of queries to put in the editor: the samples, the history or the saved queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from trailtui.ui.query_store import StoredQuery
from trailtui.ui.safe import event_plain


class QueryPicker(ModalScreen[StoredQuery | None]):
    """Enter puts the highlighted query in the editor; escape leaves the editor as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_picker", "Close")]

    def __init__(self, title: str, queries: Sequence[StoredQuery]) -> None:
        super().__init__()
        self.title_text = title
        self.queries = list(queries)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker") as frame:
            frame.border_title = self.title_text
            options = [Option(_prompt(query), id=str(index)) for index, query in enumerate(self.queries)]
            yield OptionList(*options or [Option("(none yet)", disabled=True)], id="picker-options")

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.queries[int(event.option.id or 0)])

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)


def _prompt(query: StoredQuery) -> Text:
    """The name (when there is one) over the query's first lines; the user's own text, shown literally."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    if query.name:
        prompt.append(event_plain(query.name) + "\n", "bold")
    lines = query.query.strip().splitlines()
    prompt.append(event_plain(" ".join(line.strip() for line in lines[:2])), "dim" if query.name else "")
    return prompt
