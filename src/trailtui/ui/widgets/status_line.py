"""One line at the bottom: where the data comes from, the query's state, statistics and time, what the
inputs skipped, and the zone times are shown in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from trailtui.backends.base import ScanProgress
from trailtui.ui.safe import event_text

PROGRESS_WIDTH = 10


@dataclass(frozen=True, slots=True)
class QueryState:
    """What the status line says about the last query."""

    status: str = "Ready"
    records_matched: float = 0.0
    records_scanned: float = 0.0
    bytes_scanned: float = 0.0
    elapsed_s: float = 0.0
    progress: ScanProgress | None = None
    records_passed_over: float = 0.0
    """estimatedRecordsSkipped: records in files (or, live, events) the query proved it need not read."""


class StatusLine(Widget):
    """Backend, query state, statistics, skipped records, time zone; the backend's name gets the room the
    rest leaves (a live account's names its account, Region and log groups)."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    StatusLine > .status-line--state { color: $accent; text-style: bold; }
    StatusLine > .status-line--warning { color: $warning; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"status-line--state", "status-line--warning"}

    backend: reactive[str] = reactive("")
    """The backend's description (`local: 3 paths`)."""
    query_state: reactive[QueryState] = reactive(QueryState)
    """The last query's state and statistics."""
    records_skipped: reactive[int] = reactive(0)
    """Records the inputs could not read (InputReport.records_skipped)."""
    zone: reactive[str] = reactive("UTC")
    """The zone times are shown in."""

    def render(self) -> Text:
        state = self.query_state
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(state.status, self.get_component_rich_style("status-line--state"))
        text.append(_progress(state))
        if state.records_scanned:
            text.append(
                f" │ {state.records_matched:,.0f} matched of {state.records_scanned:,.0f}"
                f" ({_bytes(state.bytes_scanned)})"
            )
        if state.records_passed_over:
            text.append(f", ~{state.records_passed_over:,.0f} passed over")
        if state.elapsed_s:
            text.append(f" │ {state.elapsed_s:.1f} s")
        if self.records_skipped:
            style = self.get_component_rich_style("status-line--warning")
            text.append(f" │ {self.records_skipped:,} records skipped", style)
        text.append(f" │ {self.zone}")
        room = max(self.size.width - 5 - len(text), self.size.width // 3, 12)
        backend = self.backend if len(self.backend) <= room else self.backend[: max(room - 1, 0)] + "…"
        line = event_text(backend)
        line.no_wrap, line.overflow = True, "ellipsis"
        line.append(" │ ")
        line.append_text(text)
        return line


def _progress(state: QueryState) -> str:
    progress = state.progress
    if state.status != "Running" or progress is None:
        return ""
    fraction = progress.fraction
    bar = ""
    if fraction is not None:
        filled = round(fraction * PROGRESS_WIDTH)
        bar = f" {'█' * filled}{'░' * (PROGRESS_WIDTH - filled)} {fraction:.0%}"
    return f"{bar} {progress.events_read:,} events read"


def _bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} TB"
