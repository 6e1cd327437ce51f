"""Acting on what the user typed only once every key typed before has been handled.

The app checks priority bindings (F5, ctrl+r, ctrl+s in a modal) as soon as a key arrives, but forwards
other keys to the focused widget's own message queue. Over SSH or tmux a burst of keys and ctrl+r arrive
together, so the action can run while typed keys still wait in that queue, and would read a truncated
query or name. `after_pending_keys` posts a message to the focused widget, behind those keys; when it has
bubbled up to the app, the keys are in the text, and the app runs the callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.screen import Screen


class AfterPendingKeys(Message):
    """Queued behind the keys the focused widget has not handled yet; the app runs `callback`."""

    def __init__(self, callback: Callable[[], object]) -> None:
        super().__init__()
        self.callback = callback


def after_pending_keys(screen: Screen[Any], callback: Callable[[], object]) -> None:
    """Run `callback` once the keys already sent to the screen's focused widget have been handled."""
    (screen.focused or screen).post_message(AfterPendingKeys(callback))
