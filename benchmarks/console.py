"""The console in a real terminal (issue 7): how soon it answers after launch, and how soon a typed key shows
while the replay runs at 10,000 events/s.

The console runs under tmux (a private server, its own socket) at 80x24, as a user runs it; the screen is
read with `tmux capture-pane -p` every `POLL_S` and keys are sent with `tmux send-keys`, so every figure
includes the terminal's own path (pty, tmux's parser and screen) as a user's would.

- First frame: from respawning the pane with `python -m trailtui` (no path: the demo trail) until the
  screen shows the query editor, the status line's `Ready` and the footer's keys.
- First echo: a key sent as soon as that frame is there, until it shows in the editor; counted from the
  launch, this is the honest "interactive" time: the frame is drawn and the app reads keys.
- Key echo while replaying: the console over a trail, replaying at the speed that gives `REPLAY_RATE`
  events/s for that trail's density; once the replay line shows events flowing, keys typed one at a time
  (a `KEY_GAP_S` pause after each echo, as a fast typist: a word typed, then deleted) and each timed from
  send-keys until the editor shows it. The rate achieved is the replay line's `ev/s` while typing.
"""

from __future__ import annotations

import calendar
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

FIRST_FRAME_S = 1.0
KEY_ECHO_S = 0.1
REPLAY_RATE = 10_000
RATE_HELD = 0.9
"""The replay rate counts as reached at this share of REPLAY_RATE (the events' times are random)."""
MAX_SPEED = 10_000.0
COLUMNS, LINES = 80, 24
POLL_S = 0.005
KEY_GAP_S = 0.05
ECHO_KEYS = 50
WAIT_S = 60.0
WORD = "trail"
"""What the echo measure types (letters only: no completion, no key binding), then deletes."""

_SLOT = re.compile(r"_(\d{8}T\d{4})Z_")
_RATE = re.compile(r"│ ([\d,]+) ev/s")
_EDITOR_LINE = re.compile(r"│1  ([^│▌]*?) *[│▌]")


class Terminal:
    """A private tmux server with one COLUMNS x LINES window, its pane respawned for each launch.

    The screen is read and keys are sent through one control-mode client (`tmux -C`): a `tmux` process
    per poll would cost a few ms of CPU each, 200 times a second, taken from the console it measures."""

    def __init__(self, environment: dict[str, str]) -> None:
        self.socket = f"trailtui-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.home = tempfile.TemporaryDirectory(prefix="trailtui-bench-")
        self.environment = {
            **{name: environment[name] for name in ("PYTHONPYCACHEPREFIX",) if name in environment},
            "TERM": "tmux-256color",
            "LANG": "C.UTF-8",
            "XDG_CONFIG_HOME": f"{self.home.name}/config",
            "XDG_DATA_HOME": f"{self.home.name}/data",
        }
        self.tmux("new-session", "-d", "-s", "main", "-x", str(COLUMNS), "-y", str(LINES), "cat")
        self.control = subprocess.Popen(
            [*self._tmux, "-C", "attach-session", "-t", "main", "-f", "no-output"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self.commands = 0
        size = self.command("display-message -p '#{window_width}x#{window_height}'")
        if size != [f"{COLUMNS}x{LINES}"]:
            self.close()
            raise RuntimeError(f"console benchmark: the window is {size}, not {COLUMNS}x{LINES}")

    @property
    def _tmux(self) -> list[str]:
        return ["tmux", "-L", self.socket, "-f", "/dev/null"]

    def tmux(self, *arguments: str) -> str:
        """Run one tmux command in a process of its own."""
        command = [*self._tmux, *arguments]
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=10).stdout

    def command(self, line: str) -> list[str]:
        """Run one tmux command through the control client; the lines of its reply. A marker command
        follows it, and the reply is the block just before the marker's: the attach's own reply may
        come at any point early on."""
        assert self.control.stdin is not None
        self.commands += 1
        marker = f"done-{self.commands}"
        self.control.stdin.write(f"{line}\ndisplay-message -p {marker}\n")
        self.control.stdin.flush()
        replies = [self._reply()]
        while replies[-1] != [marker]:
            replies.append(self._reply())
        return replies[-2] if len(replies) > 1 else []

    def _reply(self) -> list[str]:
        assert self.control.stdout is not None
        reply: list[str] | None = None
        for received in self.control.stdout:
            text = received.rstrip("\n")
            if text.startswith("%begin"):
                reply = []
            elif reply is not None and text.startswith(("%end", "%error")):
                return reply
            elif reply is not None:
                reply.append(text)
        raise RuntimeError("console benchmark: the tmux control client ended")

    def launch(self, arguments: Sequence[str]) -> float:
        """Start the console with `arguments` in the pane (replacing what ran there); its start time."""
        command = [sys.executable, "-m", "trailtui", *arguments]
        exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in self.environment.items())
        unset = "-u DISPLAY -u WAYLAND_DISPLAY -u COLUMNS -u LINES -u PYTHONDONTWRITEBYTECODE"
        started = time.perf_counter()
        self.tmux("respawn-pane", "-k", "-t", "main", f"env {unset} {exports} {shlex.join(command)}")
        return started

    def screen(self) -> str:
        return "\n".join(self.command("capture-pane -p -t main"))

    def send(self, key: str) -> float:
        """Send one key (a character, or a tmux key name such as BSpace); the time it was sent."""
        sent = time.perf_counter()
        self.command(f"send-keys -t main {key}")
        return sent

    def wait_for(self, condition: Callable[[str], bool], what: str) -> tuple[float, str]:
        """Poll the screen until `condition` holds; the time it was first seen, and that screen."""
        deadline = time.perf_counter() + WAIT_S
        while True:
            shown = self.screen()
            seen = time.perf_counter()
            if condition(shown):
                return seen, shown
            if seen > deadline:
                raise RuntimeError(f"console benchmark: no {what} after {WAIT_S:.0f} s; the screen:\n{shown}")
            time.sleep(POLL_S)

    def close(self) -> None:
        subprocess.run([*self._tmux, "kill-server"], capture_output=True, check=False)
        self.control.wait(timeout=10)
        self.home.cleanup()


