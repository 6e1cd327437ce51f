"""A file too large to read whole is replayed part by part: its events are delivered, in time order,
before the file is read to its end (so it is never held whole); the reorder window still applies."""

from __future__ import annotations

import random
from pathlib import Path

from tests.replay.helpers import T0_MS, Collector, ndjson, record

from trailtui.events.readers import PART_EVENTS, STREAM_FROM_BYTES
from trailtui.replay import Replay

PADDING = "x" * 4_000
EVENTS = STREAM_FROM_BYTES // len(PADDING) + PART_EVENTS


def write_large_trail(path: Path, late_at_end: bool = False) -> list[int]:
    """NDJSON over the whole-file limit, an event per second, each up to 10 minutes out of order."""
    shuffle = random.Random(3)
    times = [T0_MS + (number - shuffle.randrange(600)) * 1_000 for number in range(EVENTS)]
    if late_at_end:
        times.append(T0_MS)
    records = [dict(record(f"e{number}", time_ms), pad=PADDING) for number, time_ms in enumerate(times)]
    path.write_bytes(ndjson(records))
    assert path.stat().st_size > STREAM_FROM_BYTES
    return times


def test_a_large_file_is_delivered_in_order_before_it_is_read_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "big.ndjson"
    times = write_large_trail(path)
    replay = Replay([str(path)])
    collector = Collector().subscribe_to(replay)
    files_read_at_each_batch: list[int] = []
    replay.subscribe(lambda batch: files_read_at_each_batch.append(replay.status().files_read))

    status = replay.run()

    assert collector.timestamps == sorted(times)
    assert status.events_delivered == len(times) and status.late_events == 0
    assert status.finished and status.files_read == 1 and status.files_pending == 0
    assert files_read_at_each_batch[0] == 0, "the first events wait for the whole file"
    assert files_read_at_each_batch.count(0) > len(files_read_at_each_batch) // 2


def test_an_event_older_than_the_window_in_a_large_file_is_delivered_late(tmp_path: Path) -> None:
    path = tmp_path / "big.ndjson"
    times = write_large_trail(path, late_at_end=True)
    collector = Collector().subscribe_to(replay := Replay([str(path)]))

    status = replay.run()

    assert sorted(collector.timestamps) == sorted(times)
    late_id = f"e{len(times) - 1}"
    on_time = [event.timestamp_ms for event in collector.events if event.record["eventID"] != late_id]
    assert on_time == sorted(times[:-1])
    assert status.late_events == 1 and status.late_files == (str(path),)
    assert status.events_delivered == len(times) and status.files_read == 1
