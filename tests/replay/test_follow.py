"""Follow mode: a directory filling up, a growing NDJSON file, and stdin; nothing dropped, nothing twice."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import orjson
from tests.replay.helpers import (
    MINUTE_MS,
    T0_MS,
    Collector,
    FakeTime,
    cloudtrail_bytes,
    cloudtrail_path,
    finish,
    ndjson,
    record,
    records_at,
    start,
    wait_until,
)

from trailtui.replay import Replay

POLL_S = 0.01


def write_in_steps(path: Path, data: bytes, steps: int = 3) -> None:
    """Write a file in pieces, pausing longer than a poll between them, as a slow download does."""
    path.parent.mkdir(parents=True, exist_ok=True)
    piece = -(-len(data) // steps)
    with open(path, "wb") as handle:
        for start_at in range(0, len(data), piece):
            handle.write(data[start_at : start_at + piece])
            handle.flush()
            time.sleep(3 * POLL_S)


def write_by_rename(path: Path, data: bytes) -> None:
    """Write under a temporary name, as `aws s3 sync` does, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".a1B2c3D4")
    write_in_steps(temporary, data)
    os.replace(temporary, path)


def delivery(number: int) -> int:
    return T0_MS + (number + 1) * 5 * MINUTE_MS


def batch_records(number: int) -> list[dict[str, Any]]:
    return records_at(f"f{number}", [delivery(number) - offset * MINUTE_MS for offset in (9, 1, 4, 7)])


class LiveWallClock:
    """The wall clock of a live trail: it reads the delivery time of the file being written."""

    def __init__(self) -> None:
        self.now_ms = float(T0_MS)

    def __call__(self) -> float:
        return self.now_ms


def fill_directory(root: Path, collector: Collector, wall_clock: LiveWallClock) -> list[Path]:
    """Eight overlapping files written in steps, three ways, as they are delivered; then two late ones."""
    for number in range(8):
        wall_clock.now_ms = delivery(number)
        path = cloudtrail_path(root, delivery(number))
        if number % 3 == 0:
            write_in_steps(path, cloudtrail_bytes(batch_records(number)))
        elif number % 3 == 1:
            write_in_steps(path.with_suffix(""), orjson.dumps({"Records": batch_records(number)}))
        else:
            write_by_rename(
                path.with_name(path.name.replace(".json.gz", ".ndjson")), ndjson(batch_records(number))
            )
    wall_clock.now_ms = delivery(7) + 30 * MINUTE_MS
    wait_until(lambda: len(collector.events) == 32)
    late_in_event_time = cloudtrail_path(root, delivery(9))
    write_in_steps(late_in_event_time, cloudtrail_bytes([record("late-1", T0_MS - 60 * MINUTE_MS)]))
    late_delivery = cloudtrail_path(root, delivery(2), account="444455556666")
    write_in_steps(late_delivery, cloudtrail_bytes([record("late-2", delivery(2) - MINUTE_MS)]))
    return [late_in_event_time, late_delivery]


def test_following_a_directory_as_it_fills_drops_nothing_and_repeats_nothing(tmp_path: Path) -> None:
    wall_clock = LiveWallClock()
    replay = Replay([str(tmp_path)], follow=True, poll_interval_s=POLL_S, wall_clock_ms=wall_clock)
    collector = Collector().subscribe_to(replay)
    thread = start(replay)
    late_files: list[Path] = []
    writer = threading.Thread(
        target=lambda: late_files.extend(fill_directory(tmp_path, collector, wall_clock))
    )
    writer.start()

    writer.join(timeout=30)
    wait_until(lambda: len(collector.events) == 34)
    time.sleep(5 * POLL_S)
    finish(replay, thread)

    event_ids = collector.event_ids
    expected = {f"f{number}-{n}" for number in range(8) for n in range(4)} | {"late-1", "late-2"}
    assert len(event_ids) == len(set(event_ids)) and set(event_ids) == expected
    assert collector.timestamps[:32] == sorted(collector.timestamps[:32])
    status = replay.status()
    assert status.late_events == 2 and set(status.late_files) == {str(path) for path in late_files}
    assert status.following and status.files_read == 10 and status.problem_lines == ()


def test_a_historical_trail_followed_is_released_as_it_is_read(tmp_path: Path) -> None:
    replay = Replay([str(tmp_path)], follow=True, poll_interval_s=POLL_S)
    collector = Collector().subscribe_to(replay)
    thread = start(replay)

    write_by_rename(cloudtrail_path(tmp_path, delivery(0)), cloudtrail_bytes(batch_records(0)))
    wait_until(lambda: len(collector.events) == 4)
    finish(replay, thread)

    assert collector.timestamps == sorted(collector.timestamps)


def test_following_a_growing_ndjson_file_reads_only_complete_lines(tmp_path: Path) -> None:
    path = tmp_path / "live.ndjson"
    lines = ndjson(records_at("e", [T0_MS, T0_MS + 1000, T0_MS + 2000]))
    path.write_bytes(lines[:-20])
    fake_time = FakeTime()
    replay = Replay([str(path)], follow=True, monotonic=fake_time.monotonic, sleep=fake_time.sleep)
    collector = Collector().subscribe_to(replay)
    thread = start(replay)

    wait_until(lambda: len(collector.events) == 2)
    written_at_s = fake_time.now_s
    wait_until(lambda: fake_time.now_s > written_at_s + 3)
    assert collector.event_ids == ["e-0", "e-1"]
    with open(path, "ab") as handle:
        handle.write(lines[-20:])
    wait_until(lambda: len(collector.events) == 3)
    finish(replay, thread)

    assert collector.event_ids == ["e-0", "e-1", "e-2"]
    assert [event.ordinal for event in collector.events] == [0, 1, 2]


def test_following_stdin_reads_a_pipe_until_it_closes(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    data = ndjson(records_at("s", [T0_MS + second * 1000 for second in range(50)]))
    data = data.rstrip(b"\n")

    def feed() -> None:
        with open(writer, "wb") as pipe:
            for start_at in range(0, len(data), 777):
                pipe.write(data[start_at : start_at + 777])
                pipe.flush()
                time.sleep(0.002)

    with open(reader, "rb") as stdin:
        replay = Replay(["-"], follow=True, stdin=stdin, poll_interval_s=POLL_S)
        collector = Collector().subscribe_to(replay)
        feeder = threading.Thread(target=feed)
        feeder.start()
        thread = start(replay)
        thread.join(timeout=10)
        feeder.join(timeout=10)

    assert not thread.is_alive()
    assert collector.event_ids == [f"s-{n}" for n in range(50)]
    assert replay.status().finished and replay.status().late_events == 0
