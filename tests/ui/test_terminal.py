"""End to end in a real terminal: the console under tmux, keys sent as a user types them, the copy read
back from tmux's paste buffer (OSC 52 with set-clipboard on) exactly as a user would paste it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest

from .conftest import TRAIL_EVENTS

WAIT_S = 30.0


class Tmux:
    """A private tmux server (its own socket) with one 120x40 window."""

    def __init__(self) -> None:
        self.socket = f"trailtui-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def __call__(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["tmux", "-L", self.socket, "-f", "/dev/null", *arguments]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=10)

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "main").stdout

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the screen shows:\n{self.screen()}")
            time.sleep(0.1)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    assert shutil.which("tmux"), "tmux is needed for the end-to-end tests (.ci/run installs it)"
    server = Tmux()
    server("new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "cat")
    server("set", "-g", "set-clipboard", "on")
    yield server
    server("kill-server", check=False)


def launch(tmux: Tmux, trail: Path, home: Path, query: str | None) -> None:
    environment = {
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "TERM": "tmux-256color",
    }
    command = [sys.executable, "-m", "trailtui", str(trail)]
    if query is not None:
        command += ["--query", query]
    exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in environment.items())
    tmux(
        "respawn-pane",
        "-k",
        "-t",
        "main",
        f"env -u DISPLAY -u WAYLAND_DISPLAY -u COLUMNS -u LINES {exports} {shlex.join(command)}",
    )


def test_c_on_an_opened_event_puts_its_exact_json_in_the_paste_buffer(
    tmux: Tmux, trail: Path, private_home: Path
) -> None:
    query = (
        "fields @timestamp, eventName, userAgent, requestParameters.bucketName"
        ' | filter eventName in ["GetObject", "PutObject"] | sort @timestamp asc'
    )
    launch(tmux, trail, private_home, query)
    tmux.wait_for(lambda: "│ Complete │" in tmux.screen(), "the query to complete")
    shown = tmux.screen()
    assert "\\x1b]52;c;cHduZWQ=\\x07aws-cli/2.0" in shown, shown
    assert "\\x1b]2;pwned\\x07bucket" in shown
    assert tmux("show-buffer", check=False).returncode != 0, "an event's OSC 52 reached the clipboard"
    assert "pwned" not in tmux("display-message", "-p", "-t", "main", "#{pane_title}").stdout

    tmux("send-keys", "-t", "main", "Enter")
    tmux.wait_for(lambda: "Copy JSON" in tmux.screen() and "event {" in tmux.screen(), "the event to open")
    tmux("send-keys", "-t", "main", "c")
    tmux.wait_for(lambda: tmux("show-buffer", check=False).returncode == 0, "the copy to reach tmux")
    pasted = tmux("show-buffer").stdout
    assert orjson.loads(pasted) == TRAIL_EVENTS[1]
    assert pasted == orjson.dumps(TRAIL_EVENTS[1]).decode()
    tmux.wait_for(lambda: "Copied the event's JSON" in tmux.screen(), "the notification")


def test_the_tail_shows_a_hostile_user_agent_escaped_and_leaves_title_and_clipboard_alone(
    tmux: Tmux, trail: Path, private_home: Path
) -> None:
    tmux("resize-window", "-t", "main", "-x", "230", "-y", "30")
    launch(tmux, trail, private_home, None)
    tmux.wait_for(lambda: "Tail" in tmux.screen() and "Ready" in tmux.screen(), "the console to start")
    for _ in range(3):
        tmux("send-keys", "-t", "main", "F10")
    tmux.wait_for(lambda: "replay ended" in tmux.screen(), "the tail to show the whole replay")
    shown = tmux.screen()
    assert "\\x1b]52;c;cHduZWQ=\\x07aws-cli/2.0" in shown, shown
    assert "GetObject" in shown and "userAgent" in shown
    assert tmux("show-buffer", check=False).returncode != 0, "an event's OSC 52 reached the clipboard"
    assert "pwned" not in tmux("display-message", "-p", "-t", "main", "#{pane_title}").stdout


def test_a_burst_of_keys_then_ctrl_r_runs_the_whole_query(
    tmux: Tmux, trail: Path, private_home: Path
) -> None:
    """As over SSH: the keys arrive in one burst with ctrl+r right behind them, so ctrl+r (a priority
    binding) is handled before the editor has taken the keys; the run must still see all of them."""
    launch(tmux, trail, private_home, None)
    tmux.wait_for(
        lambda: (
            "fields @timestamp, eventName, userIdentity.arn" in tmux.screen() and "Ready" in tmux.screen()
        ),
        "the console to start with its query selected",
    )
    query = "stats count(*) as calls by eventName | sort calls desc"
    tmux("send-keys", "-t", "main", query)
    tmux("send-keys", "-t", "main", "C-r")
    tmux.wait_for(lambda: "│ Complete │" in tmux.screen(), "the query to complete")
    shown = tmux.screen()
    assert query in shown and "fields @timestamp" not in shown, shown
    header = next(
        line for line in shown.splitlines() if "calls" in line and "eventName" in line and "|" not in line
    )
    assert header.index("eventName") < header.index("calls"), shown
    assert "5 rows" in shown, shown
    tmux("send-keys", "-t", "main", "C-e")
    tmux.wait_for(
        lambda: "Complete  f5 Run" in tmux.screen(), "the editor to have the focus (its keys in the footer)"
    )
    tmux("send-keys", "-t", "main", "| limit 1")
    tmux.wait_for(lambda: f"{query}| limit 1" in tmux.screen(), "typing after the run to go into the query")
