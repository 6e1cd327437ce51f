"""A list of the account's log groups (DescribeLogGroups) to read queries and the tail from."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from trailtui.ui.safe import event_text

if TYPE_CHECKING:
    from trailtui.backends.aws_log_groups import LogGroup


class LogGroupPicker(ModalScreen["LogGroup | None"]):
    """Enter reads the highlighted group from now on; escape keeps the groups as they are."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, groups: list[LogGroup], current: tuple[str, ...]) -> None:
        super().__init__()
        self.groups = groups
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker") as frame:
            frame.border_title = "Log groups (DescribeLogGroups)"
            options = [Option(self._prompt(group), id=str(index)) for index, group in enumerate(self.groups)]
            yield OptionList(
                *options or [Option("(no log groups in this Region)", disabled=True)], id="picker-options"
            )

    def on_mount(self) -> None:
        names = [group.name for group in self.groups]
        chosen = next((names.index(name) for name in self.current if name in names), None)
        if chosen is not None:
            self.query_one(OptionList).highlighted = chosen

    def _prompt(self, group: LogGroup) -> Text:
        prompt = event_text(group.name, "bold" if group.name in self.current else "")
        if group.name in self.current:
            prompt.append(" (reading now)", "dim")
        return prompt

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.groups[int(event.option.id or 0)])

    def action_close(self) -> None:
        self.dismiss(None)
