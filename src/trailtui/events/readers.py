"""Read CloudTrail events from any file format CloudTrail, CloudWatch or the AWS CLI produce.

Formats, told apart by content, gzipped or not:
- CloudTrail log files: `{"Records": [...]}`;
- NDJSON: one event per line;
- `aws logs filter-log-events` / `get-log-events` output: `{"events": [{"message": "<event JSON>"}]}`;
- `aws cloudtrail lookup-events` output: `{"Events": [{"CloudTrailEvent": "<event JSON>"}]}`;
- a JSON array of events, or a single event object.
Digest files and JSON that is not CloudTrail are skipped whole and counted.

Bad input never loses the good records around it: each bad record is counted, and the first problem of a
file is described in one line with where it is (`invalid JSON at line 7`).

A JSON escape of a lone surrogate (`"\\ud800"`) names no character UTF-8 can hold; rather than drop the
event (a way to hide it), it is kept with U+FFFD in place of each such escape, and the file's problem line
says so.

`@timestamp` is `eventTime`. An event without a usable `eventTime` (real corpora have `"..."`,
`"redacted"`, or none at all) still loads, with the first of: its own `@timestamp` field (Logstash exports
carry one), the delivery time in its CloudTrail file name, or 0 (1970-01-01T00:00:00Z). Such events stay
queryable; a time range that starts after 1970 leaves the last kind out.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from trailtui.events.layout import STDIN, LayoutHints, expand_paths, is_digest, layout_hints
from trailtui.events.model import Event
from trailtui.events.timestamps import parse_event_time

_EVENT_KEYS = ("eventVersion", "eventName", "eventSource", "eventTime")
_LONE_SURROGATE = re.compile("[\udc80-\udcff]")
_ANY_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_REPLACED = "lone surrogate escapes replaced with U+FFFD"
_NEXT_RECORD = re.compile(r"\}\s*,\s*(\{)")

Admit = Callable[[dict[str, Any]], bool]
"""A query's cheap test on a raw record: False means no step of the query could keep it."""


@dataclass(slots=True)
class FileReading:
    """What one input file gave: its events, and what was wrong with it."""

    path: str
    events: list[Event] = field(default_factory=list)
    skipped_records: int = 0
    first_problem: str | None = None
    skipped_file_reason: str | None = None
    byte_size: int = 0
    content_size: int = 0
    passed_over: list[dict[str, Any]] = field(default_factory=list)
    """The records of events the reader's `admit` test turned away, kept for statistics."""
    hints: LayoutHints = field(default_factory=LayoutHints)

    @property
    def event_count(self) -> int:
        """Events in the file, including those passed over."""
        return len(self.events) + len(self.passed_over)

    def passed_over_accounts(self) -> set[str]:
        hinted = self.hints.account
        if hinted is not None:
            return {hinted} if self.passed_over else set()
        return {_text(record.get("recipientAccountId")) or "unknown" for record in self.passed_over}

    def passed_over_times(self) -> list[tuple[int, str]]:
        """(@timestamp, account) of each passed-over event."""
        hinted = self.hints.account
        return [
            (
                _timestamp_ms(record, self.hints),
                hinted or _text(record.get("recipientAccountId")) or "unknown",
            )
            for record in self.passed_over
        ]

    def skip_record(self, problem: str) -> None:
        self.skipped_records += 1
        if self.first_problem is None:
            self.first_problem = problem

    def problem_line(self) -> str | None:
        """One line for stderr describing what was skipped here, or None when the file was clean."""
        if self.skipped_file_reason is not None:
            return f"{self.path}: skipped: {self.skipped_file_reason}"
        if self.skipped_records:
            plural = "record" if self.skipped_records == 1 else "records"
            return f"{self.path}: {self.skipped_records} {plural} skipped: {self.first_problem}"
        if self.first_problem is not None:
            return f"{self.path}: {self.first_problem}"
        return None


def read_paths(paths: Iterable[str], stdin: Any = None) -> Iterator[FileReading]:
    """Every file under the given paths (directories walked in order, `-` for stdin), read one by one."""
    for path in expand_paths(paths):
        yield read_path(path, stdin)


def read_path(path: str, stdin: Any = None, admit: Admit | None = None) -> FileReading:
    """Read one file (or stdin for `-`); never raises for bad or unreadable input.

    With `admit`, CloudTrail records it rejects become `passed_over` entries instead of events (their
    ordinals stay reserved, so every @ptr is the same as without it).
    """
    if is_digest(path):
        return FileReading(path, skipped_file_reason="CloudTrail digest file")
    try:
        data = _read_raw(path, stdin)
    except OSError as error:
        return FileReading(path, skipped_file_reason=f"cannot read: {error.strerror or error}")
    return read_bytes(path, data, admit)


