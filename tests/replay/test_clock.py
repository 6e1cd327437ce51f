"""Speed, pause and the clock callback, measured on an injected clock (never on wall-clock speed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.replay.helpers import T0_MS, Collector, FakeTime, finish, ndjson, records_at, start, wait_until

from trailtui.replay import Replay

SECOND_MS = 1000


def trail(tmp_path: Path, offsets_s: list[int]) -> str:
    path = tmp_path / "trail.ndjson"
    path.write_bytes(ndjson(records_at("e", [T0_MS + offset * SECOND_MS for offset in offsets_s])))
    return str(path)


def real_time_replay(path: str, fake_time: FakeTime, speed: float) -> Replay:
    return Replay([path], speed=speed, monotonic=fake_time.monotonic, sleep=fake_time.sleep)


def test_events_arrive_at_n_times_real_time(tmp_path: Path) -> None:
    fake_time = FakeTime()
    replay = real_time_replay(trail(tmp_path, [0, 10, 60, 600]), fake_time, speed=10)
    collector = Collector(fake_time).subscribe_to(replay)
    started_s = fake_time.now_s

    replay.run()

    delays_s = [collector.delivered_at_s[f"e-{n}"] - started_s for n in range(4)]
    assert delays_s == pytest.approx([0, 1, 6, 60], abs=0.01)


def test_the_speed_can_change_while_running(tmp_path: Path) -> None:
    fake_time = FakeTime()
    replay = real_time_replay(trail(tmp_path, [0, 100, 1100]), fake_time, speed=1)
    collector = Collector(fake_time).subscribe_to(replay)
    replay.subscribe(lambda batch: replay.set_speed(1000) if batch[0].record["eventID"] == "e-1" else None)
    started_s = fake_time.now_s

    replay.run()

    assert collector.delivered_at_s["e-1"] - started_s == pytest.approx(100, abs=0.01)
    assert collector.delivered_at_s["e-2"] - started_s == pytest.approx(101, abs=0.01)
    assert replay.status().speed == 1000


def test_as_fast_as_possible_needs_no_waiting(tmp_path: Path) -> None:
    fake_time = FakeTime()
    replay = real_time_replay(trail(tmp_path, [0, 3600, 7200]), fake_time, speed=1)
    replay.set_speed(None)

    replay.run()

    assert fake_time.sleeps == 0
    assert replay.status().events_delivered == 3


def test_the_clock_advances_through_quiet_periods(tmp_path: Path) -> None:
    fake_time = FakeTime()
    replay = real_time_replay(trail(tmp_path, [0, 60]), fake_time, speed=10)
    collector = Collector(fake_time).subscribe_to(replay)

    replay.run()

    quiet = [value for value in collector.clock_values if T0_MS < value < T0_MS + 60 * SECOND_MS]
    assert len(quiet) >= 50
    assert collector.clock_values == sorted(collector.clock_values)
    assert collector.clock_values[-1] == T0_MS + 60 * SECOND_MS


def test_a_paused_replay_holds_its_clock_until_resumed(tmp_path: Path) -> None:
    fake_time = FakeTime()
    replay = real_time_replay(trail(tmp_path, [0, 10]), fake_time, speed=1)
    collector = Collector(fake_time).subscribe_to(replay)
    replay.subscribe(lambda batch: replay.pause() if batch[0].record["eventID"] == "e-0" else None)
    started_s = fake_time.now_s
    thread = start(replay)

    wait_until(lambda: replay.status().paused and fake_time.now_s - started_s > 100)
    paused = replay.status()
    replay.resume()
    thread.join(timeout=10)

    assert paused.clock_ms == T0_MS and paused.events_delivered == 1
    assert collector.delivered_at_s["e-1"] - started_s > 110
    assert replay.status().events_delivered == 2 and not replay.status().paused
    finish(replay, thread)


def test_a_replay_can_start_paused_and_be_stopped(tmp_path: Path) -> None:
    replay = Replay([trail(tmp_path, [0])], paused=True)
    thread = start(replay)

    wait_until(lambda: replay.status().files_pending == 1)
    finish(replay, thread)

    assert replay.status().events_delivered == 0


@pytest.mark.parametrize("speed", [0, 0.5, 10_001])
def test_speeds_outside_1_to_10000_are_refused(tmp_path: Path, speed: float) -> None:
    with pytest.raises(ValueError, match="between 1 and 10000"):
        Replay([trail(tmp_path, [0])], speed=speed)
    with pytest.raises(ValueError, match="between 1 and 10000"):
        Replay([trail(tmp_path, [0])]).set_speed(speed)


def test_the_status_reports_progress(tmp_path: Path) -> None:
    fake_time = FakeTime()
    replay = real_time_replay(trail(tmp_path, list(range(0, 20))), fake_time, speed=1)

    status = replay.run()

    assert status.finished and not status.following and status.speed == 1
    assert status.clock_ms == T0_MS + 19 * SECOND_MS
    assert status.events_delivered == 20 and status.files_read == 1
    assert 0.5 <= status.events_per_second <= 2
