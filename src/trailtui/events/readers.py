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
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import orjson

from trailtui.events.layout import STDIN, LayoutHints, expand_paths, is_digest, layout_hints
from trailtui.events.model import Event
from trailtui.events.projection import FirstInTimeOrder, Projection
from trailtui.events.screen import ContentScreen
from trailtui.events.streaming import GZIP_MAGIC, NOT_PARSED, ArraySplitter, ContentChunks, Element, Read
from trailtui.events.timestamps import parse_event_time, record_time_ms

MIB = 1024 * 1024
STREAM_FROM_BYTES = 32 * MIB
"""Content up to this size is read whole and parsed in one call (fastest); larger content is streamed."""
PART_EVENTS = 5_000
"""A streamed file is given in parts of about this many events."""
MAX_RECORD_BYTES = 64 * MIB
"""A record (or NDJSON line) of a streamed file longer than this is skipped, not held."""
RAW_READ_BYTES = MIB
CONTENT_PIECE_BYTES = 8 * MIB

DIGEST_FILE = "CloudTrail digest file"
_EVENT_KEYS = ("eventVersion", "eventName", "eventSource", "eventTime")
_LONE_SURROGATE = re.compile("[\udc80-\udcff]")
_ANY_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_REPLACED = "lone surrogate escapes replaced with U+FFFD"
_NEXT_RECORD = re.compile(r"\}\s*,\s*(\{)")
_BODY_PADDING = b"\xef\xbb\xbf \t\r\n"
_ARRAY_DOCUMENT = re.compile(rb'\{\s*"(Records|events|Events)"\s*:\s*')
_MESSAGE_KEYS = {b"events": "message", b"Events": "CloudTrailEvent"}
_MISSING = object()

Admit = Callable[[dict[str, Any]], bool]
"""A query's cheap test on a raw record: False means no step of the query could keep it."""
Shortcuts = tuple[ContentScreen | None, Projection | None, FirstInTimeOrder | None]
"""What lets a whole file be read without parsing every record (see `read_path_parts`)."""


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
    final: bool = True
    """False on every part of a streamed file but its last (see `read_path_parts`)."""
    first_ordinal: int = 0
    """The ordinal of this part's first record in its file (0 but for the later parts of a streamed file)."""
    screened_out: bool = False
    """Passed over unparsed: its bytes prove no record in it can match (see `events.screen`)."""
    unparsed: int = 0
    """Records counted but not parsed: a by-record screen found none of its words in them."""
    rows: list[tuple[Any, ...]] | None = None
    """With a projection, each record's values of its keys, instead of events (see `events.projection`)."""

    @property
    def event_count(self) -> int:
        """Events in the file (in this part), including those passed over."""
        return len(self.events) + len(self.passed_over) + self.unparsed + len(self.rows or ())

    @property
    def next_ordinal(self) -> int:
        return self.first_ordinal + self.event_count

    def passed_over_accounts(self) -> set[str]:
        hinted = self.hints.account
        if hinted is not None:
            return {hinted} if self.passed_over or self.unparsed else set()
        return {_text(record.get("recipientAccountId")) or "unknown" for record in self.passed_over}

    def passed_over_times(self) -> list[tuple[int, str]]:
        """(@timestamp, account) of each passed-over event."""
        hinted = self.hints.account
        return [
            (
                record_time_ms(record.get("eventTime"), record.get("@timestamp"), self.hints.delivered_ms),
                hinted or _text(record.get("recipientAccountId")) or "unknown",
            )
            for record in self.passed_over
        ]

    def skip_record(self, problem: str) -> None:
        self.skipped_records += 1
        if self.first_problem is None:
            self.first_problem = problem

    def problem_line(self) -> str | None:
        """One line for stderr describing what was skipped here, or None when the file was clean.

        A digest file is no problem: every CloudTrail S3 tree holds them. It is counted as skipped, silently.
        """
        if self.skipped_file_reason == DIGEST_FILE:
            return None
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


