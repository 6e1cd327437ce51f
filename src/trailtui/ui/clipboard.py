"""Copying: always through the terminal (OSC 52, which reaches the user's machine over SSH and tmux), and
also to a local clipboard where one is known to exist (a desktop session, not an SSH login)."""

from __future__ import annotations

import os
import sys

import pyperclip
from textual.app import App


def local_clipboard_available() -> bool:
    """A desktop clipboard on this machine that is the user's own: not over SSH, not headless."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def copy_text(app: App[object], text: str) -> str:
    """Copy `text` exactly; returns how, for the notification (`via the terminal (OSC 52)`)."""
    app.copy_to_clipboard(text)
    if local_clipboard_available():
        try:
            pyperclip.copy(text)
        except pyperclip.PyperclipException:
            return "via the terminal (OSC 52); no local clipboard tool"
        return "via the terminal (OSC 52) and the local clipboard"
    return "via the terminal (OSC 52)"