def is_interactive_frame(shown: str) -> bool:
    """The editor, the status line's Ready and the footer's keys are drawn."""
    return "Logs Insights query" in shown and "│ Ready │" in shown and "f5 Run" in shown


def editor_text(shown: str) -> str | None:
    """The editor's first line as shown, or None when it is not on the screen."""
    match = _EDITOR_LINE.search(shown)
    return None if match is None else match.group(1)


def replay_rate(shown: str) -> int | None:
    """The replay line's events per second, None when it shows none (not replaying)."""
    match = _RATE.search(shown)
    return None if match is None else int(match.group(1).replace(",", ""))


@dataclass(frozen=True)
class StartFigures:
    """Medians over `launches`, seconds from launch."""

    first_frame_s: float
    first_echo_s: float
    launches: int


def measure_start(launches: int, environment: dict[str, str]) -> StartFigures:
    """Launch the console on the demo trail `launches` times (after one unmeasured launch that leaves
    bytecode cached, as an installed package has it); median first frame and first echo."""
    terminal = Terminal(environment)
    try:
        _launch_once(terminal)
        runs = [_launch_once(terminal) for _ in range(launches)]
    finally:
        terminal.close()
    return StartFigures(
        statistics.median(frame for frame, _ in runs), statistics.median(echo for _, echo in runs), launches
    )


def _launch_once(terminal: Terminal) -> tuple[float, float]:
    started = terminal.launch([])
    frame, _ = terminal.wait_for(is_interactive_frame, "interactive frame")
    terminal.send("x")
    echo, _ = terminal.wait_for(lambda shown: editor_text(shown) == "x", "echo of the first key")
    return frame - started, echo - started


@dataclass(frozen=True)
class EchoFigures:
    """Key echo while replaying: seconds per key, and the replay's rate while the keys were typed."""

    median_s: float
    p95_s: float
    keys: int
    speed: float
    rate: float | None
    """The median of the replay line's events/s read while typing; None when it never showed."""
    replay_ended: bool
    """True when the replay finished before the last key (the trail is too short for the measure)."""


