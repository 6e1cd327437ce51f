"""One line above the status line: the replay's clock and speed, events per second, records skipped and
alarms in ALARM. A live account shows `live` instead of the replay's clock, then the connection's health
(throttling, retries, the last failure) and the backend's latest notice (which log group, and why)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from trailtui.backends.base import ReplayStatus
from trailtui.ui.result_rows import TimeZoneName
from trailtui.ui.safe import event_text
from trailtui.ui.time_input import clock_text

ZONE_LABELS: dict[TimeZoneName, str] = {"utc": "UTC", "local": "local"}


class ReplayLine(Widget):
    """What the status timer last read."""

    DEFAULT_CSS = """
    ReplayLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    ReplayLine > .replay-line--state { color: $accent; text-style: bold; }
    ReplayLine > .replay-line--alarm { color: $error; text-style: bold reverse; }
    ReplayLine > .replay-line--warning { color: $warning; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "replay-line--state",
        "replay-line--alarm",
        "replay-line--warning",
    }

    status: reactive[ReplayStatus | None] = reactive(None)
    """The replay's last status; None for a live account (or before the first read)."""
    live: reactive[bool] = reactive(False)
    """True when the backend is a live account (no replay)."""
    alarms_in_alarm: reactive[int] = reactive(0)
    """Alarms whose state is ALARM."""
    alarms_known: reactive[bool] = reactive(True)
    """False when the last read of the alarms failed."""
    health: reactive[str] = reactive("")
    """A live account's connection health (Health.summary()); empty when all is well."""
    notice: reactive[str] = reactive("")
    """A live backend's latest notice."""
    records_skipped: reactive[int] = reactive(0)
    """Records the inputs could not read."""
    zone: reactive[TimeZoneName] = reactive("utc")

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        state_style = self.get_component_rich_style("replay-line--state")
        status = self.status
        warning = self.get_component_rich_style("replay-line--warning")
        if self.live:
            text.append("live", state_style)
            if self.health:
                text.append(" │ ")
                text.append_text(event_text(self.health, warning))
        elif status is None:
            text.append("replay not started", state_style)
        else:
            state = "finished" if status.finished else "paused" if status.paused else "replaying"
            text.append(state, state_style)
            clock = "--" if status.clock_ms is None else clock_text(status.clock_ms, self.zone)
            text.append(f" {clock} {ZONE_LABELS[self.zone]}")
        text.append(" │ ")
        if not self.alarms_known:
            text.append("alarms unknown", warning)
        elif self.alarms_in_alarm:
            alarm_style = self.get_component_rich_style("replay-line--alarm")
            text.append(f" {self.alarms_in_alarm} in ALARM ", alarm_style)
        else:
            text.append("0 in ALARM")
        if status is not None and not self.live:
            text.append(f" │ {_speed(status.speed)}")
            if not status.finished and not status.paused:
                text.append(f" │ {status.events_per_s:,.0f} ev/s")
        if self.records_skipped:
            text.append(" │ ")
            text.append(f"{self.records_skipped:,} skipped", warning)
        if status is not None and not self.live:
            text.append(f" │ {status.events_delivered:,} events")
        if self.live and self.notice:
            text.append(" │ ")
            text.append_text(event_text(self.notice))
        return text


def _speed(speed: float | None) -> str:
    if speed is None:
        return "max speed"
    return f"{speed:g}x speed"