def read_path(
    path: str, stdin: Any = None, admit: Admit | None = None, *, stream_from: int = STREAM_FROM_BYTES
) -> FileReading:
    """Read one file (or stdin for `-`) whole; never raises for bad or unreadable input.

    With `admit`, CloudTrail records it rejects become `passed_over` entries instead of events (their
    ordinals stay reserved, so every @ptr is the same as without it). A file over `stream_from` bytes
    of content is streamed (see `read_path_parts`) and its parts joined: the events are all held, but
    not the file's bytes.
    """
    return _joined(read_path_parts(path, stdin, admit, stream_from=stream_from))


def read_record(
    path: str,
    ordinal: int,
    stdin: Any = None,
    *,
    stream_from: int = STREAM_FROM_BYTES,
    part_events: int = PART_EVENTS,
) -> Event | None:
    """The event numbered `ordinal` in one file (an @ptr's number), or None when the file has none.

    The file is read in parts (`read_path_parts`) only as far as that record, one part held at a time,
    so a multi-GB file costs the memory of one part. The numbering is every reader's: `read_path`,
    `read_path_parts` with or without `admit` (records it passes over keep their numbers) and the
    session cache all give a record the same ordinal, read with the same `stream_from`.
    """
    if ordinal < 0:
        return None
    parts = read_path_parts(path, stdin, stream_from=stream_from, part_events=part_events)
    with closing(parts):
        for part in parts:
            if ordinal < part.next_ordinal:
                return part.events[ordinal - part.first_ordinal]
    return None


def read_path_parts(
    path: str,
    stdin: Any = None,
    admit: Admit | None = None,
    *,
    screen: ContentScreen | None = None,
    project: Projection | None = None,
    first_in_time: FirstInTimeOrder | None = None,
    stream_from: int = STREAM_FROM_BYTES,
    part_events: int = PART_EVENTS,
) -> Generator[FileReading, None, None]:
    """Read one file in parts of about `part_events` events each, in bounded memory; never raises.

    A file with at most `stream_from` bytes of content is read whole and given as one part. A larger one
    is streamed: gunzipped in pieces, cut into records (NDJSON line by line, a `Records` array, an export
    or an array of events element by element) and given in parts as they are read. Every part but the
    last has `final` False. Events, passed-over records and byte counts are spread over the parts (each
    part's `first_ordinal` says where it starts); what was skipped and why (`skipped_records`,
    `first_problem`, `skipped_file_reason`, so `problem_line()`) is told once, in the last part.
    Streamed or not, the same file gives the same events and the same problem line, with three
    exceptions for large damaged files, all of which keep more: a damaged `Records` file keeps the
    records before its first damage that are not CloudTrail events; a damaged export or array keeps its
    good entries (read whole, such a file is skipped); and a record that parses but whose neighbours do
    not is never lost to a `},{` inside a bad record. A large document in no streamable format (a single
    event, JSON that is not CloudTrail) is skipped.
    """
    if is_digest(path):
        yield FileReading(path, skipped_file_reason=DIGEST_FILE)
        return
    try:
        with _opened(path, stdin) as (read, size):
            yield from _read_parts(
                path, read, size, admit, (screen, project, first_in_time), stream_from, part_events
            )
    except OSError as error:
        yield FileReading(path, skipped_file_reason=f"cannot read: {error.strerror or error}")


@contextmanager
def _opened(path: str, stdin: Any) -> Iterator[tuple[Read, int | None]]:
    """A regular file's or a pipe's (`<(zcat trail.gz)`) read function and size; a device is refused.

    The file is opened without blocking, so a named pipe nobody writes to reads as empty instead of
    waiting forever; once open, reading blocks as usual, so a pipe with a writer is read to its end.
    """
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield (lambda size: bytes(stream.read(size))), None
        return
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise OSError(errno.EINVAL, "not a regular file")
        os.set_blocking(descriptor, True)
        yield handle.read, os.fstat(descriptor).st_size if stat.S_ISREG(mode) else None


def read_bytes(
    path: str, data: bytes, admit: Admit | None = None, *, stream_from: int = STREAM_FROM_BYTES
) -> FileReading:
    """Events from the bytes of one file, whatever its format (`admit` as for `read_path`)."""
    reader = _BytesReader(data)
    return _joined(
        _read_parts(path, reader.read, len(data), admit, (None, None, None), stream_from, PART_EVENTS)
    )


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0

    def read(self, size: int = -1) -> bytes:
        start = self._offset
        if start == 0 and (size < 0 or size >= len(self._data)):
            self._offset = len(self._data)
            return self._data
        self._offset = len(self._data) if size < 0 else min(len(self._data), start + size)
        return self._data[start : self._offset]


