"""Streamed reading gives what reading whole gives: the same events (record, ordinal, time, account,
region, message) and the same problem line, for every format and every kind of damage; parts are bounded."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from trailtui.events.readers import (
    STREAM_FROM_BYTES,
    FileReading,
    read_bytes,
    read_path,
    read_path_parts,
    read_record,
)
from trailtui.events.streaming import ArraySplitter

from .test_readers import ASSUME_ROLE, CREATE_KEY, ndjson, records_file, s3_path, write

STREAMED = {"stream_from": 0}


def tricky(number: int) -> dict[str, Any]:
    """A record whose strings hold brackets, quotes, escapes and `},{`, with nested arrays of objects."""
    return dict(
        CREATE_KEY,
        eventID=f"id-{number}",
        eventTime=f"2024-03-01T10:{number % 60:02d}:00Z",
        userAgent='agent "quoted" \\ back} ]{[ },{ \n new',
        resources=[{"ARN": f"arn:{number}"}, {"ARN": "x},{y"}, {"type": ["a", {"b": "]"}]}],
        requestParameters={"empty": {}, "list": [], "deep": [[[{"z": "\\\\"}]]]},
    )


MANY = [tricky(number) if number % 3 else dict(ASSUME_ROLE, eventID=str(number)) for number in range(300)]


def summary(reading: FileReading) -> tuple[Any, ...]:
    events = [
        (event.record, event.ordinal, event.timestamp_ms, event.account, event.region, event.message)
        for event in reading.events
    ]
    return events, reading.problem_line(), reading.skipped_records, len(reading.passed_over)


def assert_same(path: str, **options: Any) -> FileReading:
    whole = read_path(path, **options)
    streamed = read_path(path, **STREAMED, **options)
    assert summary(streamed) == summary(whole)
    assert streamed.byte_size == whole.byte_size
    parts = list(read_path_parts(path, **STREAMED, part_events=7, **options))
    assert [part.final for part in parts] == [False] * (len(parts) - 1) + [True]
    assert all(part.problem_line() is None for part in parts[:-1])
    assert sum(part.byte_size for part in parts) == whole.byte_size
    assert sum(part.content_size for part in parts) == whole.content_size
    ordinals = [event.ordinal for part in parts for event in part.events]
    assert ordinals == [event.ordinal for event in whole.events]
    if len(whole.events) > 20:
        assert len(parts) > 2
    return whole


def pretty_records(items: list[bytes]) -> bytes:
    return b'{\n  "Records": [\n    ' + b",\n    ".join(items) + b"\n  ]\n}\n"


def halved(data: bytes) -> bytes:
    return data[: len(data) // 2]


def dumps(record: object) -> bytes:
    return json.dumps(record, indent=2).encode()


CASES: dict[str, Callable[[], bytes]] = {
    "records.json.gz": lambda: gzip.compress(records_file(MANY)),
    "records-pretty.json": lambda: pretty_records([dumps(record) for record in MANY]),
    "events.ndjson": lambda: ndjson(MANY),
    "events-no-last-newline.ndjson": lambda: ndjson(MANY).rstrip(b"\n"),
    "array.json": lambda: orjson.dumps(MANY),
    "filter-log-events.json": lambda: orjson.dumps(
        {"events": [{"message": json.dumps(record)} for record in MANY], "searchedLogStreams": []}
    ),
    "lookup-events.json": lambda: orjson.dumps(
        {"Events": [{"CloudTrailEvent": orjson.dumps(record).decode()} for record in MANY]}
    ),
    "multi-member.json.gz": lambda: (
        gzip.compress(b'{"Records": [' + orjson.dumps(MANY[0]))
        + gzip.compress(b"," + orjson.dumps(MANY[1]) + b"]}")
    ),
    "bom.ndjson": lambda: b"\xef\xbb\xbf\n\n" + ndjson(MANY[:5]) + b"{oops\n" + ndjson(MANY[5:9]),
    "not-objects.json": lambda: records_file([CREATE_KEY, 42, "x", [1], None, ASSUME_ROLE]),
    "bad-ndjson.ndjson": lambda: (
        ndjson(MANY[:50])
        + b'{"eventName": oops}\n\n  \n42\n{"eventName": "\xff\xfe"}\n'
        + b'{"eventName": "Lone", "userAgent": "\\ud800"}\n'
        + ndjson(MANY[50:])
    ),
    "bad-records.json": lambda: pretty_records(
        [dumps(record) for record in MANY[:40]]
        + [b'{"eventName": nope}', b'{"eventName": "Bad\xff", "eventTime": "x"}']
        + [dumps(record) for record in MANY[40:80]]
        + [b'{"eventName": "Lone", "userAgent": "\\ud800"}']
        + [dumps(record) for record in MANY[80:]]
    ),
    "lone-surrogate.json": lambda: (
        b'{"Records": [' + orjson.dumps(CREATE_KEY) + b","
        b'{"eventName": "Lone", "eventTime": "2024-03-01T10:00:00Z", "userAgent": "\\udc00"}]}'
    ),
    "truncated.json.gz": lambda: halved(gzip.compress(records_file(MANY))),
    "truncated-ndjson.ndjson.gz": lambda: halved(gzip.compress(ndjson(MANY))),
    "corrupt-middle.json.gz": lambda: (
        gzip.compress(records_file(MANY[:2])) + gzip.compress(records_file(MANY))[:40] + b"\x00garbage" * 50
    ),
    "trailing-garbage.json": lambda: records_file(MANY) + b"}}} trailing",
    "records-not-a-list.json": lambda: b'{"Records": {"eventName": "x"}}' + b" " * 100,
    "text.json": lambda: b"hello, not JSON\n" * 10,
    "empty.json.gz": lambda: gzip.compress(b""),
    "blank.json": lambda: b" \n\t\n" * 10,
    "zero.json": lambda: b"",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_streamed_reading_gives_what_reading_whole_gives(tmp_path: Path, name: str) -> None:
    assert_same(write(tmp_path / name, CASES[name]()))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("stream_from", [STREAM_FROM_BYTES, 0], ids=["whole", "in parts"])
def test_a_record_alone_is_the_one_the_scan_numbered(tmp_path: Path, name: str, stream_from: int) -> None:
    """`read_record` (drill-down) finds every record under the number a scan gives it: a scan that passes
    over records (`admit`), streamed in parts of 7 events, or the file read whole."""
    path = write(tmp_path / name, CASES[name]())
    options = {"stream_from": stream_from, "part_events": 7}
    scanned = list(read_path_parts(path, admit=lambda record: "CreateKey" not in str(record), **options))
    numbered = {event.ordinal: event.record for part in scanned for event in part.events}
    numbered.update(
        (ordinal, record)
        for part in scanned
        for ordinal, record in zip(_passed_over_ordinals(part), part.passed_over, strict=True)
    )
    whole = read_path(path, stream_from=stream_from)
    assert sorted(numbered) == [event.ordinal for event in whole.events] == list(range(len(whole.events)))
    for ordinal, record in numbered.items():
        found = read_record(path, ordinal, **options)
        assert found is not None and (found.ordinal, found.record) == (ordinal, record)
        assert found.timestamp_ms == whole.events[ordinal].timestamp_ms
    assert read_record(path, len(numbered), **options) is None
    assert read_record(path, -1, **options) is None


def _passed_over_ordinals(part: FileReading) -> list[int]:
    """The ordinals a part's events leave free: those of its passed-over records, in order."""
    taken = {event.ordinal for event in part.events}
    return [ordinal for ordinal in range(part.first_ordinal, part.next_ordinal) if ordinal not in taken]


