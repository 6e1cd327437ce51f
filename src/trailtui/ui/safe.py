"""The one way event text reaches a widget: as `rich.text.Text` of escaped, plain characters.

Widgets that take a `str` (Label, Static, DataTable cells, Tree labels, notifications) parse it as
markup, and Rich passes ESC through to the terminal. Every string that came from an event goes through
`event_text()` (for widgets) or `event_plain()` (for notifications, which are sent with markup off), so
`[/]` stays literal and no control sequence reaches the terminal. Copies keep the original text.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from trailtui.terminal_safe import visible

MISSING = "-"
"""How a field absent from a result row is shown."""


def event_plain(value: str | None) -> str:
    """Event text with every control, bidi and invisible character escaped; no markup meaning."""
    return MISSING if value is None else visible(value)


def event_text(value: str | None, style: str | Style = "") -> Text:
    """Event text as a `Text` widgets show literally: escaped, never parsed as markup."""
    return Text(event_plain(value), style=style, no_wrap=True, end="")
