"""Every CLI command over the adversarial trail, in a real terminal (tmux, clipboard writes on) and into
pipes: on the terminal nothing acts (title and paste buffer untouched), table and line output show the
escapes, nothing crashes; into a pipe json, csv and ndjson keep every value exactly."""

from __future__ import annotations

import csv
import io
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from .adversarial import FIXTURES, PAYLOADS, AdversarialTrail, event_name, raw_controls_in
from .terminal import Tmux

QUERY = "fields @timestamp, eventName, userAgent, errorMessage, @message | sort @timestamp asc"
PATTERN = '{ $.eventSource = "hostile.amazonaws.com" }'

Arguments = Callable[[AdversarialTrail, dict[str, str]], list[str]]


def _query(fmt: str) -> Arguments:
    return lambda trail, ptrs: ["query", QUERY, *trail.paths, "--format", fmt]


COMMANDS: dict[str, Arguments] = {
    **{f"query-{fmt}": _query(fmt) for fmt in ("table", "json", "csv", "ndjson")},
    "event-osc52": lambda trail, ptrs: ["event", ptrs[event_name("osc52")], *trail.paths],
    "event-huge": lambda trail, ptrs: ["event", ptrs["HugeStrings"], *trail.paths],
    "event-deep": lambda trail, ptrs: ["event", ptrs["DeepNesting"], *trail.paths],
    "event-wide": lambda trail, ptrs: ["event", ptrs["WideArray"], *trail.paths],
    "contributors-table": lambda trail, ptrs: ["contributors", str(FIXTURES / "rule.json"), *trail.paths],
    "contributors-json": lambda trail, ptrs: [
        "contributors",
        str(FIXTURES / "rule.json"),
        *trail.paths,
        "--format",
        "json",
    ],
    "metrics-table": lambda trail, ptrs: [
        "metrics",
        str(FIXTURES / "metric-filter.json"),
        *trail.paths,
        "--period",
        "1m",
    ],
    "metrics-json": lambda trail, ptrs: [
        "metrics",
        str(FIXTURES / "metric-filter.json"),
        *trail.paths,
        "--period",
        "1m",
        "--format",
        "json",
    ],
    "alarms-table": lambda trail, ptrs: [
        "alarms",
        str(FIXTURES / "alarm.json"),
        "--filter",
        str(FIXTURES / "metric-filter-plain.json"),
        *trail.paths,
    ],
    "test-pattern-table": lambda trail, ptrs: ["test-pattern", PATTERN, *trail.paths, "--format", "table"],
    "test-pattern-json": lambda trail, ptrs: ["test-pattern", PATTERN, *trail.paths],
    "tail-line": lambda trail, ptrs: ["tail", *trail.paths],
    "tail-ndjson": lambda trail, ptrs: ["tail", *trail.paths, "--format", "ndjson"],
    "packs-table": lambda trail, ptrs: ["packs"],
    "packs-json": lambda trail, ptrs: ["packs", "--format", "json"],
}


def trailtui(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "trailtui", *arguments]


@pytest.fixture(scope="module")
def ptrs(adversarial: AdversarialTrail) -> dict[str, str]:
    """The @ptr of each event, by eventName."""
    answer = piped(["query", "fields @ptr, eventName", *adversarial.paths, "--format", "json"])
    rows = [{cell["field"]: cell["value"] for cell in row} for row in orjson.loads(answer.stdout)["results"]]
    return {row["eventName"]: row["@ptr"] for row in rows}


def piped(
    arguments: list[str], environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    completed = subprocess.run(trailtui(*arguments), capture_output=True, timeout=120, env=environment)
    assert b"Traceback" not in completed.stderr, completed.stderr.decode(errors="replace")
    return completed


@pytest.mark.parametrize("name", list(COMMANDS))
def test_on_a_terminal_nothing_from_an_event_acts_and_nothing_crashes(
    name: str, tmux: Tmux, adversarial: AdversarialTrail, ptrs: dict[str, str], hostile_packs: Path
) -> None:
    tmux.reset()
    arguments = COMMANDS[name](adversarial, ptrs)
    tmux.run(shlex.join(trailtui(*arguments)), {"TRAILTUI_PACKS_DIR": str(hostile_packs)})
    status = tmux.exit_status()
    shown = tmux.scrollback()
    assert "Traceback" not in shown, shown[-3000:]
    assert status == 0, shown[-3000:]
    tmux.assert_untouched(name)
    if name in ("query-table", "tail-line", "contributors-table", "test-pattern-table", "packs-table"):
        assert "\\x1b]" in shown, "the escapes are shown, visibly"


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_query_machine_formats_into_a_pipe_keep_every_value_exactly(
    fmt: str, adversarial: AdversarialTrail
) -> None:
    answer = piped(["query", QUERY, *adversarial.paths, "--format", fmt])
    assert answer.returncode == 0
    if fmt == "json":
        rows = [{c["field"]: c["value"] for c in row} for row in orjson.loads(answer.stdout)["results"]]
    elif fmt == "ndjson":
        rows = [orjson.loads(line) for line in answer.stdout.splitlines()]
    else:
        csv.field_size_limit(16 * 1024 * 1024)
        rows = list(csv.DictReader(io.StringIO(answer.stdout.decode(), newline="")))
    by_name = {row["eventName"]: row for row in rows}
    for payload_name in PAYLOADS:
        original = adversarial.event_named(payload_name)
        row = by_name[original["eventName"]]
        assert row["userAgent"] == original["userAgent"]
        assert row["errorMessage"] == original["errorMessage"]
        assert row["@message"] == orjson.dumps(original).decode()
    assert by_name["HugeStrings"]["userAgent"] == adversarial.event_named("HugeStrings")["userAgent"]


@pytest.mark.parametrize("event", ["osc52", "c1", "bidi", "HugeStrings", "DeepNesting", "WideArray"])
def test_event_into_a_pipe_is_the_exact_json(
    event: str, adversarial: AdversarialTrail, ptrs: dict[str, str]
) -> None:
    name = event_name(event)
    answer = piped(["event", ptrs[name], *adversarial.paths])
    assert answer.stdout == orjson.dumps(adversarial.event_named(event)) + b"\n"


def test_tail_ndjson_into_a_pipe_is_each_event_exactly(adversarial: AdversarialTrail) -> None:
    answer = piped(["tail", str(adversarial.ndjson), "--format", "ndjson"])
    assert answer.stdout.splitlines() == [orjson.dumps(event) for event in adversarial.events]


def test_contributor_keys_into_a_pipe_are_exact(adversarial: AdversarialTrail) -> None:
    answer = piped(["contributors", str(FIXTURES / "rule.json"), *adversarial.paths, "--format", "json"])
    keys = {tuple(contributor["Keys"]) for contributor in orjson.loads(answer.stdout)["Contributors"]}
    original = adversarial.event_named("osc52")
    assert (original["eventName"], original["userAgent"]) in keys


def test_on_a_terminal_json_keeps_its_values_through_unicode_escapes(
    tmux: Tmux, adversarial: AdversarialTrail, ptrs: dict[str, str], tmp_path: Path
) -> None:
    """What a user copies off the screen is still the same JSON: controls shown as `\\uXXXX`."""
    tmux.reset()
    tmux.run(shlex.join(trailtui("event", ptrs[event_name("c1")], *adversarial.paths)))
    assert tmux.exit_status() == 0
    shown = tmux.scrollback()
    line = next(line for line in shown.splitlines() if line.startswith("{"))
    assert not raw_controls_in(line)
    assert orjson.loads(line) == adversarial.event_named("c1")
