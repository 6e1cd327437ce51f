"""A 2 GB (decompressed) CloudTrail file through `trailtui query`, drill-down, the session cache and the
replay: the answers are right and memory stays bounded (peak RSS of the whole process tree, sampled, and
the child's own high-water mark, VmHWM).

The gzipped file (2.76 million events, an hour apart every 4 MB) is written once for the module; each
piece of work runs in a child process of its own so that its peak is its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

GIB = 1024**3
MIB = 1024**2
MEMORY_BOUND_BYTES = 600 * MIB
READING_BOUND_BYTES = 300 * MIB
"""Reading a file in parts, alone: the interpreter and trailtui (~30 MB), one part of 5,000 events as
Python objects, the gzip and JSON pieces of 8 MB and the copies cutting them makes (~150 MB measured),
and room for the allocator. The events of the file as objects would take several GB."""
RECORD = {
    "eventVersion": "1.08",
    "eventTime": "2024-03-01T10:00:00Z",
    "eventSource": "s3.amazonaws.com",
    "eventName": "GetObject",
    "awsRegion": "eu-west-1",
    "recipientAccountId": "111122223333",
    "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/r/s"},
    "requestParameters": {"bucketName": "b", "key": "k" * 400},
    "resources": [{"ARN": "arn:aws:s3:::b"}, {"ARN": "arn:aws:s3:::b/k"}],
}
LINE = orjson.dumps(RECORD)
PER_BLOCK = 4 * 1024 * 1024 // (len(LINE) + 1)
LAST_EVENT_ID = "the-last-record"


def block_time(number: int) -> bytes:
    moment = datetime(2024, 3, 1, 10, tzinfo=UTC) + timedelta(hours=number)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def write_gzipped_records(path: Path, content_bytes: int) -> int:
    """`{"Records": [...]}` of repeated records, gzipped at level 1 in 4 MB blocks, each block an hour
    after the one before, and a last record of its own (`LAST_EVENT_ID`); returns the count."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    count = blocks = 0
    with path.open("wb") as handle:
        handle.write(compressor.compress(b'{"Records": [\n'))
        while count * (len(LINE) + 1) < content_bytes:
            line = LINE.replace(RECORD["eventTime"].encode(), block_time(blocks))
            handle.write(compressor.compress(b",\n".join([line] * PER_BLOCK) + b",\n"))
            count += PER_BLOCK
            blocks += 1
        last = dict(RECORD, eventID=LAST_EVENT_ID, eventTime=block_time(blocks - 1).decode())
        handle.write(compressor.compress(orjson.dumps(last) + b"\n]}\n") + compressor.flush())
    return count + 1


