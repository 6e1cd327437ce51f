"""Copying: through the terminal (OSC 52, which reaches the user's machine over SSH and tmux), and also to
a local clipboard where one is known to exist (a desktop session, not an SSH login).

A terminal takes an OSC 52 sequence only up to a size, and drops a longer one whole without a word. The
limit that matters here is tmux's: the string of one escape sequence (after `ESC ]`) may hold at most
1,048,575 bytes. input.c collects it in a buffer of at most 1 MiB (`INPUT_BUF_LIMIT` in tmux 3.3a; in
newer releases the `input-buffer-size` server option, whose default and least value is that 1 MiB) and,
past it, discards the sequence. With base64's 4/3 that is 786,426 bytes of text, measured on tmux 3.3a:
one byte more and the paste buffer stays as it was. Other terminals take as much (xterm; kitty up to its
`clipboard_max_size`) or less (hterm/Secure Shell 100,000 bytes of sequence, GNU screen 768, Tabby about
1 KB, Termux about 6 KB), and none says when it dropped one. A text over tmux's limit is therefore not
sent at all: it goes to the local clipboard where there is one, and always to a private file under the
XDG data folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pyperclip
from textual.app import App

from trailtui.terminal_safe import visible
from trailtui.ui.xdg import data_dir, write_atomically

TMUX_SEQUENCE_LIMIT = 1_048_575
"""The most bytes tmux collects for the string of one escape sequence (after `ESC ]`, before BEL)."""
OSC52_HEAD = "52;c;"
"""What Textual writes after `ESC ]`, before the base64 text."""
TERMINAL_CLIPBOARD_MAX_BYTES = (TMUX_SEQUENCE_LIMIT - len(OSC52_HEAD)) // 4 * 3
"""786,426: the longest UTF-8 text whose OSC 52 sequence tmux takes."""
COPIED_FOLDER = "copied"
FILE_STEM_CHARACTERS = 64
NO_LOCAL_TOOL = "no local clipboard tool"
_NOT_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9-]")

Severity = Literal["information", "warning", "error"]


def local_clipboard_available() -> bool:
    """A desktop clipboard on this machine that is the user's own: not over SSH, not headless."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def utf8_size(text: str) -> int:
    """How many bytes `text` takes in UTF-8."""
    return len(text.encode("utf-8", "surrogatepass"))


def fits_terminal_clipboard(text: str) -> bool:
    """Whether `text`, sent as OSC 52, stays within what tmux takes."""
    return utf8_size(text) <= TERMINAL_CLIPBOARD_MAX_BYTES


def copy_text(app: App[object], text: str) -> str:
    """Copy `text` exactly, for a text that `fits_terminal_clipboard`; returns how, for the notification
    (`via the terminal (OSC 52)`)."""
    app.copy_to_clipboard(text)
    local = _copy_locally(text)
    return "via the terminal (OSC 52)" if local is None else f"via the terminal (OSC 52); {local}"


def _copy_locally(text: str) -> str | None:
    """Put `text` on the local clipboard; what happened, or None when this machine has none."""
    if not local_clipboard_available():
        return None
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException:
        return NO_LOCAL_TOOL
    return "also copied to the local clipboard"


@dataclass(frozen=True, slots=True)
class Notice:
    """One line for the user and how loud it is."""

    text: str
    severity: Severity = "information"


def save_instead(text: str, what: str, file_name: str) -> Notice:
    """For a text too big for the terminal's clipboard: the local clipboard where there is one, and
    always the exact text in `copied/<file_name>` under the data folder (mode 0600, written atomically).
    Blocks for the write: call it from a thread worker."""
    local = _copy_locally(text)
    outcomes = [] if local is None else [local]
    severity: Severity = "information"
    target = copied_dir() / file_name
    try:
        save_privately(target, text)
    except (OSError, UnicodeError) as error:
        outcomes.append(f"could not save it to {shown_path(target)}: {_reason(error)}")
        severity = "error" if local in (None, NO_LOCAL_TOOL) else "warning"
    else:
        outcomes.append(f"saved to {shown_path(target)}")
    limit = TERMINAL_CLIPBOARD_MAX_BYTES // 1024
    over = f"{what} is {-(-utf8_size(text) // 1024):,} KB, over the {limit:,} KB a terminal clipboard takes"
    return Notice("; ".join([over, *outcomes]), severity)


def copied_dir() -> Path:
    """`$XDG_DATA_HOME/trailtui/copied`: the copies too big for a terminal's clipboard."""
    return data_dir() / COPIED_FOLDER


def save_privately(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, readable by its owner only, in a folder only they can open."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomically(path, text)


def file_stem(name: object, fallback: str) -> str:
    """`name` reduced to `[A-Za-z0-9-]` for a file name (an event chose it), else a hash of `fallback`."""
    if isinstance(name, str):
        stem = _NOT_IN_FILE_NAMES.sub("", name)[:FILE_STEM_CHARACTERS]
        if stem.strip("-"):
            return stem
    return "h-" + hashlib.sha256(fallback.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def shown_path(path: Path) -> str:
    """A path for a notification: `~` for the home folder, control characters escaped."""
    home = Path.home()
    shown = f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)
    return visible(shown)


def _reason(error: Exception) -> str:
    return visible(error.strerror if isinstance(error, OSError) and error.strerror else str(error))
