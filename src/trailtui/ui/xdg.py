"""Where trailtui keeps the user's files: the XDG config folder (config.toml, saved queries, themes) and
the XDG data folder (query history), each written atomically and set aside when unreadable."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from trailtui.terminal_safe import visible

APP_FOLDER = "trailtui"


def config_dir() -> Path:
    """`$XDG_CONFIG_HOME/trailtui`, by default `~/.config/trailtui`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP_FOLDER


def data_dir() -> Path:
    """`$XDG_DATA_HOME/trailtui`, by default `~/.local/share/trailtui`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_FOLDER


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: a temporary file beside it, flushed, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


SET_ASIDE_TRIES = 1000
"""How many names `set_aside` tries in one second before it gives up."""


@dataclass(frozen=True, slots=True)
class SetAside:
    """What became of an unreadable file: renamed to `aside`, or left in place for `reason`."""

    path: Path
    aside: Path | None
    reason: str = ""

    @property
    def report(self) -> str:
        """One line for the user, with the path's control characters escaped."""
        shown = visible(str(self.path))
        if self.aside is None:
            return f"corrupt file {shown} could not be set aside: {visible(self.reason)}"
        return f"corrupt file {shown} set aside as {visible(self.aside.name)}"


def set_aside(path: Path) -> SetAside:
    """Rename an unreadable file to `NAME.corrupt-<epoch>[-N]` so it is kept for the user but not read
    again. Names are claimed by exclusive creation, so no two set-asides share one; a rename that fails
    (read-only folder, file gone) is returned as the reason, never raised."""
    try:
        aside = _claim_aside_name(path)
    except OSError as error:
        return SetAside(path, None, _reason(error))
    try:
        os.replace(path, aside)
    except OSError as error:
        with contextlib.suppress(OSError):
            aside.unlink()
        return SetAside(path, None, _reason(error))
    return SetAside(path, aside)


def _claim_aside_name(path: Path) -> Path:
    """A new empty file beside `path` whose name no other set-aside holds."""
    stem = f"{path.name}.corrupt-{int(time.time())}"
    for number in range(1, SET_ASIDE_TRIES + 1):
        candidate = path.with_name(stem if number == 1 else f"{stem}-{number}")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(errno.EEXIST, f"{SET_ASIDE_TRIES} names {stem}-N already taken")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
