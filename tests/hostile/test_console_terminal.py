"""The console over the adversarial trail in a real terminal (tmux, clipboard writes on): the results are
walked, each hostile event is opened and copied; the title never changes, the paste buffer only ever holds
a copy the test asked for, and that copy is the event's original JSON, byte for byte."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import orjson
import pytest

from .adversarial import PAYLOADS, AdversarialTrail, raw_controls_in
from .terminal import Tmux

QUERY = (
    "fields @timestamp, eventName, userAgent, errorMessage, requestParameters.bucketName"
    " | sort @timestamp asc"
)
TOO_BIG_FOR_OSC52 = pytest.mark.xfail(
    strict=True,
    reason="a 2 MB event encodes to an OSC 52 sequence beyond tmux's 1 MB escape-sequence limit; the console "
    "neither warns nor falls back (reported to the UI owner)",
)
OPENED = [
    "osc52",
    "osc2",
    "dcs",
    "c1-osc",
    "bidi",
    "click",
    pytest.param("HugeStrings", marks=TOO_BIG_FOR_OSC52),
    "DeepNesting",
    "WideArray",
]


def launch(tmux: Tmux, trail: AdversarialTrail, home: Path) -> None:
    environment = {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    command = [sys.executable, "-m", "trailtui", *trail.paths, "--query", QUERY]
    tmux.run(shlex.join(command), environment)
    tmux.wait_for(lambda: "Complete" in tmux.screen(), "the query to complete")
    tmux.wait_for(lambda: "Get\\x1bObject" in tmux.screen(), "the results to show")


def row_of(trail: AdversarialTrail, name: str) -> int:
    """The row (from 0) of an event in the results, which are in time order."""
    names = [event["eventName"] for event in trail.events]
    return names.index(trail.event_named(name)["eventName"])


@pytest.fixture
def console(tmux: Tmux, adversarial: AdversarialTrail, tmp_path: Path) -> Tmux:
    tmux.reset()
    launch(tmux, adversarial, tmp_path / "home")
    return tmux


def test_the_results_show_every_payload_escaped_and_nothing_acts(
    console: Tmux, adversarial: AdversarialTrail
) -> None:
    console.assert_untouched("the results")
    for _ in range(len(adversarial.events) + 2):
        console("send-keys", "-t", "main", "Down")
    console("send-keys", "-t", "main", "Home")
    shown = console.screen()
    assert "\\x1b]52;c;" in shown, shown
    assert "[/]" in shown and "[@click=app.quit]" in shown, shown
    assert not raw_controls_in(shown)
    console.assert_untouched("walking the results")
    assert "Traceback" not in console.scrollback()


@pytest.mark.parametrize("name", OPENED)
def test_opening_a_hostile_event_is_safe_and_c_copies_its_original_json(
    name: str, console: Tmux, adversarial: AdversarialTrail
) -> None:
    console("send-keys", "-t", "main", "C-o")
    for _ in range(row_of(adversarial, name)):
        console("send-keys", "-t", "main", "Down")
    console("send-keys", "-t", "main", "Enter")
    console.wait_for(lambda: "Copy JSON" in console.screen(), "the event to open")
    for key in ("Right", "Down", "Right", "Down", "Down", "Right", "End", "Home"):
        console("send-keys", "-t", "main", key)
    assert not raw_controls_in(console.screen())
    console.assert_untouched(f"opening {name}")

    console("send-keys", "-t", "main", "c")
    console.wait_for(lambda: console.paste_buffer() is not None, "the copy to reach tmux", timeout_s=8)
    assert console.paste_buffer() == orjson.dumps(adversarial.event_named(name)).decode()
    console("delete-buffer")
    console("send-keys", "-t", "main", "Escape")
    console.wait_for(lambda: "Copy JSON" not in console.screen(), "the results again")
    console.assert_untouched(f"closing {name}")
    assert "Traceback" not in console.scrollback()


def test_every_payload_kind_is_opened_somewhere() -> None:
    assert {"osc52", "osc2", "dcs", "bidi", "click"} <= set(PAYLOADS)
