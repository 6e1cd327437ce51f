"""The drill-down: one event, read with GetLogRecord by its @ptr (or given whole, for a tailed event), as a
foldable JSON tree.

`c` copies the event's exact JSON text (GetLogRecord's `@message`, byte for byte), `v` the value under the
cursor, `p` its field path; escape goes back to the results."""

from __future__ import annotations

from typing import ClassVar

import orjson
from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from trailtui.backends.base import Backend, BackendError
from trailtui.ui.actions import bindings
from trailtui.ui.clipboard import copy_text
from trailtui.ui.messages import EventLoaded, EventLoadFailed
from trailtui.ui.safe import event_plain, event_text
from trailtui.ui.widgets.event_tree import EventTree
from trailtui.ui.widgets.status_line import StatusLine

PATH_IN_NOTICE = 60
"""How much of a field path a notification quotes."""


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
        if self.message_text is None:
            return
        how = copy_text(self.app, self.message_text)
        size = len(self.message_text.encode())
        self.notify(f"Copied the event's JSON ({size:,} bytes) {how}", markup=False)

    def action_copy_value(self) -> None:
        field = self.query_one(EventTree).field_under_cursor()
        if field is None:
            return
        text = self.message_text if not field.path and self.message_text is not None else field.value_text()
        how = copy_text(self.app, text)
        self.notify(f"Copied the value of {_quoted(field.path or 'the event')} {how}", markup=False)

    def action_copy_path(self) -> None:
        field = self.query_one(EventTree).field_under_cursor()
        if field is None or not field.path:
            self.notify("The event itself has no field path", severity="warning")
            return
        how = copy_text(self.app, field.path)
        self.notify(f"Copied the path {_quoted(field.path)} {how}", markup=False)

    def action_back(self) -> None:
        self.dismiss(self.field_names)


def _quoted(path: str) -> str:
    shown = event_plain(path)
    return shown if len(shown) <= PATH_IN_NOTICE else shown[: PATH_IN_NOTICE - 1] + "…"
