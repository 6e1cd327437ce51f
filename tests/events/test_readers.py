"""Every input format, and every kind of bad input, read by the CloudTrail readers."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import orjson

from trailtui.events.model import decode_ptr
from trailtui.events.readers import read_path, read_paths

CREATE_KEY = {
    "eventVersion": "1.08",
    "eventTime": "2024-03-01T10:00:00Z",
    "eventSource": "kms.amazonaws.com",
    "eventName": "CreateKey",
    "awsRegion": "eu-west-1",
    "recipientAccountId": "111122223333",
    "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice"},
}
ASSUME_ROLE = {
    "eventVersion": "1.08",
    "eventTime": "2024-03-01T10:05:00Z",
    "eventSource": "sts.amazonaws.com",
    "eventName": "AssumeRole",
    "awsRegion": "us-east-1",
    "recipientAccountId": "111122223333",
}


def records_file(records: list[object]) -> bytes:
    return orjson.dumps({"Records": records})


def ndjson(records: list[object]) -> bytes:
    return b"".join(orjson.dumps(record) + b"\n" for record in records)


def write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def s3_path(root: Path, account: str = "111122223333", region: str = "eu-west-1") -> Path:
    name = f"{account}_CloudTrail_{region}_20240301T1000Z_abc123.json.gz"
    return root / "AWSLogs" / account / "CloudTrail" / region / "2024" / "03" / "01" / name


def test_s3_layout_gzipped_records_file_gives_every_record(tmp_path: Path) -> None:
    path = write(s3_path(tmp_path), gzip.compress(records_file([CREATE_KEY, ASSUME_ROLE])))
    reading = read_path(path)
    assert [event.record["eventName"] for event in reading.events] == ["CreateKey", "AssumeRole"]
    assert reading.problem_line() is None


def test_log_stream_and_log_group_follow_cloudwatch_naming(tmp_path: Path) -> None:
    path = write(s3_path(tmp_path), gzip.compress(records_file([CREATE_KEY])))
    event = read_path(path).events[0]
    assert event.get("@logStream") == "111122223333_CloudTrail_eu-west-1"
    assert event.get("@log") == "111122223333:CloudTrail/DefaultLogGroup"


def test_plain_records_file(tmp_path: Path) -> None:
    reading = read_path(write(tmp_path / "trail.json", records_file([CREATE_KEY])))
    assert reading.events[0].get("userIdentity.arn") == "arn:aws:iam::111122223333:user/alice"


def test_ndjson_plain_and_gzipped(tmp_path: Path) -> None:
    plain = read_path(write(tmp_path / "events.ndjson", ndjson([CREATE_KEY, ASSUME_ROLE])))
    zipped = read_path(write(tmp_path / "events.ndjson.gz", gzip.compress(ndjson([CREATE_KEY, ASSUME_ROLE]))))
    assert len(plain.events) == len(zipped.events) == 2


def test_filter_log_events_output_keeps_each_message_text_exactly(tmp_path: Path) -> None:
    message = '{"eventName": "CreateKey", "eventTime": "2024-03-01T10:00:00Z"}'
    export = {
        "events": [{"logStreamName": "s", "timestamp": 1, "message": message}],
        "searchedLogStreams": [],
    }
    event = read_path(write(tmp_path / "export.json", orjson.dumps(export))).events[0]
    assert event.message == message
    assert event.get("eventName") == "CreateKey"


def test_lookup_events_output_reads_cloudtrail_event_strings(tmp_path: Path) -> None:
    export = {"Events": [{"EventId": "1", "CloudTrailEvent": orjson.dumps(ASSUME_ROLE).decode()}]}
    event = read_path(write(tmp_path / "lookup.json", orjson.dumps(export))).events[0]
    assert event.get("eventName") == "AssumeRole"


def test_stdin_is_read_for_dash() -> None:
    reading = read_path("-", io.BytesIO(ndjson([CREATE_KEY])))
    assert reading.events[0].source == "-"


def test_digest_files_are_skipped_and_named(tmp_path: Path) -> None:
    digest = tmp_path / "AWSLogs" / "1" / "CloudTrail-Digest" / "d.json.gz"
    reading = read_path(write(digest, gzip.compress(b'{"digestStartTime": "x"}')))
    assert reading.skipped_file_reason == "CloudTrail digest file"


def test_json_that_is_not_cloudtrail_is_skipped(tmp_path: Path) -> None:
    reading = read_path(write(tmp_path / "package.json", b'{"name": "left-pad"}'))
    assert (
        reading.problem_line()
        == f"{tmp_path / 'package.json'}: skipped: not CloudTrail (no Records, events or Events)"
    )


def test_records_that_is_not_a_list_is_skipped(tmp_path: Path) -> None:
    reading = read_path(write(tmp_path / "x.json", b'{"Records": {"a": 1}}'))
    assert reading.skipped_file_reason == "not CloudTrail (Records is not a list)"


def test_truncated_gzip_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    many = [dict(CREATE_KEY, eventID=str(number)) for number in range(200)]
    whole = gzip.compress(records_file(many))
    reading = read_path(write(tmp_path / "cut.json.gz", whole[: len(whole) * 3 // 4]))
    assert 0 < len(reading.events) < 200
    assert reading.skipped_records == 1
    assert "truncated gzip data" in (reading.problem_line() or "")


def test_gzip_of_garbage_is_a_corrupt_file(tmp_path: Path) -> None:
    reading = read_path(write(tmp_path / "bad.json.gz", b"\x1f\x8b" + b"not deflate at all" * 10))
    assert reading.events == []
    assert (reading.skipped_file_reason or "").startswith("corrupt gzip data")


def test_zero_byte_file_is_reported_empty(tmp_path: Path) -> None:
    assert read_path(write(tmp_path / "empty.json", b"")).skipped_file_reason == "empty file"


def test_invalid_json_line_in_ndjson_is_counted_with_its_line(tmp_path: Path) -> None:
    data = ndjson([CREATE_KEY]) + b'{"eventName": oops}\n' + ndjson([ASSUME_ROLE])
    reading = read_path(write(tmp_path / "e.ndjson", data))
    assert len(reading.events) == 2
    assert reading.problem_line() == f"{tmp_path / 'e.ndjson'}: 1 record skipped: invalid JSON at line 2"


def test_invalid_utf8_line_in_ndjson_is_skipped_alone(tmp_path: Path) -> None:
    data = ndjson([CREATE_KEY]) + b'{"eventName": "\xff\xfe"}\n' + ndjson([ASSUME_ROLE])
    reading = read_path(write(tmp_path / "e.ndjson", data))
    assert len(reading.events) == 2
    assert reading.first_problem == "invalid UTF-8 at line 2"


def test_invalid_utf8_inside_a_records_file_loses_only_that_record(tmp_path: Path) -> None:
    data = b'{"Records": [\n' + orjson.dumps(CREATE_KEY) + b',\n{"eventName": "Bad\xff"},\n'
    data += orjson.dumps(ASSUME_ROLE) + b"\n]}"
    reading = read_path(write(tmp_path / "r.json", data))
    assert [event.get("eventName") for event in reading.events] == ["CreateKey", "AssumeRole"]
    assert reading.first_problem == "invalid UTF-8 at line 3"


def test_a_broken_record_in_a_records_file_loses_only_that_record(tmp_path: Path) -> None:
    data = (
        b'{"Records": ['
        + orjson.dumps(CREATE_KEY)
        + b',{"eventName": nope},'
        + orjson.dumps(ASSUME_ROLE)
        + b"]}"
    )
    reading = read_path(write(tmp_path / "r.json", data))
    assert [event.get("eventName") for event in reading.events] == ["CreateKey", "AssumeRole"]
    assert reading.skipped_records == 1


def test_records_that_are_not_objects_are_counted(tmp_path: Path) -> None:
    reading = read_path(write(tmp_path / "r.json", records_file([CREATE_KEY, 42, "x"])))
    assert len(reading.events) == 1
    assert (
        reading.problem_line() == f"{tmp_path / 'r.json'}: 2 records skipped: record 2 is not a JSON object"
    )


def test_a_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    reading = read_path(str(tmp_path / "nowhere.json"))
    assert reading.skipped_file_reason == "cannot read: No such file or directory"


def test_directories_are_walked_in_order_and_digests_skipped(tmp_path: Path) -> None:
    write(s3_path(tmp_path, region="us-east-1"), gzip.compress(records_file([ASSUME_ROLE])))
    write(s3_path(tmp_path), gzip.compress(records_file([CREATE_KEY])))
    write(tmp_path / "AWSLogs" / "CloudTrail-Digest" / "x.json.gz", gzip.compress(b"{}"))
    readings = list(read_paths([str(tmp_path)]))
    assert [reading.events[0].region for reading in readings[:2]] == ["eu-west-1", "us-east-1"]
    assert readings[2].skipped_file_reason == "CloudTrail digest file"


def test_event_time_is_the_timestamp() -> None:
    reading = read_path("-", io.BytesIO(ndjson([CREATE_KEY])))
    assert reading.events[0].timestamp_ms == 1709287200000


def test_untimed_event_takes_its_logstash_timestamp() -> None:
    record = {"eventName": "GetObject", "@timestamp": "2020-09-14T00:44:20.000Z"}
    event = read_path("-", io.BytesIO(ndjson([record]))).events[0]
    assert event.timestamp_ms == 1600044260000


def test_untimed_event_takes_its_file_delivery_time(tmp_path: Path) -> None:
    path = write(s3_path(tmp_path), gzip.compress(records_file([dict(CREATE_KEY, eventTime="...")])))
    assert read_path(path).events[0].timestamp_ms == 1709287200000


def test_untimed_event_without_any_clue_is_at_epoch_zero_and_still_read() -> None:
    event = read_path("-", io.BytesIO(ndjson([dict(CREATE_KEY, eventTime="redacted")]))).events[0]
    assert event.timestamp_ms == 0
    assert event.get("eventName") == "CreateKey"


def test_ptr_names_the_file_and_record(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", records_file([CREATE_KEY, ASSUME_ROLE]))
    second = read_path(path).events[1]
    assert decode_ptr(second.ptr) == (path, 1)


def test_whole_real_corpus_reads_without_loss(corpus_dir: Path) -> None:
    readings = list(read_paths(sorted(str(path) for path in corpus_dir.glob("*.ndjson"))))
    assert sum(len(reading.events) for reading in readings) == 3894
    assert all(reading.problem_line() is None for reading in readings)


def test_a_digest_file_is_counted_as_skipped_without_a_problem_line(tmp_path: Path) -> None:
    digest = tmp_path / "AWSLogs" / "1" / "CloudTrail-Digest" / "d.json.gz"
    reading = read_path(write(digest, gzip.compress(b'{"digestStartTime": "x"}')))
    assert reading.skipped_file_reason == "CloudTrail digest file"
    assert reading.problem_line() is None
