"""The console over the adversarial trail in a real terminal (tmux, clipboard writes on): the results are
walked, each hostile event is opened and copied; the title never changes, the paste buffer only ever holds
a copy the test asked for, and that copy is the event's original JSON, byte for byte. An event too big for
tmux's clipboard (its 1 MiB escape-sequence limit) is saved to a file instead, and the notice says where."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import orjson
import pytest

from trailtui.ui.clipboard import TERMINAL_CLIPBOARD_MAX_BYTES

from .adversarial import PAYLOADS, AdversarialTrail, raw_controls_in
from .terminal import Tmux

QUERY = (
    "fields @timestamp, eventName, userAgent, errorMessage, requestParameters.bucketName"
    " | sort @timestamp asc"
)
OPENED = ["osc52", "osc2", "dcs", "c1-osc", "bidi", "click", "DeepNesting", "WideArray"]


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


def open_event(console: Tmux, trail: AdversarialTrail, name: str) -> None:
    """Open the event from the results and walk its tree: nothing from it acts on the terminal."""
    console("send-keys", "-t", "main", "C-o")
    for _ in range(row_of(trail, name)):
        console("send-keys", "-t", "main", "Down")
    console("send-keys", "-t", "main", "Enter")
    console.wait_for(lambda: "Copy JSON" in console.screen(), "the event to open")
    for key in ("Right", "Down", "Right", "Down", "Down", "Right", "End", "Home"):
        console("send-keys", "-t", "main", key)
    assert not raw_controls_in(console.screen())
    console.assert_untouched(f"opening {name}")


@pytest.mark.parametrize("name", OPENED)
def test_opening_a_hostile_event_is_safe_and_c_copies_its_original_json(
    name: str, console: Tmux, adversarial: AdversarialTrail
) -> None:
    open_event(console, adversarial, name)
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


def test_c_on_an_event_too_big_for_tmux_saves_it_and_says_where(
    console: Tmux, adversarial: AdversarialTrail, tmp_path: Path
) -> None:
    """HugeStrings is 2 MB of JSON: sent as OSC 52 it would be dropped by tmux. The paste buffer stays
    untouched, the file holds the exact bytes and the notification names it."""
    event = adversarial.event_named("HugeStrings")
    open_event(console, adversarial, "HugeStrings")
    console("send-keys", "-t", "main", "c")
    saved = tmp_path / "home" / "data" / "trailtui" / "copied" / f"{event['eventID']}.json"
    notice = (
        "The event's JSON is 2,049 KB, over the 767 KB a terminal clipboard takes; "
        f"saved to {saved}; `trailtui event` with its @ptr prints it too"
    )
    console.wait_for(lambda: unspaced(notice) in unspaced(toast_text(console.screen())), "the notification")
    assert saved.read_bytes() == orjson.dumps(event)
    console.assert_untouched("copying HugeStrings")
    assert "Traceback" not in console.scrollback()


def toast_text(screen: str) -> str:
    """The text of the notifications on the screen: what follows each toast's left edge `▌`."""
    return "".join(line.split("▌", 1)[1].rstrip("│─╯ ") for line in screen.splitlines() if "▌" in line)


def unspaced(text: str) -> str:
    """`text` without whitespace, so that text wrapped anywhere in a toast compares equal."""
    return "".join(text.split())


def event_of_size(size: int) -> dict[str, str]:
    """A plain event whose compact JSON is exactly `size` bytes."""
    event = {"eventTime": "2024-03-01T10:00:00Z", "eventSource": "s3.amazonaws.com", "eventName": "GetObject"}
    event |= {"eventID": "at-the-limit", "userAgent": ""}
    event["userAgent"] = "A" * (size - len(orjson.dumps(event)))
    return event


OSC52_OF_AS = (
    "import base64, sys, time; text = base64.b64encode(b'A' * int(sys.argv[1])).decode();"
    " print(f'\\x1b]52;c;{text}\\adone', flush=True); time.sleep(5)"
)
"""Writes the OSC 52 sequence of `argv[1]` letters as Textual writes it, then `done`, and waits."""


def test_tmux_drops_an_osc_52_one_byte_over_the_threshold(tmux: Tmux) -> None:
    """The threshold is tmux's own: the OSC 52 of one byte more never reaches the paste buffer."""
    tmux.reset()
    tmux.run(shlex.join([sys.executable, "-c", OSC52_OF_AS, str(TERMINAL_CLIPBOARD_MAX_BYTES + 1)]))
    tmux.wait_for(lambda: "done" in tmux.screen(), "the sequence to be written")
    tmux.assert_untouched("an OSC 52 over the threshold")


@pytest.mark.parametrize("over", [0, 1], ids=["at-the-threshold", "one-byte-over"])
def test_an_event_at_the_threshold_reaches_tmux_and_one_byte_more_is_saved(
    over: int, tmux: Tmux, tmp_path: Path
) -> None:
    event = event_of_size(TERMINAL_CLIPBOARD_MAX_BYTES + over)
    trail = tmp_path / "limit.ndjson"
    trail.write_bytes(orjson.dumps(event) + b"\n")
    home = tmp_path / "home"
    tmux.reset()
    environment = {"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    tmux.run(
        shlex.join([sys.executable, "-m", "trailtui", str(trail), "--query", "fields eventName"]), environment
    )
    tmux.wait_for(lambda: "⏎ Open" in tmux.screen(), "the results to take the focus")
    tmux("send-keys", "-t", "main", "Enter")
    tmux.wait_for(lambda: "Copy JSON" in tmux.screen(), "the event to open")
    tmux("send-keys", "-t", "main", "c")
    saved = home / "data" / "trailtui" / "copied" / "at-the-limit.json"
    if over:
        tmux.wait_for(lambda: "terminalclipboardtakes" in unspaced(toast_text(tmux.screen())), "the notice")
        assert saved.read_bytes() == orjson.dumps(event)
        tmux.assert_untouched("copying an event one byte over")
    else:
        tmux.wait_for(lambda: tmux.paste_buffer() is not None, "the copy to reach tmux", timeout_s=8)
        assert tmux.paste_buffer() == orjson.dumps(event).decode()
        assert not saved.exists()
