"""Broken input through the CLI: one clear line per problem file, the counts of what was skipped, the good
records kept, no traceback; a pipe nobody writes to and a device never hang the reader."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import orjson

GOOD = [
    {"eventVersion": "1.08", "eventName": f"Good{n}", "eventTime": f"2024-03-01T10:0{n}:00Z"}
    for n in range(3)
]


def trailtui(*arguments: str, timeout_s: float = 120) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "trailtui", *arguments]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed


def records(events: list[dict[str, str]]) -> bytes:
    return orjson.dumps({"Records": events})


def test_each_broken_file_gets_one_line_and_the_good_records_are_counted(tmp_path: Path) -> None:
    trail = tmp_path / "trail"
    trail.mkdir()
    (trail / "good.json").write_bytes(records(GOOD))
    whole = gzip.compress(records(GOOD * 200))
    (trail / "truncated.json.gz").write_bytes(whole[: len(whole) // 2])
    (trail / "garbage.json.gz").write_bytes(b"\x1f\x8b\x08\x00" + os.urandom(200))
    (trail / "zero.json").write_bytes(b"")
    (trail / "utf8.json").write_bytes(records(GOOD).replace(b"Good1", b"Go\xff\xfe1"))
    (trail / "other.json").write_bytes(orjson.dumps({"settings": {"theme": "dark"}}))
    (trail / "not-a-list.json").write_bytes(orjson.dumps({"Records": {"eventName": "x"}}))
    (trail / "text.json").write_text("hello, not JSON at all\n")

    completed = trailtui("query", "stats count(*) as n", str(trail), "--format", "ndjson")

    assert completed.returncode == 0
    lines = completed.stderr.splitlines()
    problems = {Path(line.split(":", 1)[0]).name: line.split(": ", 1)[1] for line in lines[:-1]}
    assert problems == {
        "garbage.json.gz": problems["garbage.json.gz"],
        "not-a-list.json": "skipped: not CloudTrail (Records is not a list)",
        "other.json": "skipped: not CloudTrail (no Records, events or Events)",
        "text.json": "skipped: not CloudTrail (not JSON)",
        "truncated.json.gz": problems["truncated.json.gz"],
        "utf8.json": "1 record skipped: invalid UTF-8 at line 1",
        "zero.json": "skipped: empty file",
    }
    assert problems["garbage.json.gz"].startswith("skipped: corrupt gzip data")
    assert "truncated gzip data" in problems["truncated.json.gz"]
    assert lines[-1].startswith("trailtui: skipped 5 of 8 files and ")
    kept = orjson.loads(completed.stdout)["n"]
    assert int(kept) > len(GOOD) + 2, "good.json, the good records of utf8.json and the readable part"


def test_a_pipe_without_a_writer_and_a_device_are_skipped_not_waited_on(tmp_path: Path) -> None:
    trail = tmp_path / "trail"
    trail.mkdir()
    os.mkfifo(trail / "pipe.json")
    (trail / "good.json").write_bytes(records(GOOD))
    completed = trailtui(
        "query", "stats count(*) as n", str(trail), "/dev/zero", "--format", "ndjson", timeout_s=60
    )
    assert completed.returncode == 0
    assert orjson.loads(completed.stdout) == {"n": "3"}
    assert f"{trail / 'pipe.json'}: skipped: empty file" in completed.stderr
    assert "/dev/zero: skipped: cannot read: not a regular file" in completed.stderr


def test_a_folder_of_100000_small_files_is_read_with_one_line_per_bad_one(tmp_path: Path) -> None:
    trail = tmp_path / "many"
    trail.mkdir()
    good = orjson.dumps(GOOD[0])
    for number in range(100_000):
        (trail / f"{number:06d}.json").write_bytes(b"{oops" if number % 1000 == 0 else good)
    completed = trailtui("query", "stats count(*) as n", str(trail), "--format", "ndjson", timeout_s=300)
    assert completed.returncode == 0
    assert orjson.loads(completed.stdout) == {"n": "99900"}
    lines = completed.stderr.splitlines()
    assert len(lines) == 101
    assert lines[-1] == "trailtui: skipped 100 of 100,000 files and 0 records"
