"""The drill-down: one event, read with GetLogRecord by its @ptr (or given whole, for a tailed event), as a
foldable JSON tree.

`c` copies the event's exact JSON text (GetLogRecord's `@message`, byte for byte), `v` the value under the
cursor, `p` its field path; escape goes back to the results. A copy too big for a terminal's clipboard is
saved to a file instead (see `trailtui.ui.clipboard`), in a thread, and the notification says where."""

from __future__ import annotations

from typing import ClassVar

import orjson
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from trailtui.backends.base import Backend, BackendError
from trailtui.ui.actions import bindings
from trailtui.ui.clipboard import copy_text, file_stem, fits_terminal_clipboard, save_instead, utf8_size
from trailtui.ui.messages import EventLoaded, EventLoadFailed
from trailtui.ui.safe import event_plain, event_text
from trailtui.ui.widgets.event_tree import EventTree
from trailtui.ui.widgets.status_line import StatusLine

PATH_IN_NOTICE = 60
"""How much of a field path a notification quotes."""
SAVED_NOTICE_S = 20.0
"""How long the notice of a copy saved to a file stays: it names the file."""
CLI_HINT = "`trailtui event` with its @ptr prints it too"


class EventScreen(Screen[list[str]]):
    """The event an @ptr points to; going back returns its field names, for completion."""

    BINDINGS: ClassVar = bindings("event")

    def __init__(self, backend: Backend, ptr: str, record: dict[str, str] | None = None) -> None:
        super().__init__()
        self.backend = backend
        self.ptr = ptr
        self.record = record
        """The log record when the caller has it already (a tailed event), else read by `ptr`."""
        self.message_text: str | None = None
        """The event's exact JSON text, once loaded."""
        self.field_names: list[str] = []
        self.file_stem = file_stem(None, ptr)
        """The name of this event's copies saved to a file: its eventID, made safe, else a hash of `ptr`."""

    def compose(self) -> ComposeResult:
        yield Static(event_text(f"Event {self.ptr}"), id="event-title")
        tree = EventTree(event_text("loading…"), id="event-tree")
        tree.border_title = "Event"
        yield tree
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StatusLine).backend = self.backend.description
        self.query_one(EventTree).focus()
        if self.record is None:
            self.load_event()
        else:
            self.post_message(EventLoaded(self.record))

    @work(exclusive=True, exit_on_error=False)
    async def load_event(self) -> None:
        try:
            record = await self.backend.get_log_record(self.ptr)
        except BackendError as error:
            self.post_message(EventLoadFailed(str(error)))
            return
        self.post_message(EventLoaded(record))

    @on(EventLoaded)
    def show_event(self, message: EventLoaded) -> None:
        self.message_text = message.record["@message"]
        self.field_names = [name for name in message.record if not name.startswith("@")]
        tree = self.query_one(EventTree)
        try:
            document = orjson.loads(self.message_text)
        except orjson.JSONDecodeError:
            document = {"@message": self.message_text}
        tree.show_event(document if isinstance(document, dict) else {"@message": document})
        if isinstance(document, dict):
            self.file_stem = file_stem(document.get("eventID"), self.ptr)
        title = (
            " ".join(event_plain(document.get(name)) for name in ("eventTime", "eventSource", "eventName"))
            if isinstance(document, dict)
            else self.ptr
        )
        self.query_one("#event-title", Static).update(event_text(title))

    @on(EventLoadFailed)
    def show_failure(self, message: EventLoadFailed) -> None:
        self.query_one(EventTree).root.set_label(event_text(f"Could not read the event: {message.reason}"))

    def action_copy_event(self) -> None:
        if self.message_text is not None:
            self._copy(self.message_text, "the event's JSON", f"{self.file_stem}.json", CLI_HINT)

    def action_copy_value(self) -> None:
        field = self.query_one(EventTree).field_under_cursor()
        if field is None:
            return
        what = f"the value of {_quoted(field.path or 'the event')}"
        if not field.path and self.message_text is not None:
            self._copy(self.message_text, what, f"{self.file_stem}.json", CLI_HINT)
            return
        suffix = "txt" if isinstance(field.value, str) else "json"
        name = f"{self.file_stem}.{file_stem(field.path.replace('.', '-'), field.path)}.{suffix}"
        self._copy(field.value_text(), what, name)

    def action_copy_path(self) -> None:
        field = self.query_one(EventTree).field_under_cursor()
        if field is None or not field.path:
            self.notify("The event itself has no field path", severity="warning")
            return
        name = f"{self.file_stem}.path-{file_stem(None, field.path)}.txt"
        self._copy(field.path, f"the path {_quoted(field.path)}", name)

    def _copy(self, text: str, what: str, file_name: str, hint: str = "") -> None:
        """Copy `text` through the terminal; one too big for a terminal's clipboard is saved instead."""
        if fits_terminal_clipboard(text):
            how = copy_text(self.app, text)
            self.notify(f"Copied {what} ({utf8_size(text):,} bytes) {how}", markup=False)
        else:
            self.save_copy(text, what[0].upper() + what[1:], file_name, hint)

    @work(thread=True, group="copy", exit_on_error=False)
    def save_copy(self, text: str, what: str, file_name: str, hint: str) -> None:
        notice = save_instead(text, what, file_name)
        line = f"{notice.text}; {hint}" if hint else notice.text
        self.app.notify(line, severity=notice.severity, timeout=SAVED_NOTICE_S, markup=False)

    def action_back(self) -> None:
        self.dismiss(self.field_names)


def _quoted(path: str) -> str:
    shown = event_plain(path)
    return shown if len(shown) <= PATH_IN_NOTICE else shown[: PATH_IN_NOTICE - 1] + "…"
