"""The one way event text reaches a widget: as `rich.text.Text` of escaped, plain characters.

Widgets that take a `str` (Label, Static, DataTable cells, Tree labels, notifications) parse it as
markup, and Rich passes ESC through to the terminal. Every string that came from an event goes through
`event_text()` (for widgets) or `event_plain()` (for notifications, which are sent with markup off), so
`[/]` stays literal and no control sequence reaches the terminal. Copies keep the original text.

A value longer than `MAX_SHOWN_CHARACTERS` (a 1 MB user agent) is shown cut, with how much was left out:
measuring and drawing megabytes in one cell would stall every pane that holds it.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from trailtui.terminal_safe import visible

MISSING = "-"
"""How a field absent from a result row is shown."""

MAX_SHOWN_CHARACTERS = 4096
"""The most characters of one value a widget shows; the rest is counted (the copy keeps it all)."""


def event_plain(value: str | None) -> str:
    """Event text with every control, bidi and invisible character escaped; no markup meaning."""
    if value is None:
        return MISSING
    if len(value) <= MAX_SHOWN_CHARACTERS:
        return visible(value)
    left_out = len(value) - MAX_SHOWN_CHARACTERS
    return f"{visible(value[:MAX_SHOWN_CHARACTERS])}… (+{left_out:,} characters)"


def event_text(value: str | None, style: str | Style = "") -> Text:
    """Event text as a `Text` widgets show literally: escaped, never parsed as markup."""
    return Text(event_plain(value), style=style, no_wrap=True, end="")