def trail_density(files: Sequence[Path], events: int) -> float:
    """Events per second of event time: `events` over the span of the files' delivery slots (CloudTrail
    names each file by its 5-minute slot)."""
    slots = sorted({match.group(1) for path in files if (match := _SLOT.search(path.name))})
    if not slots:
        raise ValueError("no CloudTrail file names to read the trail's time span from")
    first, last = (calendar.timegm(time.strptime(slot, "%Y%m%dT%H%M")) for slot in (slots[0], slots[-1]))
    return events / (last - first + 300)


def replay_speed(density: float, rate: float = REPLAY_RATE) -> float:
    """Times real time that replays `rate` events/s at `density`, within the console's 1 to 10,000x."""
    return min(max(rate / density, 1.0), MAX_SPEED)


def typing(keys: int) -> list[tuple[str, str]]:
    """`keys` keys as tmux names them, each with the editor's text after it: WORD typed, then deleted
    with backspace, over and over, so the text stays at the editor's left (notifications cover the
    right half of an 80-column screen)."""
    sequence, text = [], ""
    while len(sequence) < keys:
        for letter in WORD:
            text += letter
            sequence.append((letter, text))
        for _ in WORD:
            text = text[:-1]
            sequence.append(("BSpace", text))
    return sequence[:keys]


def measure_echo(
    trail: Path, density: float, keys: int, environment: dict[str, str], rate: float = REPLAY_RATE
) -> EchoFigures:
    """Type `keys` keys into the editor while the console replays `trail` at `rate` events/s (for its
    `density`), one at a time, each echo timed; the rate achieved read from the replay line."""
    speed = replay_speed(density, rate)
    terminal = Terminal(environment)
    try:
        terminal.launch([str(trail), "--speed", f"{speed:g}"])
        terminal.wait_for(lambda shown: bool(replay_rate(shown)), "events flowing")
        echoes: list[float] = []
        rates: list[int] = []
        ended = False
        for number, (key, text) in enumerate(typing(keys), 1):
            sent = terminal.send(key)
            seen, shown = terminal.wait_for(
                lambda shown, text=text: editor_text(shown) == text, f"echo of key {number}"
            )
            echoes.append(seen - sent)
            rates.extend(filter(None, [replay_rate(shown)]))
            ended = ended or "finished" in shown
            time.sleep(KEY_GAP_S)
    finally:
        terminal.close()
    median_rate = statistics.median(rates) if rates else None
    return EchoFigures(statistics.median(echoes), _percentile(echoes, 95), keys, speed, median_rate, ended)


def _percentile(values: Sequence[float], percent: int) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * percent // 100) - 1)]


def targets(start: StartFigures, echo: EchoFigures) -> list[tuple[str, str, bool | None]]:
    """The console's lines of the targets table: name, figure, passed."""
    where = f"demo trail, {COLUMNS}x{LINES}, median of {start.launches}"
    ended = " — REPLAY ENDED" if echo.replay_ended else ""
    return [
        (
            f"console: first frame drawn ≤ {FIRST_FRAME_S:g} s after launch ({where})",
            _ms(start.first_frame_s),
            start.first_frame_s <= FIRST_FRAME_S,
        ),
        (
            f"console: first key echoed ≤ {FIRST_FRAME_S:g} s after launch (the interactive frame)",
            _ms(start.first_echo_s),
            start.first_echo_s <= FIRST_FRAME_S,
        ),
        (
            f"console: replay ≥ {RATE_HELD:.0%} of {REPLAY_RATE:,} events/s while typing "
            f"({echo.speed:g}x){ended}",
            "n/a" if echo.rate is None else f"{echo.rate:,.0f} ev/s",
            None if echo.rate is None else echo.rate >= REPLAY_RATE * RATE_HELD and not echo.replay_ended,
        ),
        (
            f"console: key echo ≤ {KEY_ECHO_S * 1000:.0f} ms while replaying (p95 of {echo.keys}; median)",
            f"{_ms(echo.p95_s)}; {_ms(echo.median_s)}",
            echo.p95_s <= KEY_ECHO_S,
        ),
    ]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"
