"""Seeking: forward skips without delivering (or reading) what lies before; backward starts over."""

from __future__ import annotations

from pathlib import Path

from tests.replay.helpers import (
    MINUTE_MS,
    T0_MS,
    Collector,
    FakeTime,
    finish,
    records_at,
    start,
    wait_until,
    write_cloudtrail_file,
)

from trailtui.events.model import Event
from trailtui.replay import Replay

HOUR_MS = 60 * MINUTE_MS


def hourly_trail(root: Path, hours: int = 10) -> None:
    """One file an hour, with events one and two minutes before its delivery."""
    for hour in range(hours):
        delivered_ms = T0_MS + hour * HOUR_MS
        times = [delivered_ms - MINUTE_MS, delivered_ms - 2 * MINUTE_MS]
        write_cloudtrail_file(root, delivered_ms, records_at(f"h{hour}", times))


def test_seeking_forward_delivers_only_what_follows_and_skips_earlier_files(tmp_path: Path) -> None:
    hourly_trail(tmp_path)
    replay = Replay([str(tmp_path)])
    collector = Collector().subscribe_to(replay)
    target_ms = T0_MS + 6 * HOUR_MS - 90_000

    replay.seek(target_ms)
    status = replay.run()

    assert collector.event_ids == ["h6-0", "h7-1", "h7-0", "h8-1", "h8-0", "h9-1", "h9-0"]
    assert collector.clock_values[0] == target_ms
    assert status.files_read == 4 and status.late_events == 0


def test_seeking_backward_starts_over_from_the_files(tmp_path: Path) -> None:
    hourly_trail(tmp_path)
    replay = Replay([str(tmp_path)], batch_size=1)
    collector = Collector().subscribe_to(replay)
    rewind_ms = T0_MS + 2 * HOUR_MS

    def seek_back_once(batch: list[Event]) -> None:
        if batch[0].record["eventID"] == "h8-0" and not collector.rewinds:
            replay.seek(rewind_ms)

    replay.subscribe(seek_back_once)
    status = replay.run()

    assert collector.rewinds == [rewind_ms]
    first_pass, second_pass = split_at_rewind(collector.event_ids, "h8-0")
    assert first_pass[-1] == "h8-0" and len(first_pass) == 18
    assert second_pass == [f"h{hour}-{n}" for hour in range(3, 10) for n in (1, 0)]
    assert status.events_delivered == len(second_pass) and status.late_events == 0


def split_at_rewind(event_ids: list[str], last_before_rewind: str) -> tuple[list[str], list[str]]:
    position = event_ids.index(last_before_rewind) + 1
    return event_ids[:position], event_ids[position:]


def test_seeking_while_paused_moves_the_clock_and_delivers_nothing(tmp_path: Path) -> None:
    hourly_trail(tmp_path)
    fake_time = FakeTime()
    replay = Replay(
        [str(tmp_path)], speed=100, paused=True, monotonic=fake_time.monotonic, sleep=fake_time.sleep
    )
    collector = Collector().subscribe_to(replay)
    thread = start(replay)
    target_ms = T0_MS + 9 * HOUR_MS - 90_000

    replay.seek(target_ms)
    wait_until(lambda: replay.status().clock_ms == target_ms)
    assert collector.events == []
    replay.resume()
    thread.join(timeout=10)

    assert collector.event_ids == ["h9-0"]
    finish(replay, thread)


def test_a_finished_replay_runs_again_from_a_seek(tmp_path: Path) -> None:
    hourly_trail(tmp_path, hours=3)
    replay = Replay([str(tmp_path)])
    collector = Collector().subscribe_to(replay)
    replay.run()

    replay.seek(T0_MS + 2 * HOUR_MS - 90_000)
    status = replay.run()

    assert collector.rewinds == [T0_MS + 2 * HOUR_MS - 90_000]
    assert collector.event_ids[-1:] == ["h2-0"] and status.events_delivered == 1
