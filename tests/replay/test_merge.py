"""The time-ordered merge: every source in eventTime order through a bounded reorder window."""

from __future__ import annotations

import random
from pathlib import Path

from tests.replay.helpers import (
    MINUTE_MS,
    T0_MS,
    Collector,
    ndjson,
    record,
    records_at,
    write_cloudtrail_file,
)

from trailtui.replay import DEFAULT_REORDER_WINDOW_MS, Replay


def overlapping_trail(root: Path, files: int = 12, per_file: int = 40) -> int:
    """Files per account every 5 minutes, each holding the previous 15 minutes of events, shuffled."""
    shuffle = random.Random(7)
    written = 0
    for account in ("111111111111", "222222222222", "333333333333"):
        for number in range(files):
            delivered_ms = T0_MS + (number + 1) * 5 * MINUTE_MS
            times = [delivered_ms - shuffle.randrange(15 * MINUTE_MS) for _ in range(per_file)]
            write_cloudtrail_file(root, delivered_ms, records_at(f"{account}-{number}", times), account)
            written += per_file
    return written


def test_overlapping_unordered_files_come_out_in_event_time_order(tmp_path: Path) -> None:
    written = overlapping_trail(tmp_path)
    collector = Collector().subscribe_to(replay := Replay([str(tmp_path)]))

    status = replay.run()

    assert collector.timestamps == sorted(collector.timestamps)
    assert len(set(collector.event_ids)) == written == status.events_delivered
    assert status.late_events == 0 and status.late_files == ()
    assert status.finished and status.files_read == 36 and status.files_pending == 0


def test_the_default_window_covers_cloudtrail_delivery_delay() -> None:
    assert DEFAULT_REORDER_WINDOW_MS == 20 * MINUTE_MS


def test_files_are_read_lazily_in_delivery_order(tmp_path: Path) -> None:
    for number in range(20):
        delivered_ms = T0_MS + number * 60 * MINUTE_MS
        write_cloudtrail_file(tmp_path, delivered_ms, records_at(f"f{number}", [delivered_ms - MINUTE_MS]))
    replay = Replay([str(tmp_path)], reorder_window_ms=5 * MINUTE_MS, batch_size=1)
    files_read_at_each_batch: list[int] = []
    replay.subscribe(lambda batch: files_read_at_each_batch.append(replay.status().files_read))

    replay.run()

    assert files_read_at_each_batch == list(range(1, 21))


def test_an_event_older_than_its_window_is_delivered_late_and_reported(tmp_path: Path) -> None:
    window_ms = 10 * MINUTE_MS
    on_time = write_cloudtrail_file(tmp_path, T0_MS, records_at("on-time", [T0_MS - MINUTE_MS]))
    late_records = [record("late", T0_MS - 3 * window_ms), record("fine", T0_MS + 29 * MINUTE_MS)]
    late = write_cloudtrail_file(tmp_path, T0_MS + 30 * MINUTE_MS, late_records, account="999999999999")
    collector = Collector().subscribe_to(replay := Replay([str(tmp_path)], reorder_window_ms=window_ms))

    status = replay.run()

    assert collector.event_ids == ["on-time-0", "late", "fine"]
    assert status.late_events == 1 and status.late_files == (str(late),)
    assert str(on_time) not in status.late_files


def test_events_out_of_order_within_the_window_are_not_late(tmp_path: Path) -> None:
    write_cloudtrail_file(tmp_path, T0_MS, records_at("a", [T0_MS - MINUTE_MS]))
    write_cloudtrail_file(tmp_path, T0_MS + 5 * MINUTE_MS, records_at("b", [T0_MS - 2 * MINUTE_MS]), "2" * 12)
    collector = Collector().subscribe_to(replay := Replay([str(tmp_path)]))

    assert replay.run().late_events == 0
    assert collector.event_ids == ["b-0", "a-0"]


def test_subscribers_receive_batches_no_larger_than_the_batch_size(tmp_path: Path) -> None:
    (tmp_path / "events.ndjson").write_bytes(ndjson(records_at("e", range(T0_MS, T0_MS + 95_000, 1000))))
    collector = Collector().subscribe_to(replay := Replay([str(tmp_path)], batch_size=10))

    replay.run()

    assert [len(batch) for batch in collector.batches] == [10] * 9 + [5]
    assert all(isinstance(batch, list) for batch in collector.batches)


def test_files_without_a_delivery_time_are_merged_whole(tmp_path: Path) -> None:
    (tmp_path / "late-export.ndjson").write_bytes(ndjson(records_at("x", [T0_MS - 100 * MINUTE_MS, T0_MS])))
    write_cloudtrail_file(tmp_path, T0_MS + 5 * MINUTE_MS, records_at("ct", [T0_MS + MINUTE_MS]))
    collector = Collector().subscribe_to(replay := Replay([str(tmp_path)]))

    assert replay.run().late_events == 0
    assert collector.event_ids == ["x-0", "x-1", "ct-0"]


def test_bad_records_are_counted_and_their_file_reported(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ndjson"
    path.write_bytes(ndjson(records_at("ok", [T0_MS])) + b"{not json\n")
    collector = Collector().subscribe_to(replay := Replay([str(path)]))

    status = replay.run()

    assert collector.event_ids == ["ok-0"]
    assert status.skipped_records == 1
    assert status.problem_lines == (f"{path}: 1 record skipped: invalid JSON at line 2",)


def test_the_real_corpus_comes_out_whole_and_in_time_order(corpus_dir: Path) -> None:
    paths = sorted(str(path) for path in corpus_dir.glob("*.ndjson"))
    collector = Collector().subscribe_to(replay := Replay(paths))

    status = replay.run()

    assert len(collector.events) == status.events_delivered == 3894
    assert collector.timestamps == sorted(collector.timestamps)
    assert status.late_events == 0