def _read_raw(path: str, stdin: Any) -> bytes:
    """A regular file's bytes, or a pipe's (`<(zcat trail.gz)`); a device (`/dev/zero`) is refused.

    The file is opened without blocking, so a named pipe nobody writes to reads as empty instead of
    waiting forever; once open, reading blocks as usual, so a pipe with a writer is read to its end.
    """
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        return bytes(stream.read())
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise OSError(errno.EINVAL, "not a regular file")
        os.set_blocking(descriptor, True)
        return handle.read()


def read_bytes(path: str, data: bytes, admit: Admit | None = None) -> FileReading:
    """Events from the bytes of one file, whatever its format (`admit` as for `read_path`)."""
    reading = FileReading(path, byte_size=len(data))
    content = _decompress(data, reading)
    reading.content_size = len(content)
    body = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        if reading.skipped_file_reason is None:
            reading.skipped_file_reason = "empty file" if not data else "no events in file"
        return reading
    if body[:1] not in (b"{", b"["):
        reading.skipped_file_reason = "not CloudTrail (not JSON)"
        return reading
    reading.hints = layout_hints(path)
    _parse_content(body, reading, reading.hints, admit)
    return reading


def _decompress(data: bytes, reading: FileReading) -> bytes:
    """Gunzip when the data is gzip; a truncated or corrupt stream keeps what decompressed cleanly."""
    if data[:2] != b"\x1f\x8b":
        return data
    pieces: list[bytes] = []
    remaining = data
    while remaining[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(31)
        try:
            pieces.append(inflater.decompress(remaining))
        except zlib.error as error:
            reading.first_problem = f"corrupt gzip data ({error})"
            break
        if not inflater.eof:
            reading.first_problem = "truncated gzip data"
            break
        remaining = inflater.unused_data
    content = b"".join(pieces)
    if not content and reading.first_problem is not None:
        reading.skipped_file_reason = reading.first_problem
    return content


def _parse_content(body: bytes, reading: FileReading, hints: LayoutHints, admit: Admit | None) -> None:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        document = _with_surrogates_replaced(body, error)
        if document is not None:
            _note(reading, _SURROGATE_REPLACED)
    if document is None:
        if _looks_like_ndjson(body):
            _read_ndjson(body, reading, hints)
        else:
            _read_damaged_document(body, reading, hints)
        return
    if isinstance(document, list):
        _add_records(document, reading, hints, admit)
    elif isinstance(document, dict):
        _read_document(document, reading, hints, admit)


def _looks_like_ndjson(body: bytes) -> bool:
    first_line = body.split(b"\n", 1)[0].strip()
    try:
        return isinstance(orjson.loads(first_line), dict)
    except orjson.JSONDecodeError as error:
        return isinstance(_with_surrogates_replaced(first_line, error), dict)


def _read_document(
    document: dict[str, Any], reading: FileReading, hints: LayoutHints, admit: Admit | None
) -> None:
    if "Records" in document:
        records = document["Records"]
        if isinstance(records, list):
            _add_records(records, reading, hints, admit)
        else:
            reading.skipped_file_reason = "not CloudTrail (Records is not a list)"
    elif isinstance(document.get("events"), list):
        _add_messages(document["events"], "message", reading, hints)
    elif isinstance(document.get("Events"), list):
        _add_messages(document["Events"], "CloudTrailEvent", reading, hints)
    elif "digestStartTime" in document:
        reading.skipped_file_reason = "CloudTrail digest file"
    elif any(key in document for key in _EVENT_KEYS):
        _add_records([document], reading, hints)
    else:
        reading.skipped_file_reason = "not CloudTrail (no Records, events or Events)"


def _add_records(
    records: list[Any], reading: FileReading, hints: LayoutHints, admit: Admit | None = None
) -> None:
    """The hot loop of reading: `make_event` inlined, with the file's hints read once."""
    events = reading.events
    append = events.append
    passed_over = reading.passed_over
    path = reading.path
    hinted_account = hints.account
    hinted_region = hints.region or "unknown"
    fallback_ms = hints.delivered_ms or 0
    for position, record in enumerate(records):
        if type(record) is not dict and not isinstance(record, dict):
            reading.skip_record(f"record {position + 1} is not a JSON object")
            continue
        if admit is not None and not admit(record):
            passed_over.append(record)
            continue
        timestamp_ms = parse_event_time(record.get("eventTime"))
        if timestamp_ms is None:
            timestamp_ms = parse_event_time(record.get("@timestamp")) or fallback_ms
        account = hinted_account or _text(record.get("recipientAccountId")) or "unknown"
        region = record.get("awsRegion")
        if type(region) is not str or not region:
            region = hinted_region
        append(Event(record, timestamp_ms, path, len(events) + len(passed_over), account, region))


def _add_messages(entries: list[Any], message_key: str, reading: FileReading, hints: LayoutHints) -> None:
    """Exports that carry each event as JSON text: the text is kept exactly as `@message`."""
    for position, entry in enumerate(entries):
        message = entry.get(message_key) if isinstance(entry, dict) else None
        record = _parse_message(message)
        if record is None:
            reading.skip_record(f"entry {position + 1} has no event JSON in {message_key!r}")
            continue
        event = make_event(record, reading.path, len(reading.events), hints, message=message)
        reading.events.append(event)


def _parse_message(message: Any) -> dict[str, Any] | None:
    if not isinstance(message, str):
        return None
    try:
        record = orjson.loads(message)
    except orjson.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None


def _read_ndjson(body: bytes, reading: FileReading, hints: LayoutHints) -> None:
    for line_number, line in enumerate(body.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            record = _with_surrogates_replaced(line, error)
            if not isinstance(record, dict):
                reading.skip_record(f"{_json_problem(error)} at line {line_number}")
                continue
            _note(reading, f"{_SURROGATE_REPLACED} at line {line_number}")
        if isinstance(record, dict):
            reading.events.append(make_event(record, reading.path, len(reading.events), hints))
        else:
            reading.skip_record(f"line {line_number} is not a JSON object")


def _read_damaged_document(body: bytes, reading: FileReading, hints: LayoutHints) -> None:
    """A `{"Records": [...]}` file that does not parse whole: salvage every record that parses alone."""
    text = body.decode("utf-8", "surrogateescape")
    opening = re.search(r'"Records"\s*:\s*\[', text)
    if opening is None:
        reading.skipped_file_reason = "not CloudTrail (invalid JSON, no Records)"
        return
    decoder = json.JSONDecoder()
    position = opening.end()
    while True:
        position = _skip_separators(text, position)
        if position >= len(text) or text[position] == "]":
            return
        try:
            record, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            reading.skip_record(f"invalid JSON at line {_line_of(text, position)}")
            resume = _NEXT_RECORD.search(text, position)
            if resume is None:
                return
            position = resume.start(1)
            continue
        _add_salvaged(record, text[position:end], reading, hints, _line_of(text, position))
        position = end


def _add_salvaged(record: Any, source: str, reading: FileReading, hints: LayoutHints, line: int) -> None:
    if _LONE_SURROGATE.search(source):
        reading.skip_record(f"invalid UTF-8 at line {line}")
    elif isinstance(record, dict) and any(key in record for key in _EVENT_KEYS):
        if "\\u" in source and _has_surrogate(record):
            record = _replace_surrogates(record)
            _note(reading, f"{_SURROGATE_REPLACED} at line {line}")
        reading.events.append(make_event(record, reading.path, len(reading.events), hints))
    else:
        reading.skip_record(f"record at line {line} is not a CloudTrail event")


def _note(reading: FileReading, problem: str) -> None:
    """A problem that lost nothing: told in the file's line unless an earlier problem is told there."""
    if reading.first_problem is None:
        reading.first_problem = problem


def _with_surrogates_replaced(text: bytes, error: orjson.JSONDecodeError) -> Any:
    """The JSON orjson refused only for a lone-surrogate escape, with U+FFFD for each (else None)."""
    if "surrogate" not in str(error):
        return None
    try:
        return _replace_surrogates(json.loads(text))
    except (ValueError, RecursionError):
        return None


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _ANY_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_surrogate(key) or _has_surrogate(child) for key, child in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(child) for child in value)
    return False


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _ANY_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_replace_surrogates(key): _replace_surrogates(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(child) for child in value]
    return value


def _skip_separators(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n,":
        position += 1
    return position


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _json_problem(error: orjson.JSONDecodeError) -> str:
    return "invalid UTF-8" if "utf-8" in str(error).lower() else "invalid JSON"


def make_event(
    record: dict[str, Any], source: str, ordinal: int, hints: LayoutHints, message: str | None = None
) -> Event:
    """An Event with CloudWatch's system fields for one CloudTrail record (see the module doc for time)."""
    timestamp_ms = parse_event_time(record.get("eventTime"))
    if timestamp_ms is None:
        timestamp_ms = parse_event_time(record.get("@timestamp")) or hints.delivered_ms or 0
    account = hints.account or _text(record.get("recipientAccountId")) or "unknown"
    region = _text(record.get("awsRegion")) or hints.region or "unknown"
    return Event(record, timestamp_ms, source, ordinal, account, region, message)


def _timestamp_ms(record: dict[str, Any], hints: LayoutHints) -> int:
    timestamp_ms = parse_event_time(record.get("eventTime"))
    if timestamp_ms is None:
        timestamp_ms = parse_event_time(record.get("@timestamp")) or hints.delivered_ms or 0
    return timestamp_ms


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