def _joined(parts: Iterable[FileReading]) -> FileReading:
    """The parts of one file as a single reading."""
    events: list[Event] = []
    passed_over: list[dict[str, Any]] = []
    byte_size = content_size = 0
    for part in parts:
        if not part.final:
            events.extend(part.events)
            passed_over.extend(part.passed_over)
            byte_size += part.byte_size
            content_size += part.content_size
            continue
        if events or passed_over or byte_size:
            part.events[:0] = events
            part.passed_over[:0] = passed_over
            part.byte_size += byte_size
            part.content_size += content_size
            part.first_ordinal = 0
        return part
    raise AssertionError("a file's parts end with a final one")


class _Guarded:
    """A read function that turns a read error into the end of the input, remembering the error."""

    def __init__(self, read: Read) -> None:
        self._read = read
        self.error: OSError | None = None

    def read(self, size: int) -> bytes:
        if self.error is not None:
            return b""
        try:
            return self._read(size)
        except OSError as error:
            self.error = error
            return b""


def _read_parts(
    path: str,
    read: Read,
    size: int | None,
    admit: Admit | None,
    shortcuts: Shortcuts,
    stream_from: int,
    part_events: int,
) -> Iterator[FileReading]:
    guarded = _Guarded(read)
    whole = size is not None and size <= stream_from
    first = guarded.read(-1 if whole else RAW_READ_BYTES)
    chunks = ContentChunks(guarded.read, RAW_READ_BYTES, CONTENT_PIECE_BYTES, first)
    pieces = iter(chunks)
    head: deque[bytes] = deque()
    if size is None or size <= stream_from or first[:2] == GZIP_MAGIC:
        held = 0
        for piece in pieces:
            head.append(piece)
            held += len(piece)
            if held > stream_from:
                break
        else:
            reading = FileReading(path)
            content = head[0] if len(head) == 1 else b"".join(head)
            head.clear()
            _read_whole(content, reading, admit, chunks.problem, shortcuts, empty=not chunks.raw_bytes)
            _finish(reading, chunks, guarded)
            yield reading
            return
    reading = FileReading(path, hints=layout_hints(path))
    stream = _Stream(reading, chunks, part_events)
    yield from _read_streamed(chain(_drained(head), pieces), stream, admit)
    for _ in pieces:
        pass  # what follows the array still tells whether the gzip data was sound, as when read whole
    if chunks.problem is not None:
        reading.first_problem = chunks.problem
    _finish(reading, chunks, guarded)
    reading.byte_size, reading.content_size = stream.unreported()
    yield reading


def _drained(pieces: deque[bytes]) -> Iterator[bytes]:
    """The pieces, each let go of once given."""
    while pieces:
        yield pieces.popleft()


def _finish(reading: FileReading, chunks: ContentChunks, guarded: _Guarded) -> None:
    """The reading's sizes, and what ended it early: a read error, or gzip data that stopped cleanly."""
    reading.byte_size = chunks.raw_bytes
    reading.content_size = chunks.content_bytes
    if guarded.error is not None:
        reason = f"cannot read: {guarded.error.strerror or guarded.error}"
        if not chunks.content_bytes:
            reading.skipped_file_reason = reason
        elif reading.first_problem is None:
            reading.first_problem = reason


