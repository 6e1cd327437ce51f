"""The raw-bytes screen: which words it takes, what it decides, and that it never passes over a file
holding a record that could match, whichever way the file's JSON was written."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailtui.events.readers import read_path, read_path_parts
from trailtui.events.screen import ContentScreen, is_verbatim


@pytest.mark.parametrize("word", ["ConsoleLogin", "signin.amazonaws.com", "día", "a b", "💥", "\u2028"])
def test_words_json_writes_as_they_are_are_verbatim(word: str) -> None:
    assert is_verbatim(word)


@pytest.mark.parametrize("word", ["", 'say "hi"', "C:\\temp", "arn:aws:s3:::a/b", "tab\there", "\ufffd"])
def test_words_json_may_write_otherwise_are_not(word: str) -> None:
    assert not is_verbatim(word)


def test_a_group_with_a_word_that_is_not_verbatim_is_dropped() -> None:
    screen = ContentScreen.of([["ConsoleLogin"], ["a/b", "c"], ["x", "x"]])
    assert screen == ContentScreen(((b"ConsoleLogin",), (b"x",)))
    assert ContentScreen.of([["a/b"]]) is None
    assert ContentScreen.of([]) is None


def test_a_file_must_hold_a_word_of_every_group() -> None:
    screen = ContentScreen.of([["ConsoleLogin"], ["Failure", "Success"]])
    assert screen is not None
    assert screen.may_match(b'[{"eventName":"ConsoleLogin","result":"Success"}]')
    assert not screen.may_match(b'[{"eventName":"ConsoleLogin","result":"Pending"}]')
    assert not screen.may_match(b'[{"eventName":"GetObject","result":"Failure"}]')


def test_any_unicode_escape_makes_a_file_possible() -> None:
    screen = ContentScreen.of([["ConsoleLogin"]])
    assert screen is not None
    assert screen.may_match(b'[{"eventName":"\\u0043onsoleLogin"}]')
    assert screen.may_match(b'[{"eventName":"GetObject","userAgent":"\\u00e9"}]')
    assert not screen.may_match(b'[{"eventName":"GetObject","policy":"{\\"a\\":\\"b\\\\c\\/d\\n\\"}"}]')


WORD = "ConsoleLogin"
NAMES = st.sampled_from([WORD, "consoleLogin", "ConsoleLogin2", "Console", "Cönsole", "GetObject", "día/ñ"])
VALUES = st.one_of(NAMES, st.text(max_size=12), st.integers(-(2**63), 2**63 - 1), st.booleans(), st.none())
RECORDS = st.lists(
    st.fixed_dictionaries(
        {"eventVersion": st.just("1.08"), "eventName": VALUES},
        optional={"eventSource": NAMES, "requestParameters": st.dictionaries(NAMES, VALUES, max_size=3)},
    ),
    max_size=6,
)


def _written(records: list[dict[str, object]], writer: str) -> bytes:
    """The same records as different writers put them: raw UTF-8, all non-ASCII escaped, `/` escaped."""
    document = {"Records": records}
    if writer == "orjson":
        return orjson.dumps(document)
    if writer == "ascii":
        return json.dumps(document, ensure_ascii=True).encode()
    if writer == "escaped-slashes":
        return json.dumps(document, ensure_ascii=False).replace("/", "\\/").encode()
    lines = (json.dumps(record, ensure_ascii=True) for record in records)  # NDJSON
    return "\n".join(lines).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=RECORDS, writer=st.sampled_from(["orjson", "ascii", "escaped-slashes", "ndjson"]))
def test_a_file_holding_a_match_is_never_passed_over(
    records: list[dict[str, object]], writer: str, tmp_path: Path
) -> None:
    path = tmp_path / "trail.json.gz"
    path.write_bytes(gzip.compress(_written(records, writer)))
    screen = ContentScreen.of([[WORD]])
    (reading,) = read_path_parts(str(path), screen=screen)
    holds_a_match = any(event.record.get("eventName") == WORD for event in read_path(str(path)).events)
    if holds_a_match:
        assert not reading.screened_out
    if reading.screened_out:
        assert (reading.events, reading.passed_over) == ([], [])
        assert reading.content_size == len(gzip.decompress(path.read_bytes()))


def test_damaged_gzip_is_read_and_reported_whatever_the_screen(tmp_path: Path) -> None:
    path = tmp_path / "trail.json.gz"
    path.write_bytes(gzip.compress(b'{"Records":[{"eventName":"GetObject"}]}')[:-6])
    (reading,) = read_path_parts(str(path), screen=ContentScreen.of([[WORD]]))
    assert not reading.screened_out
    assert reading.problem_line() is not None


def test_files_that_are_not_events_are_reported_as_before(tmp_path: Path) -> None:
    empty, text = tmp_path / "empty.json", tmp_path / "notes.json"
    empty.write_bytes(b"")
    text.write_bytes(b"hello")
    screen = ContentScreen.of([[WORD]])
    for path, reason in ((empty, "empty file"), (text, "not CloudTrail (not JSON)")):
        (reading,) = read_path_parts(str(path), screen=screen)
        assert (reading.screened_out, reading.skipped_file_reason) == (False, reason)
