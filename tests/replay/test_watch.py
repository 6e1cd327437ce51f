"""When a watched file counts as complete, and how growing NDJSON is cut into complete lines."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
from tests.replay.helpers import T0_MS, ndjson, records_at

from trailtui.events.follow import NdjsonLines
from trailtui.replay.watch import DirectoryWatcher, is_whole_gzip


def test_a_gzip_stream_is_whole_only_with_its_trailer() -> None:
    data = gzip.compress(b'{"Records": []}' * 1000)

    assert is_whole_gzip(data)
    assert is_whole_gzip(data + gzip.compress(b"more"))
    assert not is_whole_gzip(data[:-1])
    assert not is_whole_gzip(data + gzip.compress(b"more")[:10])


def test_a_json_document_is_reported_once_when_it_parses(tmp_path: Path) -> None:
    path = tmp_path / "trail.json"
    document = orjson.dumps({"Records": records_at("e", [T0_MS])})
    watcher = DirectoryWatcher(str(tmp_path))

    path.write_bytes(document[:-5])
    assert watcher.poll() == [] and watcher.poll() == []
    path.write_bytes(document)
    assert watcher.poll() == [str(path)]
    assert watcher.poll() == []


def test_an_ndjson_file_is_complete_when_its_size_holds_for_two_polls(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    path.write_bytes(ndjson(records_at("e", [T0_MS])))
    watcher = DirectoryWatcher(str(tmp_path))

    assert watcher.poll() == []
    assert watcher.poll() == [str(path)]


def test_temporary_download_names_and_digests_are_never_read(tmp_path: Path) -> None:
    (tmp_path / "trail.json.gz.a1B2c3D4").write_bytes(gzip.compress(b'{"Records": []}'))
    digest = tmp_path / "CloudTrail-Digest" / "111122223333_CloudTrail-Digest_us-east-1_x.json.gz"
    digest.parent.mkdir()
    digest.write_bytes(gzip.compress(b"{}"))
    watcher = DirectoryWatcher(str(tmp_path))

    assert watcher.poll() == [] and watcher.poll() == []


def test_ndjson_fed_in_pieces_numbers_records_and_lines_across_pieces() -> None:
    data = ndjson(records_at("e", [T0_MS, T0_MS + 1])) + b"{broken\n" + ndjson(records_at("f", [T0_MS + 2]))
    lines = NdjsonLines("live.ndjson")

    readings = [lines.feed(data[start : start + 50]) for start in range(0, len(data), 50)]

    events = [event for reading in readings for event in reading.events]
    assert [(event.record["eventID"], event.ordinal) for event in events] == [
        ("e-0", 0),
        ("e-1", 1),
        ("f-0", 2),
    ]
    problems = [reading.problem_line() for reading in readings if reading.problem_line()]
    assert problems == ["live.ndjson: 1 record skipped: invalid JSON at line 3"]


def test_an_unfinished_last_line_waits_for_its_newline() -> None:
    line = ndjson(records_at("e", [T0_MS]))
    lines = NdjsonLines("live.ndjson")

    assert lines.feed(line[:-1]).events == []
    assert [event.record["eventID"] for event in lines.feed(b"\n").events] == ["e-0"]