class _Stream:
    """Cuts a streamed file's reading into parts, each with its share of the bytes read."""

    def __init__(self, reading: FileReading, chunks: ContentChunks, part_events: int) -> None:
        self.reading = reading
        self._chunks = chunks
        self._part_events = part_events
        self.batch_size = max(1, min(1000, part_events))
        """Records parsed before they become events together (the loop over them is the hot one)."""
        self._raw_reported = 0
        self._content_reported = 0

    def part_due(self) -> bool:
        return self.reading.event_count >= self._part_events

    def unreported(self) -> tuple[int, int]:
        raw = self._chunks.raw_bytes - self._raw_reported
        content = self._chunks.content_bytes - self._content_reported
        self._raw_reported += raw
        self._content_reported += content
        return raw, content

    def cut(self) -> FileReading:
        """The events read since the last part, as a part; the reading goes on with none."""
        reading = self.reading
        byte_size, content_size = self.unreported()
        part = FileReading(
            reading.path,
            events=reading.events,
            passed_over=reading.passed_over,
            byte_size=byte_size,
            content_size=content_size,
            hints=reading.hints,
            final=False,
            first_ordinal=reading.first_ordinal,
        )
        reading.first_ordinal = reading.next_ordinal
        reading.events = []
        reading.passed_over = []
        return part


def _read_whole(
    content: bytes,
    reading: FileReading,
    admit: Admit | None,
    problem: str | None,
    shortcuts: Shortcuts,
    *,
    empty: bool,
) -> None:
    """Events from a file's whole content, parsed at once when it is one valid document."""
    if problem is not None:
        reading.first_problem = problem
        if not content:
            reading.skipped_file_reason = problem
    body = content.lstrip(_BODY_PADDING)
    if not body:
        if reading.skipped_file_reason is None:
            reading.skipped_file_reason = "empty file" if empty else "no events in file"
        return
    if body[:1] not in (b"{", b"["):
        reading.skipped_file_reason = "not CloudTrail (not JSON)"
        return
    reading.hints = layout_hints(reading.path)
    if problem is None and _read_by_shortcut(body, reading, admit, shortcuts):
        return
    _parse_content(body, reading, reading.hints, admit)


def _read_by_shortcut(body: bytes, reading: FileReading, admit: Admit | None, shortcuts: Shortcuts) -> bool:
    """Read a sound file without parsing every record when a shortcut applies; False when none does.

    Record by record (projected rows, the first records in time order, the records a by-record screen
    lists; the others only counted) only in the S3 layout, whose file name gives every record's account,
    so the records left unparsed need nothing more for the statistics. Any of them gives way to the full
    reader where its C pass finds the text unsound or a record it picked does not parse.
    """
    screen, project, first_in_time = shortcuts
    if reading.hints.account:
        if project is not None and (projected := project.rows(body)) is not None:
            reading.rows = projected[1]
            return True
        if first_in_time is not None and (first := first_in_time.records(body, reading.hints)) is not None:
            _add_picked(first, reading, None)
            return True
        if screen is not None and screen.by_record and (listed := _listed_records(body, screen)) is not None:
            _add_picked(listed, reading, admit)
            return True
    if screen is not None and not screen.may_match(body):
        reading.screened_out = True
        return True
    return False


def _listed_records(body: bytes, screen: ContentScreen) -> tuple[int, list[tuple[int, Any]]] | None:
    """The records a screen lists, parsed, with the count of all; None when they cannot be had so."""
    listed = screen.listed_records(body)
    if listed is None:
        return None
    count, spans = listed
    try:
        return count, [(ordinal, orjson.loads(body[start:end])) for ordinal, start, end in spans]
    except orjson.JSONDecodeError:
        return None


def _add_picked(picked: tuple[int, list[tuple[int, Any]]], reading: FileReading, admit: Admit | None) -> None:
    """The records a shortcut parsed become events (or `passed_over` where `admit` turns them away), each
    with its ordinal in the file; the rest of the file's records are counted as `unparsed`."""
    count, records = picked
    for ordinal, record in records:
        if admit is not None and not admit(record):
            reading.passed_over.append(record)
        else:
            reading.events.append(make_event(record, reading.path, ordinal, reading.hints))
    reading.unparsed = count - len(records)


