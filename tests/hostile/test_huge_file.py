"""A 2 GB (decompressed) CloudTrail file through `trailtui query`: the count is right and memory stays
bounded (peak RSS of the whole process tree, sampled, and the child's own from `os.wait4`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import orjson
import pytest

GIB = 1024**3
MEMORY_BOUND_BYTES = 600 * 1024 * 1024
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


def write_gzipped_records(path: Path, content_bytes: int) -> int:
    """`{"Records": [...]}` of repeated records, gzipped at level 1 in 4 MB blocks; returns the count."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    block = b",".join([LINE] * PER_BLOCK)
    count = 0
    with path.open("wb") as handle:
        handle.write(compressor.compress(b'{"Records": [\n' + block))
        count += PER_BLOCK
        while count * (len(LINE) + 1) < content_bytes:
            handle.write(compressor.compress(b",\n" + block))
            count += PER_BLOCK
        handle.write(compressor.compress(b"\n]}\n") + compressor.flush())
    return count


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
    """stdout, stderr, the peak sampled RSS of the process tree and the child's ru_maxrss (bytes)."""
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
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    finished = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not finished.wait(0.1):
            peak = max(peak, tree_rss_bytes(child.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert child.stdout is not None and child.stderr is not None
    stdout, stderr = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    finished.set()
    sampler.join()
    assert child.returncode == 0, stderr
    return stdout.decode(), stderr.decode(), peak, usage.ru_maxrss * 1024


@pytest.mark.parametrize("form", ["gzipped Records", "plain NDJSON"])
def test_a_2_gb_file_is_counted_in_bounded_memory(tmp_path: Path, form: str) -> None:
    if form == "plain NDJSON":
        path = tmp_path / "events.ndjson"
        expected = write_ndjson(path, 2 * GIB)
    else:
        path = tmp_path / "trail.json.gz"
        expected = write_gzipped_records(path, 2 * GIB)
    stdout, stderr, tree_peak, child_peak = query_with_peak_memory(path)
    assert orjson.loads(stdout) == {"n": str(expected)}
    assert "Traceback" not in stderr and "skipped" not in stderr
    assert 0 < tree_peak < MEMORY_BOUND_BYTES, f"process tree peaked at {tree_peak / 2**20:.0f} MB"
    assert child_peak < MEMORY_BOUND_BYTES, f"trailtui peaked at {child_peak / 2**20:.0f} MB"
    print(
        f"{form}: {expected:,} events; tree peak {tree_peak / 2**20:.0f} MB, own {child_peak / 2**20:.0f} MB"
    )
