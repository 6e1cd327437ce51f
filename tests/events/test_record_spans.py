"""Record by record screening: the C module's spans, and reads that parse only the listed records give
exactly what a full parse gives for them, whatever the strings hold and however a file is damaged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailtui.events._record_spans import record_spans
from trailtui.events.layout import layout_hints
from trailtui.events.projection import FirstInTimeOrder, Projection
from trailtui.events.readers import FileReading, read_path, read_path_parts
from trailtui.events.screen import ContentScreen
from trailtui.insights.steps import event_time_order

WORD = "ConsoleLogin"
GROUPS = ((WORD.encode(),),)
S3_NAME = "111122223333_CloudTrail_us-east-1_20240301T1000Z_test.json"


def test_spans_cut_records_where_their_brackets_close() -> None:
    text = b'{"Records": [ {"a": "}, {\\" ]"}, {"eventName": "ConsoleLogin", "b": [1, {}]} ,{"c": "x"} ] }'
    count, spans = record_spans(text, GROUPS)
    assert count == 3
    ((ordinal, start, end),) = spans
    assert ordinal == 1 and orjson.loads(text[start:end]) == {"eventName": WORD, "b": [1, {}]}


def test_a_unicode_escape_lists_its_record() -> None:
    text = b'{"Records":[{"eventName":"\\u0043onsoleLogin"},{"eventName":"GetObject"}]}'
    assert record_spans(text, GROUPS) == (2, [(0, 12, 45)])
    assert orjson.loads(text[12:45]) == {"eventName": WORD}


@pytest.mark.parametrize(
    "text",
    [
        b'{"Records":[1]}',
        b'{"Records":[{"a":1}, "x"]}',
        b'{"Records":[{"a":[1}]}',
        b'{"Records":[{"a":"unterminated}]}',
        b'{"Records":[{"a":1}]} trailing',
        b'{"Records":[{"a":1}],"more":1}',
        b'{"events":[{"a":1}]}',
        b'[{"a":1}]',
        b'{"Records":[{"a":1},]}',
        b'{"Records":[' + b'{"a":' * 1100 + b"1" + b"}" * 1100 + b"]}",
        b'{"Records":[{"a":tru}]}',
        b'{"Records":[{"a":01}]}',
        b'{"Records":[{"a":1.}]}',
        b'{"Records":[{"a":"\x01"}]}',
        b'{"Records":[{"a":"\\q"}]}',
        b'{"Records":[{"a":"\\u12"}]}',
        b'{"Records":[{"a":"\xff"}]}',
        b'{"Records":[{"a":"\xc0\xaf"}]}',
        b'{"Records":[{"a":"\xed\xa0\x80"}]}',
        b'{"Records":[{"a" 1}]}',
        b'{"Records":[{"a":1 "b":2}]}',
    ],
)
def test_any_other_text_is_left_to_the_full_parser(text: bytes) -> None:
    assert record_spans(text, GROUPS) is None


@pytest.mark.parametrize(
    "value", [b"1e400", b"0.5", b"12345678901234567890", b'"\\ud800"', b'"\\u00e9"', b'{"k\\u0041":1}']
)
def test_what_only_the_parser_can_judge_is_listed(value: bytes) -> None:
    text = b'{"Records":[{"a":' + value + b'},{"a":1}]}'
    assert record_spans(text, GROUPS) == (2, [(0, 12, 18 + len(value))])


def test_utf8_and_escapes_the_parser_accepts_are_accepted() -> None:
    text = '{"Records":[{"a":"día 💥 \\n\\t\\"\\\\\\/ \x7f","b":[true,false,null,-0,10]}]}'.encode()
    assert orjson.loads(text)
    assert record_spans(text, GROUPS) == (1, [])


def test_no_records_is_zero() -> None:
    assert record_spans(b' { "Records" : [ ] } \n', GROUPS) == (0, [])


HOSTILE_TEXT = st.one_of(
    st.sampled_from([WORD, "GetObject", '}, {"eventName": "ConsoleLogin"}', "\\", '"', "{[", "]}", "\u0000"]),
    st.text(max_size=10),
)
LEAVES = st.one_of(HOSTILE_TEXT, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none())
NESTED = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(HOSTILE_TEXT, children, max_size=3),
    max_leaves=8,
)
RECORDS = st.lists(
    st.fixed_dictionaries(
        {"eventVersion": st.just("1.08"), "eventName": st.one_of(HOSTILE_TEXT, NESTED)},
        optional={"requestParameters": NESTED, "eventTime": st.just("2024-03-01T10:00:00Z")},
    ),
    max_size=6,
)
SCREEN = ContentScreen(GROUPS, by_record=True)


def _document(records: list[dict[str, Any]], ascii_only: bool, pretty: bool) -> bytes:
    return json.dumps({"Records": records}, ensure_ascii=ascii_only, indent=1 if pretty else None).encode()


def _reads(path: Path) -> tuple[FileReading, FileReading]:
    (screened,) = read_path_parts(str(path), screen=SCREEN)
    return screened, read_path(str(path))


def _by_ordinal(reading: FileReading) -> dict[int, tuple[dict[str, Any], int, str, str]]:
    return {e.ordinal: (e.record, e.timestamp_ms, e.account, e.region) for e in reading.events}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=RECORDS, ascii_only=st.booleans(), pretty=st.booleans())
def test_listed_records_are_read_as_a_full_parse_reads_them(
    records: list[dict[str, Any]], ascii_only: bool, pretty: bool, tmp_path: Path
) -> None:
    path = tmp_path / S3_NAME
    path.write_bytes(_document(records, ascii_only, pretty))
    screened, full = _reads(path)
    assert screened.event_count == full.event_count == len(records)
    assert (screened.problem_line(), screened.skipped_records) == (full.problem_line(), full.skipped_records)
    screened_events, full_events = _by_ordinal(screened), _by_ordinal(full)
    assert all(full_events[ordinal] == event for ordinal, event in screened_events.items())
    matching = {ordinal for ordinal, (record, *_) in full_events.items() if record.get("eventName") == WORD}
    assert matching <= set(screened_events)


DAMAGE = [
    b"",
    b"{",
    b"}",
    b'"',
    b"\\",
    b",",
    b"\xff",
    b"\xed\xa0\x80",
    b"\x01",
    b"1e400",
    b"0",
    b"tru",
    b"\\u",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=RECORDS, data=st.data())
def test_a_damaged_file_never_gives_a_record_a_full_parse_would_not(
    records: list[dict[str, Any]], data: st.DataObject, tmp_path: Path
) -> None:
    text = bytearray(_document(records, ascii_only=False, pretty=False))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, max(0, len(text) - 1)))
        text[at : at + 1] = data.draw(st.sampled_from(DAMAGE))
    path = tmp_path / S3_NAME
    path.write_bytes(bytes(text))
    screened, full = _reads(path)
    full_events = _by_ordinal(full)
    for ordinal, event in _by_ordinal(screened).items():
        assert full_events.get(ordinal) == event


def test_without_a_layout_account_or_by_record_the_file_is_parsed_whole(tmp_path: Path) -> None:
    records = [{"eventName": "GetObject", "recipientAccountId": "444455556666"}, {"eventName": WORD}]
    for name, screen in (("plain.json", SCREEN), (S3_NAME, ContentScreen(GROUPS))):
        path = tmp_path / name
        path.write_bytes(orjson.dumps({"Records": records}))
        (reading,) = read_path_parts(str(path), screen=screen)
        assert (reading.unparsed, len(reading.events)) == (0, 2)


def test_records_without_the_word_are_counted_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / S3_NAME
    path.write_bytes(orjson.dumps({"Records": [{"eventName": "GetObject"}, {"eventName": WORD}] * 3}))
    (reading,) = read_path_parts(str(path), screen=SCREEN)
    assert (reading.unparsed, [event.ordinal for event in reading.events]) == (3, [1, 3, 5])
    assert reading.passed_over_accounts() == {"111122223333"}


KEYS = ("eventName", "requestParameters", "eventName.x", "missing")


def _expected_row(record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(key, ...) for key in KEYS)


def _parsed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(orjson.loads(value) if type(value) is bytes else value for value in row)


@settings(max_examples=400, deadline=None)
@given(records=RECORDS, ascii_only=st.booleans(), pretty=st.booleans())
def test_projected_rows_hold_what_the_parser_reads(
    records: list[dict[str, Any]], ascii_only: bool, pretty: bool
) -> None:
    text = _document(records, ascii_only, pretty)
    projected = Projection(KEYS).rows(text)
    assert projected is not None
    count, rows = projected
    assert count == len(records)
    assert [_parsed(row) for row in rows] == [
        _expected_row(record) for record in orjson.loads(text)["Records"]
    ]


@settings(max_examples=400, deadline=None)
@given(records=RECORDS, data=st.data())
def test_projected_rows_come_only_from_text_the_parser_accepts(
    records: list[dict[str, Any]], data: st.DataObject
) -> None:
    text = bytearray(_document(records, ascii_only=False, pretty=False))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, max(0, len(text) - 1)))
        text[at : at + 1] = data.draw(st.sampled_from(DAMAGE))
    projected = Projection(KEYS).rows(bytes(text))
    try:
        document = orjson.loads(bytes(text))
    except orjson.JSONDecodeError:
        assert projected is None
        return
    if projected is not None:
        assert [_parsed(row) for row in projected[1]] == [
            _expected_row(record) for record in document["Records"]
        ]


def test_duplicate_keys_keep_the_last_value_as_the_parser_does() -> None:
    text = (
        b'{"Records":[{"eventName":"A","eventName":"B","requestParameters":{"a":1},'
        b'"requestParameters":null}]}'
    )
    assert Projection(KEYS).rows(text) == (1, [("B", None, ..., ...)])


def _first_in_time(records: list[dict[str, Any]], bound: int, descending: bool) -> list[int] | None:
    order = FirstInTimeOrder(bound, descending, event_time_order)
    chosen = order.records(orjson.dumps({"Records": records}), layout_hints(S3_NAME))
    return None if chosen is None else [ordinal for ordinal, _ in chosen[1]]


def test_first_in_time_keeps_each_files_first_records_by_time_with_ties() -> None:
    times = [f"2024-03-01T10:00:0{second}Z" for second in (5, 1, 9, 5, 7, 5)]
    records = [{"eventTime": time, "n": n} for n, time in enumerate(times)]
    assert _first_in_time(records, 2, descending=True) == [2, 4]
    assert _first_in_time(records, 3, descending=True) == [0, 2, 3, 4, 5]
    assert _first_in_time(records, 1, descending=False) == [1]
    assert _first_in_time(records, 10, descending=False) == [0, 1, 2, 3, 4, 5]


def test_first_in_time_finds_times_as_events_get_them() -> None:
    records = [
        {"eventTime": "2024-03-01T10:00:00Z"},
        {"eventTime": "...", "@timestamp": "2024-03-01T11:00:00Z"},  # Logstash exports
        {"eventName": "untimed"},  # the file's delivery time: 2024-03-01T10:00Z
        {"eventTime": "2024-03-01T09:00:00Z", "userAgent": "\\u00e9"},  # parsed whole
        {"eventTime": "99999-01-01T00:00:00Z"},  # not a time: delivery time
    ]
    assert _first_in_time(records, 1, descending=True) == [1]
    assert _first_in_time(records, 1, descending=False) == [3]
    assert _first_in_time(records, 3, descending=True) == [0, 1, 2, 4]
