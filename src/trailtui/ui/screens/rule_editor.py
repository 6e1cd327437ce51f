"""A Contributor Insights rule as JSON in an editor; ctrl+s sends it to PutInsightRule, which validates it
(on a read-only live account, after the user confirms the write).

A refused rule stays open with the reason, and the cursor goes to the JSON location the reason names (the
path of the offending value, or the line and column of a syntax error)."""

from __future__ import annotations

import json
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from trailtui.backends.base import Backend, BackendError, InvalidDefinition
from trailtui.ui.json_locate import nearest_offset, value_offsets
from trailtui.ui.messages import RuleRejected, RuleSaved
from trailtui.ui.pending_keys import after_pending_keys
from trailtui.ui.query_syntax import location_of
from trailtui.ui.safe import event_text
from trailtui.ui.writes import PlannedWrite, confirm_write, permit_write


class RuleEditorScreen(ModalScreen[str | None]):
    """Edit a rule (or a new one, with an empty name); dismissed with the saved name, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "close", "Close"),
    ]

    def __init__(self, backend: Backend, name: str, definition: str) -> None:
        super().__init__()
        self.backend = backend
        self.rule_name = name
        self.definition = definition

    def compose(self) -> ComposeResult:
        with Vertical(id="rule-editor") as frame:
            frame.border_title = f"Rule {self.rule_name}" if self.rule_name else "New rule"
            frame.border_subtitle = "ctrl+s save · escape close"
            yield Input(self.rule_name, placeholder="rule name", id="rule-name")
            yield TextArea(self.definition, id="rule-json", show_line_numbers=True, tab_behavior="indent")
            yield Static(id="rule-error")

    def on_mount(self) -> None:
        self.query_one("#rule-error", Static).display = False
        target = "#rule-json" if self.rule_name else "#rule-name"
        self.query_one(target).focus()

    def action_save(self) -> None:
        """Save once the keys typed before ctrl+s are in the name and the JSON (see pending_keys)."""
        after_pending_keys(self, self._save)

    def _save(self) -> None:
        name = self.query_one("#rule-name", Input).value.strip()
        definition = self.query_one("#rule-json", TextArea).text
        write = PlannedWrite("PutInsightRule", "Contributor Insights rule", name)
        confirm_write(
            self.app, self.backend, write, lambda confirmed: self.put_rule(write, definition, confirmed)
        )

    def action_close(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, exit_on_error=False)
    async def put_rule(self, write: PlannedWrite, definition: str, confirmed: bool) -> None:
        name = write.name
        permit_write(self.backend, write, confirmed)
        try:
            await self.backend.put_insight_rule(name, definition)
        except BackendError as error:
            location = error.location if isinstance(error, InvalidDefinition) else None
            self.post_message(RuleRejected(str(error), _syntax_location(definition) or location))
            return
        self.post_message(RuleSaved(name))

    @on(RuleSaved)
    def rule_saved(self, message: RuleSaved) -> None:
        self.dismiss(message.name)

    @on(RuleRejected)
    def rule_rejected(self, message: RuleRejected) -> None:
        editor = self.query_one("#rule-json", TextArea)
        shown = message.reason
        if message.location is not None:
            shown = f"at {message.location}: {message.reason}"
            offset = _offset_of(editor.text, message.location)
            if offset is not None:
                editor.move_cursor(location_of(editor.text, offset))
        error = self.query_one("#rule-error", Static)
        error.update(event_text(shown))
        error.display = True
        editor.focus()


def _syntax_location(definition: str) -> str | None:
    """`line L, column C` of a JSON syntax error, None when the text is JSON."""
    try:
        json.loads(definition)
    except json.JSONDecodeError as error:
        return f"line {error.lineno}, column {error.colno}"
    return None


def _offset_of(text: str, location: str) -> int | None:
    if location.startswith("line "):
        line_text, column_text = location.removeprefix("line ").split(", column ")
        lines = text.split("\n")
        line = int(line_text) - 1
        return sum(len(row) + 1 for row in lines[:line]) + int(column_text) - 1
    return nearest_offset(location, value_offsets(text))
