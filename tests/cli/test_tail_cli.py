"""`trailtui tail`: lines and NDJSON in time order, hostile text made visible, filter patterns, --follow."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from small_trails import START, event, run_trailtui, write_trail, write_trail_file
from trailtui.cli import main

HOSTILE_ARN = "arn:aws:iam::111122223333:user/\x1b]52;c;cHduZWQ=\x07mallory"
TRAIL = [
    event(3, "DeleteUser", errorCode="AccessDenied", userIdentity={"type": "IAMUser", "arn": HOSTILE_ARN}),
    event(1, "GetUser"),
    event(2, "ListRoles", sourceIPAddress="198.51.100.4"),
]


def test_lines_show_time_account_region_name_principal_ip_and_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tail", str(write_trail(tmp_path / "trail", TRAIL))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("  ") == [
        "2024-03-01T10:01:00.000Z",
        "111122223333",
        "us-east-1",
        "GetUser",
        "arn:aws:iam::111122223333:user/ana",
        "203.0.113.7",
        "-",
    ]
    assert lines[2].split("  ")[3:] == [
        "DeleteUser",
        "arn:aws:iam::111122223333:user/\\x1b]52;c;cHduZWQ=\\x07mallory",
        "203.0.113.7",
        "AccessDenied",
    ]
    assert "\x1b" not in "".join(lines)


def test_ndjson_is_each_event_exactly_in_time_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tail", str(write_trail(tmp_path / "trail", TRAIL)), "--format", "ndjson"]) == 0
    records = [orjson.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records == sorted(TRAIL, key=lambda record: record["eventTime"])


def test_filter_pattern_keeps_matching_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trail = write_trail(tmp_path / "trail", TRAIL)
    assert main(["tail", str(trail), "--filter-pattern", '{$.errorCode = "AccessDenied*"}']) == 0
    assert [line.split("  ")[3] for line in capsys.readouterr().out.splitlines()] == ["DeleteUser"]


def test_tail_reads_stdin(tmp_path: Path) -> None:
    ndjson = b"".join(orjson.dumps(record) + b"\n" for record in TRAIL)
    result = run_trailtui("tail", "-", "--format", "ndjson", stdin=ndjson)
    assert result.returncode == 0
    assert [orjson.loads(line)["eventName"] for line in result.stdout.splitlines()] == [
        "GetUser",
        "ListRoles",
        "DeleteUser",
    ]


def test_bad_filter_pattern_exits_2_and_nothing_readable_exits_1(tmp_path: Path) -> None:
    trail = write_trail(tmp_path / "trail", TRAIL)
    assert run_trailtui("tail", str(trail), "--filter-pattern", "{$.eventName = ").returncode == 2
    (tmp_path / "empty").mkdir()
    assert run_trailtui("tail", str(tmp_path / "empty")).returncode == 1
    assert run_trailtui("tail", str(trail), "--speed", "0.5").returncode == 2


class LineCollector:
    """Reads a process's stdout lines in a thread, so a test can wait for a count without blocking."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.lines: list[bytes] = []
        assert process.stdout is not None
        self._stdout = process.stdout
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self._stdout:
            self.lines.append(line)

    def wait_for(self, count: int, timeout_s: float = 30.0) -> list[bytes]:
        deadline = time.monotonic() + timeout_s
        while len(self.lines) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.lines)


def test_follow_delivers_every_event_of_files_written_while_it_runs_once(tmp_path: Path) -> None:
    trail = tmp_path / "trail"
    trail.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "trailtui", "tail", str(trail), "--follow", "--format", "ndjson"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        collector = LineCollector(process)
        written: list[str] = []
        for step in range(4):
            records = [
                event(step * 10 + minute, "GetUser", eventID=f"s{step}-e{minute}") for minute in range(25)
            ]
            write_trail_file(trail, records, START + timedelta(minutes=step * 10 + 5), suffix=f"step{step}")
            written.extend(record["eventID"] for record in records)
            collector.wait_for(len(written))
        time.sleep(1.5)
        delivered = [orjson.loads(line)["eventID"] for line in collector.lines]
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert sorted(delivered) == sorted(written)
    assert len(delivered) == len(set(delivered))
