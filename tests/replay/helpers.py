"""Small real inputs for replay tests: CloudTrail events and files, a fake real-time clock, collectors."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from trailtui.events.model import Event
from trailtui.replay import Replay

T0_MS = int(datetime(2024, 3, 1, 12, 0, tzinfo=UTC).timestamp() * 1000)
MINUTE_MS = 60_000


def iso(time_ms: int) -> str:
    return datetime.fromtimestamp(time_ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(event_id: str, time_ms: int, name: str = "DescribeInstances") -> dict[str, Any]:
    return {
        "eventVersion": "1.08",
        "eventTime": iso(time_ms),
        "eventSource": "ec2.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1",
        "eventID": event_id,
    }


def records_at(prefix: str, times_ms: Iterable[int]) -> list[dict[str, Any]]:
    return [record(f"{prefix}-{position}", time_ms) for position, time_ms in enumerate(times_ms)]


def cloudtrail_bytes(records: list[dict[str, Any]]) -> bytes:
    return gzip.compress(orjson.dumps({"Records": records}))


def cloudtrail_path(
    root: Path, delivered_ms: int, account: str = "111122223333", region: str = "us-east-1"
) -> Path:
    """Where CloudTrail would deliver a file at `delivered_ms` (minute precision, as in its names)."""
    moment = datetime.fromtimestamp(delivered_ms / 1000, tz=UTC)
    folder = root / "AWSLogs" / account / "CloudTrail" / region / moment.strftime("%Y/%m/%d")
    stamp = moment.strftime("%Y%m%dT%H%MZ")
    return folder / f"{account}_CloudTrail_{region}_{stamp}_{account[-4:]}{stamp[-5:-1]}ab.json.gz"


def write_cloudtrail_file(
    root: Path, delivered_ms: int, records: list[dict[str, Any]], account: str = "111122223333"
) -> Path:
    path = cloudtrail_path(root, delivered_ms, account)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cloudtrail_bytes(records))
    return path


def ndjson(records: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(item) + b"\n" for item in records)


class FakeTime:
    """An injectable monotonic clock; `sleep` advances it at once instead of waiting."""

    def __init__(self) -> None:
        self.now_s = 1_000.0
        self.sleeps = 0

    def monotonic(self) -> float:
        return self.now_s

    def sleep(self, seconds: float) -> None:
        self.now_s += seconds
        self.sleeps += 1
        time.sleep(0)


class Collector:
    """Records what a replay hands its subscriber, with the fake time of each batch when there is one."""

    def __init__(self, fake_time: FakeTime | None = None) -> None:
        self.batches: list[list[Event]] = []
        self.delivered_at_s: dict[str, float] = {}
        self.clock_values: list[int] = []
        self.rewinds: list[int] = []
        self._fake_time = fake_time
        self._lock = threading.Lock()

    def subscribe_to(self, replay: Replay) -> Collector:
        replay.subscribe(self.on_events, on_clock=self.clock_values.append, on_rewind=self.rewinds.append)
        return self

    def on_events(self, batch: list[Event]) -> None:
        with self._lock:
            self.batches.append(batch)
            if self._fake_time is not None:
                for event in batch:
                    self.delivered_at_s[event.record["eventID"]] = self._fake_time.now_s

    @property
    def events(self) -> list[Event]:
        with self._lock:
            return [event for batch in self.batches for event in batch]

    @property
    def event_ids(self) -> list[str]:
        return [event.record["eventID"] for event in self.events]

    @property
    def timestamps(self) -> list[int]:
        return [event.timestamp_ms for event in self.events]


def start(replay: Replay) -> threading.Thread:
    thread = threading.Thread(target=replay.run, daemon=True)
    thread.start()
    return thread


def finish(replay: Replay, thread: threading.Thread) -> None:
    replay.stop()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the replay did not stop"


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the replay"
        time.sleep(0.002)
