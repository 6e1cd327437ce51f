"""Where trailtui keeps the user's files: the XDG config folder (config.toml, saved queries, themes) and
the XDG data folder (query history), each written atomically and set aside when unreadable."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

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


def set_aside(path: Path) -> Path:
    """Rename an unreadable file to `NAME.corrupt-<epoch>` so it is kept for the user but not read again."""
    aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
    os.replace(path, aside)
    return aside