def test_the_expected_problem_lines_when_streamed(tmp_path: Path) -> None:
    data = CASES["bad-records.json"]()
    path = write(tmp_path / "bad-records.json", data)
    reading = assert_same(path)
    assert len(reading.events) == len(MANY) + 1
    line = data[: data.index(b'{"eventName": nope}')].count(b"\n") + 1
    assert reading.problem_line() == f"{path}: 2 records skipped: invalid JSON at line {line}"
    truncated = assert_same(write(tmp_path / "t.json.gz", CASES["truncated.json.gz"]()))
    assert 0 < len(truncated.events) < len(MANY)
    assert truncated.skipped_records == 1
    assert "truncated gzip data" in (truncated.problem_line() or "")


def test_s3_layout_hints_and_admit_apply_to_streamed_parts(tmp_path: Path) -> None:
    records = [{key: value for key, value in r.items() if key != "recipientAccountId"} for r in MANY]
    path = write(s3_path(tmp_path), gzip.compress(records_file(records)))
    reading = assert_same(path, admit=lambda record: record.get("eventName") == "CreateKey")
    assert reading.events and reading.passed_over
    assert {event.account for event in reading.events} == {"111122223333"}


def test_stdin_and_bytes_stream_too(tmp_path: Path) -> None:
    data = gzip.compress(ndjson(MANY))
    assert summary(read_bytes("-", data, stream_from=0)) == summary(read_bytes("-", data))