def _read_streamed(pieces: Iterator[bytes], stream: _Stream, admit: Admit | None) -> Iterator[FileReading]:
    """The parts of content too large to read whole, by its format (told from its start)."""
    reading = stream.reading
    body = _start_of(pieces)
    if not body:
        reading.skipped_file_reason = "no events in file"
        return
    if body[:1] not in (b"{", b"["):
        reading.skipped_file_reason = "not CloudTrail (not JSON)"
        return
    first_line, newline, rest = body.partition(b"\n")
    if newline and rest.strip() and _looks_like_ndjson(first_line):
        yield from _stream_ndjson(body, pieces, stream)
        return
    if body[:1] == b"[":
        splitter = ArraySplitter(pieces, body, 1, MAX_RECORD_BYTES)
        yield from _stream_records(splitter, stream, admit)
        return
    opening = _ARRAY_DOCUMENT.match(body)
    if opening is not None and body[opening.end() : opening.end() + 1] == b"[":
        splitter = ArraySplitter(pieces, body, opening.end() + 1, MAX_RECORD_BYTES)
        key = opening.group(1)
        if key == b"Records":
            yield from _stream_records(splitter, stream, admit)
        else:
            yield from _stream_messages(splitter, _MESSAGE_KEYS[key], stream)
    elif opening is not None and opening.group(1) == b"Records":
        reading.skipped_file_reason = "not CloudTrail (Records is not a list)"
    elif newline and _looks_like_ndjson(first_line):
        yield from _stream_ndjson(body, pieces, stream)
    else:
        reading.skipped_file_reason = (
            "not CloudTrail (too large to read whole, and not a Records file, an export,"
            " an array of events or NDJSON)"
        )


def _start_of(pieces: Iterator[bytes]) -> bytes:
    """The content's first bytes after any padding, enough to tell its format: through its first line
    (NDJSON or not), or its first megabyte when it starts as an array document (a one-line `Records`
    file is not held whole), or MAX_RECORD_BYTES."""
    body = b""
    for piece in pieces:
        body = body + piece if body else piece.lstrip(_BODY_PADDING)
        if b"\n" in body or len(body) >= MAX_RECORD_BYTES:
            break
        if len(body) >= MIB and (body[:1] == b"[" or _ARRAY_DOCUMENT.match(body) is not None):
            break
    return body


def _stream_ndjson(body: bytes, pieces: Iterator[bytes], stream: _Stream) -> Iterator[FileReading]:
    """NDJSON line by line: complete lines only, the unfinished last one carried to the next piece."""
    reading = stream.reading
    hints = reading.hints
    line_number = 1
    partial = b""
    overlong_at: int | None = None
    data: bytes | None = body
    while data is not None:
        if overlong_at is not None:
            _, newline, data = data.partition(b"\n")
            if not newline:
                data = next(pieces, None)
                continue
            reading.skip_record(f"line {overlong_at} is longer than {MAX_RECORD_BYTES // MIB} MB")
            overlong_at = None
            line_number += 1
        complete, newline, rest = (partial + data).rpartition(b"\n") if partial else data.rpartition(b"\n")
        if newline:
            lines = complete.split(b"\n")
            size = stream.batch_size
            for start in range(0, len(lines), size):
                _read_ndjson_lines(lines[start : start + size], line_number + start, reading, hints)
                if stream.part_due():
                    yield stream.cut()
            line_number += len(lines)
        partial = rest
        if len(partial) > MAX_RECORD_BYTES:
            overlong_at, partial = line_number, b""
        data = next(pieces, None)
    if overlong_at is not None:
        reading.skip_record(f"line {overlong_at} is longer than {MAX_RECORD_BYTES // MIB} MB")
    elif partial:
        _read_ndjson_lines([partial], line_number, reading, hints)


def _parse_element(element: Element, reading: FileReading, damaged: bool) -> Any:
    """An array element parsed alone, or `_MISSING` when it is not JSON (counted as skipped)."""
    if element.value is not NOT_PARSED:
        return element.value
    if not element.complete:
        reading.skip_record(f"invalid JSON at line {element.line}")
        return _MISSING
    try:
        return orjson.loads(element.data)
    except orjson.JSONDecodeError as error:
        value = _with_surrogates_replaced(element.data, error)
        if value is None:
            reading.skip_record(f"{_json_problem(error)} at line {element.line}")
            return _MISSING
        _note(reading, f"{_SURROGATE_REPLACED} at line {element.line}" if damaged else _SURROGATE_REPLACED)
        return value


