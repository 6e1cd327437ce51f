"""The Logs Insights query editor: a TextArea with the language's highlighting, completion of commands,
functions and discovered field names, and the place of a malformed query's error underlined (runs read
the text only once the keys typed before them are in it: see `trailtui.ui.pending_keys`)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from trailtui.ui.actions import bindings
from trailtui.ui.query_syntax import Highlight, completions, highlight_lines, location_of, word_before

DEFAULT_QUERY = (
    "fields @timestamp, eventName, userIdentity.arn, sourceIPAddress, errorCode\n"
    "| sort @timestamp desc\n"
    "| limit 100"
)
"""What the editor holds when the console starts without a query: the latest events, newest first."""


class QueryEditor(TextArea):
    """Multi-line query text; tab leaves the editor, so the keyboard can always reach the other panes."""

    BINDINGS: ClassVar = bindings("editor")
    HIGHLIGHT_CLASSES = (
        "command",
        "function",
        "keyword",
        "field",
        "system-field",
        "string",
        "regex",
        "number",
        "operator",
        "comment",
        "error",
    )
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"query-editor--{name}" for name in HIGHLIGHT_CLASSES}
    DEFAULT_CSS = """
    QueryEditor {
        & .query-editor--command { color: $accent; text-style: bold; }
        & .query-editor--function { color: $primary; }
        & .query-editor--keyword { color: $secondary; text-style: bold; }
        & .query-editor--field { color: $foreground; }
        & .query-editor--system-field { color: $primary; text-style: italic; }
        & .query-editor--string { color: $success; }
        & .query-editor--regex { color: $warning; }
        & .query-editor--number { color: $warning; }
        & .query-editor--operator { color: $text-muted; }
        & .query-editor--comment { color: $text-muted; text-style: italic; }
        & .query-editor--error { color: $error; text-style: bold underline; }
    }
    """

    class CompletionsOffered(Message):
        """More than one word completes the name at the cursor; the screen lets the user pick one."""

        def __init__(self, editor: QueryEditor, prefix: str, words: list[str]) -> None:
            super().__init__()
            self.editor = editor
            self.prefix = prefix
            self.words = words

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(text, id=id, soft_wrap=True, show_line_numbers=True, tab_behavior="focus")
        self.known_fields: set[str] = set()
        """Field names seen in results and events, offered by completion."""
        self._error: tuple[str, int, int] | None = None
        self._syntax: tuple[str, dict[int, list[Highlight]]] = ("", {})

    def mark_error(self, start_offset: int, end_offset: int) -> None:
        """Underline [start, end) of the current text (at least one character) and put the cursor at its
        start, selecting nothing: keys typed next are inserted, never replace the marked text."""
        text = self.text
        start = min(start_offset, len(text))
        end = max(min(end_offset, len(text)), start + 1)
        self._error = (text, start, end)
        self.selection = Selection.cursor(location_of(text, start))
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        text = self.document.text
        if self._syntax[0] != text:
            self._syntax = (text, highlight_lines(text))
        for start, end, name in self._syntax[1].get(line_index, []):
            line.stylize(self.get_component_rich_style(f"query-editor--{name}", partial=True), start, end)
        if self._error is not None and self._error[0] == text:
            self._mark_error_on(line, line_index)
        return line

    def _mark_error_on(self, line: Text, line_index: int) -> None:
        assert self._error is not None
        text, start, end = self._error
        start_row, start_column = location_of(text, start)
        end_row, end_column = location_of(text, end)
        if start_row <= line_index <= end_row:
            first = start_column if line_index == start_row else 0
            last = end_column if line_index == end_row else len(line)
            line.stylize(
                self.get_component_rich_style("query-editor--error", partial=True),
                first,
                max(last, first + 1),
            )

    def action_complete(self) -> None:
        row, column = self.cursor_location
        prefix = word_before(self.document.get_line(row), column)
        words = completions(prefix, self.known_fields)
        if not words:
            self.app.bell()
        elif len(words) == 1:
            self.insert_completion(prefix, words[0])
        else:
            self.post_message(self.CompletionsOffered(self, prefix, words))

    def insert_completion(self, prefix: str, word: str) -> None:
        """Replace `prefix` just left of the cursor with `word`."""
        row, column = self.cursor_location
        self.replace(word, (row, column - len(prefix)), (row, column))