def test_a_large_document_in_no_streamable_format_is_skipped_with_a_reason(tmp_path: Path) -> None:
    path = write(tmp_path / "one.json", orjson.dumps(dict(CREATE_KEY, big="x" * 1000)))
    assert len(read_path(path).events) == 1
    reason = read_path(path, stream_from=0).skipped_file_reason or ""
    assert reason.startswith("not CloudTrail (too large to read whole")


def test_a_damaged_export_keeps_its_good_entries_when_streamed(tmp_path: Path) -> None:
    good = {"message": orjson.dumps(CREATE_KEY).decode()}
    data = b'{"events": [' + orjson.dumps(good) + b',{"message": oops},' + orjson.dumps(good) + b"]}"
    path = write(tmp_path / "export.json", data)
    assert read_path(path).skipped_file_reason == "not CloudTrail (invalid JSON, no Records)"
    streamed = read_path(path, stream_from=0)
    assert len(streamed.events) == 2
    assert streamed.problem_line() == f"{path}: 1 record skipped: invalid JSON at line 1"


def test_an_unbalanced_record_does_not_hide_the_records_after_it(tmp_path: Path) -> None:
    good = [orjson.dumps(dict(CREATE_KEY, eventID=str(n))) for n in range(3)]
    data = b'{"Records": [' + good[0] + b',{"eventName": {"x": 1}, ' + b",".join(good[1:]) + b"]}"
    reading = read_path(write(tmp_path / "r.json", data), stream_from=0)
    assert [event.record.get("eventID") for event in reading.events] == ["0", "1", "2"]
    assert reading.skipped_records == 1


def test_an_unfinished_string_at_the_end_is_one_bad_record(tmp_path: Path) -> None:
    data = b'{"Records": [' + orjson.dumps(CREATE_KEY) + b',{"eventName": "never ends'
    reading = read_path(write(tmp_path / "r.json", data), stream_from=0)
    assert len(reading.events) == 1
    assert reading.skipped_records == 1


def test_the_splitter_cuts_the_same_elements_whatever_the_piece_size() -> None:
    data = records_file(MANY)
    opening = data.index(b"[") + 1
    expected = [orjson.loads(element.data) for element in ArraySplitter(iter([]), data, opening, 1 << 30)]
    assert expected == MANY
    for size in (1, 2, 7, 100, 4096):
        pieces = iter([data[offset : offset + size] for offset in range(opening, len(data), size)])
        elements = list(ArraySplitter(pieces, data[:opening], opening, 1 << 30))
        assert [orjson.loads(element.data) for element in elements] == MANY


def test_an_oversized_record_is_skipped_without_being_held(tmp_path: Path) -> None:
    data = b'{"Records": [' + orjson.dumps(CREATE_KEY) + b","
    data += orjson.dumps(dict(ASSUME_ROLE, huge="y" * 5000)) + b"," + orjson.dumps(CREATE_KEY) + b"]}"
    pieces = iter([data[offset : offset + 100] for offset in range(13, len(data), 100)])
    elements = list(ArraySplitter(pieces, b'{"Records": [', 13, max_element=1000))
    assert [element.complete for element in elements] == [True, False, True]
    assert orjson.loads(elements[2].data) == CREATE_KEY


def test_gzip_pieces_stay_bounded_for_a_highly_compressible_file(tmp_path: Path) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    line = ndjson([CREATE_KEY])
    data = compressor.compress(line * 200_000) + compressor.flush()
    assert len(data) < len(line) * 200_000 // 100
    parts = list(read_path_parts(write(tmp_path / "z.ndjson.gz", data), stream_from=0, part_events=50_000))
    assert [len(part.events) for part in parts[:-1]] and max(len(part.events) for part in parts) < 60_000
    assert sum(len(part.events) for part in parts) == 200_000
