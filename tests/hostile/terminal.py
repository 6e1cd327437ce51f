"""A real terminal for hostile-input tests: a private tmux server (its own socket) with clipboard writes
on, so an OSC 52 from a program lands in tmux's paste buffer and an OSC 2 changes `#{pane_title}`."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping

import pytest

WAIT_S = 60.0
SENTINEL_TITLE = "trailtui-test-title"
EXIT_MARK = "[exit "


class Tmux:
    """One tmux server of our own with one window of a fixed size."""

    def __init__(self, width: int = 160, height: int = 48) -> None:
        assert shutil.which("tmux"), "tmux is needed for the real-terminal tests"
        self.socket = f"trailtui-hostile-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), "cat")
        self("set", "-g", "set-clipboard", "on")
        self("set", "-g", "history-limit", "50000")
        self("set", "-g", "remain-on-exit", "on")

    def __call__(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["tmux", "-L", self.socket, "-f", "/dev/null", *arguments]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=20)

    def close(self) -> None:
        self("kill-server", check=False)

    def reset(self) -> None:
        """A known pane title and an empty paste buffer list before the next program runs."""
        self("select-pane", "-t", "main", "-T", SENTINEL_TITLE)
        for _ in range(100):
            if self("delete-buffer", check=False).returncode != 0:
                break
        self("clear-history", "-t", "main")

    def run(self, command: str, environment: Mapping[str, str] = {}) -> None:
        """Run a shell command line in the pane; it prints `[exit N]` when it ends."""
        exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in environment.items())
        script = f'{command}; echo "{EXIT_MARK}$?]"'
        self(
            "respawn-pane",
            "-k",
            "-t",
            "main",
            f"env -u DISPLAY -u WAYLAND_DISPLAY -u COLUMNS -u LINES TERM=tmux-256color {exports} "
            f"sh -c {shlex.quote(script)}",
        )

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "main").stdout

    def scrollback(self) -> str:
        return self("capture-pane", "-p", "-J", "-S", "-", "-t", "main").stdout

    def title(self) -> str:
        return self("display-message", "-p", "-t", "main", "#{pane_title}").stdout.strip()

    def buffers(self) -> str:
        return self("list-buffers", check=False).stdout

    def paste_buffer(self) -> str | None:
        shown = self("show-buffer", check=False)
        return shown.stdout if shown.returncode == 0 else None

    def wait_for(self, condition: Callable[[], bool], what: str, timeout_s: float = WAIT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the screen shows:\n{self.screen()}")
            time.sleep(0.1)

    def exit_status(self) -> int:
        """Wait for the command in the pane to end; its exit status."""
        self.wait_for(lambda: EXIT_MARK in self.screen(), "the command to end")
        line = next(line for line in reversed(self.screen().splitlines()) if EXIT_MARK in line)
        return int(line.split(EXIT_MARK)[1].rstrip("]"))

    def assert_untouched(self, what: str) -> None:
        """Neither the title nor the paste buffer changed since `reset`."""
        assert self.title() == SENTINEL_TITLE, f"{what} changed the pane title to {self.title()!r}"
        assert self.buffers() == "", f"{what} set tmux's paste buffer: {self.buffers()!r}"
