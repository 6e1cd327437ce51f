"""Readers over hostile content: lone-surrogate escapes cannot hide an event, deep and wide JSON load."""

from __future__ import annotations

import orjson

from trailtui.events.readers import read_bytes

from .adversarial import ARRAY_LENGTH, SURROGATE_RECORD_TEXT, AdversarialTrail


def test_a_lone_surrogate_escape_in_a_records_file_keeps_the_event_with_replacement_characters() -> None:
    data = ('{"Records": [' + SURROGATE_RECORD_TEXT + "]}").encode()
    reading = read_bytes("trail.json", data)
    [event] = reading.events
    assert event.record["userAgent"] == "lone \ufffd high \ufffd low"
    assert event.record["errorMessage"] == "pair \U0001f600 ok"
    assert orjson.loads(event.message) == event.record
    assert reading.problem_line() == "trail.json: lone surrogate escapes replaced with U+FFFD"


def test_a_lone_surrogate_escape_on_an_ndjson_line_keeps_the_event() -> None:
    good = b'{"eventName": "Good", "eventTime": "2024-03-01T10:00:00Z"}'
    data = SURROGATE_RECORD_TEXT.encode() + b"\n" + good + b"\n"
    reading = read_bytes("trail.ndjson", data)
    assert [event.record["eventName"] for event in reading.events] == ["LoneSurrogate", "Good"]
    assert reading.skipped_records == 0
    assert "U+FFFD at line 1" in (reading.problem_line() or "")


def test_the_adversarial_trail_reads_whole(adversarial: AdversarialTrail) -> None:
    reading = read_bytes(str(adversarial.ndjson), adversarial.ndjson.read_bytes())
    assert [event.record for event in reading.events] == adversarial.events
    assert reading.problem_line() is None
    wide = next(event for event in reading.events if event.record["eventName"] == "WideArray")
    assert len(wide.record["requestParameters"]["items"]) == ARRAY_LENGTH