@pytest.fixture(scope="module")
def gzipped_trail(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The 2 GB gzipped `Records` file (written once, about 18 MB on disk) and its number of events."""
    path = tmp_path_factory.mktemp("huge") / "trail.json.gz"
    return path, write_gzipped_records(path, 2 * GIB)


def write_ndjson(path: Path, content_bytes: int) -> int:
    block = (LINE + b"\n") * PER_BLOCK
    count = 0
    with path.open("wb") as handle:
        while count * (len(LINE) + 1) < content_bytes:
            handle.write(block)
            count += PER_BLOCK
    return count


def parent_pids() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    return parents


def child_pids(parent: int) -> set[int]:
    """The live children of a process (0: this one)."""
    parent = parent or os.getpid()
    return {pid for pid, its_parent in parent_pids().items() if its_parent == parent}


def tree_rss_bytes(root: int) -> int:
    """The resident memory of a process and all its descendants, summed."""
    parents = parent_pids()
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def query_with_peak_memory(path: Path) -> tuple[str, str, int, int]:
    """stdout, stderr, the peak sampled RSS of the process tree and the child's own peak (bytes)."""
    command = [
        sys.executable,
        "-m",
        "trailtui",
        "query",
        "stats count(*) as n",
        str(path),
        "--format",
        "ndjson",
    ]
    return run_with_peak_memory(command)


def run_with_peak_memory(command: list[str]) -> tuple[str, str, int, int]:
    """Run a command: stdout, stderr, the peak sampled RSS of its process tree and its own peak (bytes).

    The child's own peak is its VmHWM, sampled until it exits, not `ru_maxrss` from `wait4`: Linux carries
    the high-water mark of the memory a child had before `exec` (this test process's, forked) into
    `ru_maxrss`, so late in a full test run every child would seem to peak at pytest's own size."""
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = own_peak = 0
    finished = threading.Event()

    def sample() -> None:
        nonlocal peak, own_peak
        while not finished.wait(0.1):
            peak = max(peak, tree_rss_bytes(child.pid))
            own_peak = max(own_peak, high_water_bytes(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert child.stdout is not None and child.stderr is not None
    stdout, stderr = child.stdout.read(), child.stderr.read()
    child.wait()
    finished.set()
    sampler.join()
    assert child.returncode == 0, stderr
    return stdout.decode(), stderr.decode(), peak, own_peak


def high_water_bytes(pid: int) -> int:
    """A live process's peak resident memory since its `exec` (VmHWM); 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0)


@pytest.mark.parametrize("form", ["gzipped Records", "plain NDJSON"])
def test_a_2_gb_file_is_counted_in_bounded_memory(
    tmp_path: Path, form: str, gzipped_trail: tuple[Path, int]
) -> None:
    if form == "plain NDJSON":
        path = tmp_path / "events.ndjson"
        expected = write_ndjson(path, 2 * GIB)
    else:
        path, expected = gzipped_trail
    stdout, stderr, tree_peak, child_peak = query_with_peak_memory(path)
    assert orjson.loads(stdout) == {"n": str(expected)}
    assert "Traceback" not in stderr and "skipped" not in stderr
    assert 0 < tree_peak < MEMORY_BOUND_BYTES, f"process tree peaked at {tree_peak / 2**20:.0f} MB"
    assert child_peak < MEMORY_BOUND_BYTES, f"trailtui peaked at {child_peak / 2**20:.0f} MB"
    print(
        f"{form}: {expected:,} events; tree peak {tree_peak / 2**20:.0f} MB, own {child_peak / 2**20:.0f} MB"
    )


def python_with_peak_memory(script: str, *arguments: str) -> tuple[dict[str, Any], int]:
    """Run a Python script in a child process: the JSON it prints, and the larger of the two peaks."""
    stdout, stderr, tree_peak, child_peak = run_with_peak_memory([sys.executable, "-c", script, *arguments])
    assert "Traceback" not in stderr, stderr
    return orjson.loads(stdout), max(tree_peak, child_peak)


FIND_LAST = """
import sys, orjson
from trailtui.backends.local import LocalBackend
from trailtui.events.model import encode_ptr
path, ordinal = sys.argv[1], int(sys.argv[2])
event = LocalBackend([path]).find_event(encode_ptr(path, ordinal))
print(orjson.dumps({"eventID": event.record.get("eventID"), "ordinal": event.ordinal}).decode())
"""


def test_drill_down_to_the_last_record_of_a_2_gb_file_in_bounded_memory(
    gzipped_trail: tuple[Path, int],
) -> None:
    path, count = gzipped_trail
    found, peak = python_with_peak_memory(FIND_LAST, str(path), str(count - 1))
    assert found == {"eventID": LAST_EVENT_ID, "ordinal": count - 1}
    assert peak < READING_BOUND_BYTES, f"drill-down peaked at {peak / MIB:.0f} MB"
    print(f"find_event of record {count - 1:,}: peak {peak / MIB:.0f} MB")


BUILD_CACHE = """
import sys, orjson
from threading import Event
from trailtui.backends.local_cache import ARRAY_SECTIONS, build_cache
from trailtui.backends.local_scan import list_input_files
cache = build_cache(list_input_files(sys.argv[1:]), Event())
arrays = [cache._array(name) for name in ARRAY_SECTIONS if name != "explicit"]
held = sum(len(values) * values.itemsize for values in arrays) + sum(map(len, cache.blocks))
held += sum(len(column.codes) * column.codes.itemsize for column in cache.columns.values())
print(orjson.dumps({"rows": cache.size, "files": cache.report.files_read, "held": held}).decode())
"""


def test_the_session_cache_of_a_2_gb_file_is_built_in_bounded_memory(
    gzipped_trail: tuple[Path, int],
) -> None:
    """What the build holds beyond reading is the cache itself (per event: 16 bytes of row arrays, a
    byte per column of few values, its share of a compressed block), never the events."""
    path, count = gzipped_trail
    built, peak = python_with_peak_memory(BUILD_CACHE, str(path))
    assert (built["rows"], built["files"]) == (count, 1)
    assert built["held"] < 100 * count, "the cache keeps about 60 bytes an event here"
    bound = READING_BOUND_BYTES + built["held"]
    assert peak < bound, f"the cache build peaked at {peak / MIB:.0f} MB (bound {bound / MIB:.0f} MB)"
    print(f"cache of {count:,} events: holds {built['held'] / MIB:.0f} MB, peak {peak / MIB:.0f} MB")


REPLAY = """
import sys, orjson
from trailtui.replay import Replay
seen = {"events": 0, "in_order": True, "last": None, "previous": -1}
def on_events(batch):
    seen["events"] += len(batch)
    for event in batch:
        seen["in_order"] &= event.timestamp_ms >= seen["previous"]
        seen["previous"] = event.timestamp_ms
    seen["last"] = batch[-1].record.get("eventID")
replay = Replay(sys.argv[1:])
replay.subscribe(on_events)
status = replay.run()
print(orjson.dumps({
    "delivered": status.events_delivered, "late": status.late_events, "files": status.files_read,
    "seen": seen["events"], "in_order": seen["in_order"], "last": seen["last"],
}).decode())
"""


def test_a_2_gb_file_is_replayed_in_bounded_memory(gzipped_trail: tuple[Path, int]) -> None:
    """The file is handed on part by part; the reorder window (20 minutes, the blocks an hour apart)
    holds at most a block's events besides the part being read."""
    path, count = gzipped_trail
    replayed, peak = python_with_peak_memory(REPLAY, str(path))
    assert replayed == {
        "delivered": count,
        "late": 0,
        "files": 1,
        "seen": count,
        "in_order": True,
        "last": LAST_EVENT_ID,
    }
    assert peak < READING_BOUND_BYTES, f"the replay peaked at {peak / MIB:.0f} MB"
    print(f"replay of {count:,} events: peak {peak / MIB:.0f} MB")


def test_a_pattern_is_tested_over_a_2_gb_file_in_bounded_memory(gzipped_trail: tuple[Path, int]) -> None:
    """`trailtui test-pattern` tests a part of the file at a time and keeps only the matches."""
    path, count = gzipped_trail
    command = [sys.executable, "-m", "trailtui", "test-pattern", f'{{ $.eventID = "{LAST_EVENT_ID}" }}']
    stdout, stderr, tree_peak, own_peak = run_with_peak_memory([*command, str(path), "--format", "table"])
    assert f"1 of {count:,} events match" in stdout, stdout + stderr
    assert str(count - 1) in stdout and "Traceback" not in stderr, stdout + stderr
    peak = max(tree_peak, own_peak)
    assert peak < READING_BOUND_BYTES, f"test-pattern peaked at {peak / MIB:.0f} MB"
    print(f"test-pattern over {count:,} events: peak {peak / MIB:.0f} MB")
