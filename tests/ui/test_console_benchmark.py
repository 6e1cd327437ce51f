"""The console benchmark's harness (benchmarks/console.py) at tiny size, so it cannot rot: it launches the
console in tmux, finds the interactive frame, and times keys typed during a replay. No speed is asserted
(speed belongs to benchmarks/run.py); what is checked is that each measure found what it waits for."""

from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import orjson
import pytest

from trailtui.events.model import Event

REPOSITORY = Path(__file__).resolve().parents[2]
EVENTS_PER_FILE = 250
FILES = 12
RATE = 100
KEYS = 7


@pytest.fixture(scope="module")
def console() -> ModuleType:
    assert shutil.which("tmux"), "tmux is needed for the end-to-end tests (.ci/run installs it)"
    path = REPOSITORY / "benchmarks" / "console.py"
    spec = importlib.util.spec_from_file_location("console_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def hour_trail(tmp_path: Path, corpus_events: list[Event]) -> Path:
    """3,000 real events over one hour, in CloudTrail's 5-minute files: a replay at RATE events/s lasts
    about 30 s, longer than the keys take."""
    root = tmp_path / "trail"
    for slot in range(FILES):
        records = []
        for number in range(EVENTS_PER_FILE):
            record = dict(corpus_events[(slot * EVENTS_PER_FILE + number) % len(corpus_events)].record)
            second = slot * 300 + number * 300 // EVENTS_PER_FILE
            record["eventTime"] = f"2024-03-01T10:{second // 60:02d}:{second % 60:02d}Z"
            records.append(record)
        minute = slot * 5
        path = root / f"111122223333_CloudTrail_us-east-1_20240301T10{minute:02d}Z_{slot}.json.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(orjson.dumps({"Records": records})))
    return root


def test_the_start_measure_finds_the_frame_then_the_echo(console: ModuleType) -> None:
    figures = console.measure_start(1, dict(os.environ))
    assert 0 < figures.first_frame_s <= figures.first_echo_s < console.WAIT_S
    assert figures.launches == 1


def test_the_echo_measure_times_each_key_during_the_replay(console: ModuleType, hour_trail: Path) -> None:
    files = sorted(hour_trail.glob("*.json.gz"))
    density = console.trail_density(files, FILES * EVENTS_PER_FILE)
    assert density == pytest.approx(FILES * EVENTS_PER_FILE / 3600)
    figures = console.measure_echo(hour_trail, density, KEYS, dict(os.environ), RATE)
    assert figures.keys == KEYS and figures.speed == pytest.approx(RATE / density)
    assert 0 < figures.median_s <= figures.p95_s < console.WAIT_S
    assert figures.rate is not None and figures.rate > 0, "no events/s read from the replay line"
    assert not figures.replay_ended
    assert console.typing(KEYS)[4:] == [("l", "trail"), ("BSpace", "trai"), ("BSpace", "tra")]
    lines = console.targets(console.StartFigures(0.5, 0.6, 1), figures)
    assert [passed for _, _, passed in lines][:2] == [True, True]