def _stream_records(splitter: ArraySplitter, stream: _Stream, admit: Admit | None) -> Iterator[FileReading]:
    """A `Records` array (or an array of events) record by record.

    Until the first record that does not parse, records are taken as from a valid document (`admit`
    applies; a record that is not an object is counted by its position); from then on as in a damaged
    one (only objects with CloudTrail keys are events, each problem told with its line).
    """
    reading = stream.reading
    hints = reading.hints
    batch: list[Any] = []
    position = 0
    damaged = False
    for element in splitter:
        position += 1
        record = _parse_element(element, reading, damaged)
        if record is _MISSING:
            if not damaged:
                _add_records(batch, reading, hints, admit, position - 1 - len(batch))
                batch = []
                damaged = True
        elif damaged:
            _add_salvaged_record(record, reading, hints, element.line)
        else:
            batch.append(record)
            if len(batch) >= stream.batch_size:
                _add_records(batch, reading, hints, admit, position - len(batch))
                batch = []
        if stream.part_due():
            yield stream.cut()
    _add_records(batch, reading, hints, admit, position - len(batch))


def _stream_messages(splitter: ArraySplitter, key: str, stream: _Stream) -> Iterator[FileReading]:
    """An export's entries one by one, each carrying its event as JSON text."""
    reading = stream.reading
    for position, element in enumerate(splitter):
        entry = _parse_element(element, reading, damaged=True)
        if entry is not _MISSING:
            _add_messages([entry], key, reading, reading.hints, position)
        if stream.part_due():
            yield stream.cut()


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
        reading.skipped_file_reason = DIGEST_FILE
    elif any(key in document for key in _EVENT_KEYS):
        _add_records([document], reading, hints)
    else:
        reading.skipped_file_reason = "not CloudTrail (no Records, events or Events)"


def _add_records(
    records: list[Any],
    reading: FileReading,
    hints: LayoutHints,
    admit: Admit | None = None,
    first_position: int = 0,
) -> None:
    """The hot loop of reading: `make_event` inlined, with the file's hints read once."""
    events = reading.events
    append = events.append
    passed_over = reading.passed_over
    path = reading.path
    hinted_account = hints.account
    hinted_region = hints.region or "unknown"
    fallback_ms = hints.delivered_ms or 0
    first_ordinal = reading.first_ordinal
    for position, record in enumerate(records, start=first_position):
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
        ordinal = first_ordinal + len(events) + len(passed_over)
        append(Event(record, timestamp_ms, path, ordinal, account, region))


def _add_messages(
    entries: list[Any], message_key: str, reading: FileReading, hints: LayoutHints, first_position: int = 0
) -> None:
    """Exports that carry each event as JSON text: the text is kept exactly as `@message`."""
    for position, entry in enumerate(entries, start=first_position):
        message = entry.get(message_key) if isinstance(entry, dict) else None
        record = _parse_message(message)
        if record is None:
            reading.skip_record(f"entry {position + 1} has no event JSON in {message_key!r}")
            continue
        event = make_event(record, reading.path, reading.next_ordinal, hints, message=message)
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
    _read_ndjson_lines(body.split(b"\n"), 1, reading, hints)


def _read_ndjson_lines(lines: list[bytes], first_line: int, reading: FileReading, hints: LayoutHints) -> None:
    for line_number, line in enumerate(lines, start=first_line):
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
            reading.events.append(make_event(record, reading.path, reading.next_ordinal, hints))
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
        return
    if isinstance(record, dict) and "\\u" in source and _has_surrogate(record):
        record = _replace_surrogates(record)
        _note(reading, f"{_SURROGATE_REPLACED} at line {line}")
    _add_salvaged_record(record, reading, hints, line)


def _add_salvaged_record(record: Any, reading: FileReading, hints: LayoutHints, line: int) -> None:
    """A record of a damaged document: an event when it is an object with a CloudTrail key."""
    if isinstance(record, dict) and any(key in record for key in _EVENT_KEYS):
        reading.events.append(make_event(record, reading.path, reading.next_ordinal, hints))
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
    timestamp_ms = record_time_ms(record.get("eventTime"), record.get("@timestamp"), hints.delivered_ms)
    account = hints.account or _text(record.get("recipientAccountId")) or "unknown"
    region = _text(record.get("awsRegion")) or hints.region or "unknown"
    return Event(record, timestamp_ms, source, ordinal, account, region, message)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
