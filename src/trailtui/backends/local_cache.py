"""A session cache of the scanned events, so later queries in a session answer without reading files again.

What it keeps, for every event in scan order (files in order, records in file order, as a cold scan sees
them): its file and position (for @ptr), @timestamp, its file's average size (for bytesScanned), and a
dictionary-encoded column (distinct values plus one small code per event) for each of `CACHED_FIELDS`;
and the event's JSON itself, zlib-compressed in blocks of `BLOCK_EVENTS`, to rebuild the few events a
query needs whole. At 1M CloudTrail events that is a few hundred MB instead of the 1.25 GB of JSON.

A query runs in one of three ways, each giving exactly what a scan of the files gives:
- every `filter` conjunct on one cached field (see `insights.pushdown`) is decided once per distinct value
  and selects rows by their codes;
- a query whose streaming part and `stats` read only cached fields runs once per distinct combination of
  those fields' values, its records standing for all the rows that share them (`count` adds the number
  of rows, `count_distinct`/`min`/`max`-like aggregators see the value once, `sum`, `avg` and `pct` see it
  as often as it occurs);
- otherwise the selected events are rebuilt from their compressed JSON and run through the usual scan,
  after keeping only the newest rows that can matter when the query ends newest-first or sorts by time.
The cache is valid while every input file keeps its size and modification time. `trailtui query --cache`
keeps it in a file for later processes (`local_cache_file`).
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import operator
import os
import sys
import threading
import time
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from threading import Event as Flag
from typing import TYPE_CHECKING, Any, Literal

import orjson
from isal import isal_zlib

from trailtui.backends.base import InputReport
from trailtui.backends.local_scan import (
    PARALLEL_THRESHOLD_BYTES,
    InputFile,
    QueryScan,
    chunk_files,
    worker_context,
)
from trailtui.events.model import Event, field_getter, leaf
from trailtui.events.readers import FileReading, read_path_parts
from trailtui.insights import ast, executor
from trailtui.insights.compiler import ExpressionCompiler, Record, Scope
from trailtui.insights.pushdown import FieldTest, field_tests
from trailtui.insights.results import ScanStatistics
from trailtui.insights.steps import EndStep, LimitStep, SortStep, StatsStep
from trailtui.insights.values import QueryContext, Timestamp
from trailtui.insights.weighted import add_weighted, fields_read_before_stats, single_bin_call, weights_exact

if TYPE_CHECKING:
    from trailtui.backends.local_cache_file import MappedFile

CACHED_FIELDS = (
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "eventType",
    "eventCategory",
    "readOnly",
    "managementEvent",
    "recipientAccountId",
    "userIdentity.type",
    "userIdentity.arn",
    "userIdentity.accountId",
    "userIdentity.principalId",
    "userIdentity.userName",
    "userIdentity.invokedBy",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "responseElements.ConsoleLogin",
    "additionalEventData.MFAUsed",
    "requestParameters.bucketName",
    "requestParameters.roleArn",
)
TIMESTAMP = "@timestamp"
ACCOUNT = "\x00account"
REGION = "\x00region"
BLOCK_EVENTS = 32
COMPRESSION_LEVEL = 1
CACHE_CHUNK_BYTES = 2 * 1024 * 1024
ENCODE_SLICE = 65_536
"""Timestamps encoded at a time as Python ints (a few MB), not all at once."""
MAX_REBUILT_EVENTS = 20_000
MAX_CODE_GROUPS = 16
"""A filter on cached codes is computed per byte plane when its selected codes have at most this many
distinct higher bytes (a few passes over the codes each); past that, row by row."""
SPARSE_ROWS = 16
"""A filter's kept rows are found one by one when at most one row in this many is kept."""
PACKED_TYPECODES: dict[int, Literal["H", "I", "Q"]] = {2: "H", 4: "I", 8: "Q"}
SYSTEM_COLUMNS = {"@timestamp": TIMESTAMP, "@ingestionTime": TIMESTAMP}
ARRAY_SECTIONS = {
    "file_sizes": "q",
    "file_of": "I",
    "ordinals": "I",
    "timestamps": "q",
    "block_starts": "q",
    "explicit": "I",
    "sorted_by_time": "I",
}


FileKey = tuple[str, int, int]
_CODE_TYPES = "BHI"


@dataclass
class Column:
    """Distinct values (code 0 is "missing") and one code per event."""

    values: list[Any] = field(default_factory=lambda: [None])
    codes: Any = field(default_factory=lambda: array("B"))
    """An array of the smallest type (`B`, `H` or `I`) that holds every code, widened as values are added
    (a million events of a column with few values take 1 MB); a read-only memoryview when mapped from disk."""
    index: dict[Any, int] = field(default_factory=lambda: {_value_key(None): 0})

    def add(self, value: Any) -> None:
        key = value if type(value) is str else _value_key(value)
        code = self.index.get(key)
        if code is None:
            code = len(self.values)
            self.index[key] = code
            self.values.append(value)
            self.codes = _widened(self.codes, code)
        self.codes.append(code)

    def extend(self, other: Column) -> None:
        """Append another column's events, re-coding its values into this one's dictionary; an empty
        column takes the other's as they are (the other is not to be used after)."""
        if len(self.values) == 1 and not self.codes and isinstance(other.codes, array):
            self.values, self.codes, self.index = other.values, other.codes, other.index
            return
        mapping = array("I")
        for value in other.values:
            key = value if type(value) is str else _value_key(value)
            code = self.index.get(key)
            if code is None:
                code = len(self.values)
                self.index[key] = code
                self.values.append(value)
            mapping.append(code)
        self.codes = _widened(self.codes, len(self.values) - 1)
        self.codes.extend(map(mapping.__getitem__, other.codes))


def code_typecode(largest: int) -> str:
    """The smallest array type that holds codes up to `largest`."""
    return "B" if largest < 2**8 else "H" if largest < 2**16 else "I"


def _widened(codes: array, largest: int) -> array:
    """`codes`, or a copy in a wider type when `largest` does not fit."""
    typecode = code_typecode(largest)
    if _CODE_TYPES.index(codes.typecode) >= _CODE_TYPES.index(typecode):
        return codes
    return array(typecode, codes)


def _value_key(value: Any) -> Any:
    """Keys that keep `1`, `1.0` and `true` apart (they are equal, and hash alike, in Python)."""
    return (type(value).__name__, value)


@dataclass
class CachePart:
    """What one worker builds from a chunk of files (merged in file order into a SessionCache)."""

    paths: list[str] = field(default_factory=list)
    file_sizes: list[int] = field(default_factory=list)
    """Per file: the average event size bytesScanned counts."""
    file_of: array = field(default_factory=lambda: array("I"))
    ordinals: array = field(default_factory=lambda: array("I"))
    timestamps: array = field(default_factory=lambda: array("q"))
    columns: dict[str, Column] = field(default_factory=dict)
    blocks: list[bytes] = field(default_factory=list)
    explicit: list[int] = field(default_factory=list)
    """Events whose @message is text the file carried (exports), not the record re-serialised."""
    report: InputReport = field(default_factory=InputReport)
    """What reading these files skipped, as a scan of them reports it."""


def _account(report: InputReport, reading: FileReading) -> None:
    problem = reading.problem_line()
    if problem is not None:
        report.problem_lines.append(problem)
    if reading.skipped_file_reason is not None:
        report.files_skipped += 1
    else:
        report.files_read += 1
    report.records_skipped += reading.skipped_records


def build_part(paths: Sequence[str]) -> CachePart:
    """Worker entry point: read files and encode their events.

    A file is read in parts (`read_path_parts`) and each part encoded before the next is read, so a
    multi-GB file costs what its encoded events take, not what its events take.
    """
    part = CachePart()
    part.columns = {name: Column() for name in (*CACHED_FIELDS, ACCOUNT, REGION)}
    pending: list[bytes] = []
    for path in paths:
        file_number = len(part.paths)
        part.paths.append(path)
        content_size = event_count = 0
        for reading in read_path_parts(path):
            content_size += reading.content_size
            event_count += reading.event_count
            _encode_events(part, reading.events, file_number, pending)
        _account(part.report, reading)
        part.file_sizes.append(content_size // max(1, event_count))
    if pending:
        part.blocks.append(zlib.compress(b"".join(pending), COMPRESSION_LEVEL))
    return part


def _encode_events(
    part: CachePart,
    events: list[Event],
    file_number: int,
    pending: list[bytes],
) -> None:
    """Add one part of a file's events to the columns, and their JSON to the compressed blocks."""
    part.file_of.extend(itertools.repeat(file_number, len(events)))
    part.ordinals.extend(event.ordinal for event in events)
    part.timestamps.extend(event.timestamp_ms for event in events)
    part.columns[ACCOUNT].extend(encode_column([event.account for event in events]))
    part.columns[REGION].extend(encode_column([event.region for event in events]))
    records = [event.record for event in events]
    for name in CACHED_FIELDS:
        part.columns[name].extend(encode_column(_column_values(name, records, events)))
    dumps = orjson.dumps
    for row, event in enumerate(events, start=len(part.timestamps) - len(events)):
        if event._message is not None:
            part.explicit.append(row)
            message = event._message.encode("utf-8", "surrogatepass")
        else:
            message = dumps(event.record)
        pending.append(len(message).to_bytes(4, "little") + message)
        if len(pending) == BLOCK_EVENTS:
            part.blocks.append(zlib.compress(b"".join(pending), COMPRESSION_LEVEL))
            pending.clear()


def _column_values(name: str, records: list[dict[str, Any]], events: list[Event]) -> list[Any]:
    """`field_getter(name)` of every event, a top-level or `a.b` field read in one pass over the records
    (the general path walk takes `a` first too, and then finds `b` in it or nothing; without `a` or
    with `a` null, it finds a key `a.b` or nothing)."""
    segments = name.split(".")
    general = field_getter(name)
    if len(segments) == 1:
        values = [record.get(name) for record in records]
    elif len(segments) == 2:
        outer, inner = segments
        values = [
            node.get(inner)
            if type(node := record.get(outer)) is dict
            else general(event)
            if node is not None or name in record
            else None
            for record, event in zip(records, events, strict=True)
        ]
    else:
        return list(map(general, events))
    if any(issubclass(kind, dict | list) for kind in set(map(type, values))):
        return list(map(leaf, values))
    return values


def encode_column(values: list[Any]) -> Column:
    """Dictionary-encode values (code 0 for missing), in order of first appearance.

    When the present values are all of one type they can go through dicts as they are (in C); a mix of
    types goes value by value, keeping `1`, `1.0` and `true` apart.
    """
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if len(kinds) > 1 or (kinds and next(iter(kinds)) not in (str, bool, int)):
        column = Column()
        for value in values:
            column.add(value)
        return column
    distinct = [None, *dict.fromkeys(values)]
    if len(distinct) > 1 and None in distinct[1:]:
        distinct = [value for value in distinct if value is not None]
        distinct.insert(0, None)
    index = {value: code for code, value in enumerate(distinct)}
    codes = array(code_typecode(len(distinct) - 1), map(index.__getitem__, values))
    key_index = {(value if type(value) is str else _value_key(value)): code for value, code in index.items()}
    return Column(distinct, codes, key_index)


class SessionCache:
    """The merged cache of every input file (see the module docstring).

    Built in memory (`add` each part, then `finish`), or mapped from a file written by `save_cache`, whose
    sections load when first read: a query reads only the columns it needs and the blocks it rebuilds.
    """

    def __init__(self, key: list[FileKey], source: MappedFile | None = None) -> None:
        self.key = key
        self.source = source
        self.paths: list[str] = []
        self.report = InputReport()
        self._arrays: dict[str, Any] = {}
        self._columns = LazyColumns(source)
        self._blocks: Any = []
        self._explicit: set[int] | None = None
        self._all_statistics: ScanStatistics | None = None
        self._code_counts: dict[str, Counter[int]] = {}
        self._binned: dict[ast.Call, Binned | None] = {}
        if source is None:
            for name, typecode in ARRAY_SECTIONS.items():
                if name != "sorted_by_time":
                    self._arrays[name] = array(typecode)
            self._explicit = set()
            for name in (*CACHED_FIELDS, ACCOUNT, REGION):
                self._columns[name] = Column()
        else:
            self._blocks = source.blocks()

    def _array(self, name: str) -> Any:
        found = self._arrays.get(name)
        if found is None:
            assert self.source is not None
            found = self._arrays[name] = self.source.array(name)
        return found

    @property
    def file_sizes(self) -> Any:
        return self._array("file_sizes")

    @property
    def file_of(self) -> Any:
        return self._array("file_of")

    @property
    def ordinals(self) -> Any:
        return self._array("ordinals")

    @property
    def timestamps(self) -> Any:
        return self._array("timestamps")

    @property
    def block_starts(self) -> Any:
        return self._array("block_starts")

    @property
    def columns(self) -> LazyColumns:
        return self._columns

    @property
    def blocks(self) -> Any:
        return self._blocks

    @property
    def explicit(self) -> set[int]:
        if self._explicit is None:
            self._explicit = set(self._array("explicit"))
        return self._explicit

    def add(self, part: CachePart) -> None:
        """Append a part's rows; the part is used up (the first part's arrays are taken, not copied)."""
        offset, file_offset = len(self.timestamps), len(self.paths)
        self.paths.extend(part.paths)
        self.file_sizes.extend(part.file_sizes)
        if offset or file_offset:
            self.file_of.extend(number + file_offset for number in part.file_of)
            self.ordinals.extend(part.ordinals)
            self.timestamps.extend(part.timestamps)
        else:
            self._arrays.update(file_of=part.file_of, ordinals=part.ordinals, timestamps=part.timestamps)
        for position in range(len(part.blocks)):
            self.block_starts.append(offset + position * BLOCK_EVENTS)
        self._blocks.extend(part.blocks)
        self.explicit.update(offset + position for position in part.explicit)
        for name, column in part.columns.items():
            self.columns[name].extend(column)
        self.report.problem_lines.extend(part.report.problem_lines)
        self.report.files_read += part.report.files_read
        self.report.files_skipped += part.report.files_skipped
        self.report.records_skipped += part.report.records_skipped

    def finish(self) -> None:
        """Encode @timestamp as a column too (its distinct seconds are few), and order rows by time."""
        column = Column()
        timestamps = self.timestamps
        for start in range(0, len(timestamps), ENCODE_SLICE):
            column.extend(encode_column(timestamps[start : start + ENCODE_SLICE].tolist()))
        self.columns[TIMESTAMP] = column
        self.sorted_by_time()

    @property
    def size(self) -> int:
        return len(self.timestamps)

    def event_sizes(self, rows: Iterable[int]) -> int:
        sizes, file_of = self.file_sizes, self.file_of
        return sum(sizes[file_of[row]] for row in rows)

    def set_all_statistics(self, statistics: ScanStatistics) -> None:
        """What `all_statistics` gives, known already (kept in a cache file)."""
        self._all_statistics = statistics

    def all_statistics(self) -> ScanStatistics:
        """A scan's statistics over every row (computed once; a fresh copy each time)."""
        if self._all_statistics is None:
            statistics = ScanStatistics()
            accounts = self.columns[ACCOUNT]
            statistics.records_scanned = self.size
            counts = Counter(self.file_of)
            sizes = self.file_sizes
            statistics.bytes_scanned = sum(sizes[number] * count for number, count in counts.items())
            statistics.accounts = {accounts.values[code] for code in set(accounts.codes)}
            self._all_statistics = statistics
        cached = self._all_statistics
        copy = ScanStatistics()
        copy.records_scanned, copy.bytes_scanned = cached.records_scanned, cached.bytes_scanned
        copy.accounts = set(cached.accounts)
        return copy

    def code_counts(self, name: str) -> Counter[int]:
        """How many rows hold each code of a column (counted once per cache)."""
        counts = self._code_counts.get(name)
        if counts is None:
            counts = self._code_counts[name] = Counter(self.columns[name].codes)
        return counts

    def binned_times(self, call: ast.Call, context: QueryContext) -> Binned | None:
        """`binned_times` of the @timestamp column for one `bin` call (computed once per call)."""
        if call not in self._binned:
            self._binned[call] = binned_times(self.columns[TIMESTAMP], call, context)
        return self._binned[call]

    def sorted_by_time(self) -> Any:
        """Rows in time order (ties in row order)."""
        found = self._arrays.get("sorted_by_time")
        if found is None and self.source is not None and self.source.has("sorted_by_time"):
            found = self._array("sorted_by_time")
        if found is None:
            found = self._arrays["sorted_by_time"] = rows_by_time(self.columns[TIMESTAMP])
        return found

    def events(self, rows: Sequence[int]) -> list[Event]:
        """Rebuild the events of some rows (in the order given) from their compressed JSON."""
        accounts, regions = self.columns[ACCOUNT], self.columns[REGION]
        block_starts, blocks, explicit_rows = self.block_starts, self.blocks, self.explicit
        timestamps, paths, file_of, ordinals = self.timestamps, self.paths, self.file_of, self.ordinals
        events: list[Event] = []
        decoded_block = -1
        messages: list[bytes] = []
        for row in rows:
            block = bisect_right(block_starts, row) - 1
            if block != decoded_block:
                messages = _split_block(isal_zlib.decompress(blocks[block]))
                decoded_block = block
            message = messages[row - block_starts[block]]
            explicit = row in explicit_rows
            events.append(
                Event(
                    orjson.loads(message),
                    timestamps[row],
                    paths[file_of[row]],
                    ordinals[row],
                    accounts.values[accounts.codes[row]],
                    regions.values[regions.codes[row]],
                    message.decode("utf-8", "surrogatepass") if explicit else None,
                )
            )
        return events


class LazyColumns(dict[str, Column]):
    """The columns by name; a mapped cache loads each the first time it is asked for."""

    def __init__(self, source: MappedFile | None) -> None:
        super().__init__()
        self.source = source

    def __missing__(self, name: str) -> Column:
        if self.source is None or not self.source.has_column(name):
            raise KeyError(name)
        column = self[name] = self.source.column(name)
        return column

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default


def rows_by_time(times: Column) -> array:
    """Rows in time order, ties in row order: a counting sort over the @timestamp column's codes (a
    list of every row as a Python int would take 36 bytes a row)."""
    codes = times.codes
    counts = Counter(codes)
    next_slot = [0] * len(times.values)
    slot = 0
    for code in sorted(counts, key=times.values.__getitem__):
        next_slot[code] = slot
        slot += counts[code]
    rows = array("I", bytes(4 * len(codes)))
    for row, code in enumerate(codes):
        slot = next_slot[code]
        rows[slot] = row
        next_slot[code] = slot + 1
    return rows


def _split_block(data: bytes) -> list[bytes]:
    messages, position = [], 0
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "little")
        messages.append(data[position + 4 : position + 4 + length])
        position += 4 + length
    return messages


def file_key(paths: Sequence[str]) -> list[FileKey]:
    """What the cache depends on: every input file's path, size and modification time."""
    key = []
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            key.append((path, -1, -1))
            continue
        key.append((path, status.st_size, status.st_mtime_ns))
    return key


class CacheCorrupt(Exception):
    """The file is not a cache this version can read, or a section fails its check."""


def listed_key(files: Sequence[InputFile]) -> list[FileKey]:
    """`file_key` from what listing the files found (no second `stat` of each)."""
    return [
        (input_file.path, input_file.size, input_file.mtime_ns)
        if input_file.mtime_ns != -1
        else (input_file.path, -1, -1)
        for input_file in files
    ]


# --- running a query over the cache ---------------------------------------------------------------


def run_cached(
    cache: SessionCache, compiled: executor.CompiledQuery, options: executor.RunOptions
) -> executor.Partial | None:
    """The merged partial a scan of the files would give, computed from the cache.

    None when scanning the files is the better way: `limit any` (its answer is whichever rows a scan
    meets first), or when more than `MAX_REBUILT_EVENTS` events would have to be rebuilt whole.
    """
    if any(isinstance(command, ast.Limit) and command.any for command in compiled.query.commands):
        return None
    rows = _rows_in_range(cache, options)
    statistics = _statistics(cache, rows)
    tests = field_tests(compiled.query, options.context)
    pushed_all = _all_conjuncts_pushed(compiled.query, tests)
    rows = _select(cache, rows, tests)
    plan = executor.Plan(compiled.query, options)
    needed = fields_read_before_stats(compiled.query, _cached_column)
    if isinstance(plan.barrier, StatsStep) and needed is not None and weights_exact(plan.barrier):
        return _run_by_combination(cache, plan, rows, needed, statistics, compiled.query, options.context)
    reaching = None
    if pushed_all and _prefix_keeps_every_row(compiled.query):
        reaching = len(rows) if rows is not None else cache.size
        rows = _newest_that_matter(cache, compiled.query, plan, rows)
    if (len(rows) if rows is not None else cache.size) > MAX_REBUILT_EVENTS:
        return None
    events = cache.events(rows if rows is not None else range(cache.size))
    scanner = executor.Scanner(compiled, options)
    scanner.feed(events, event_size=0)
    partial = scanner.partial()
    if reaching is not None:
        partial.statistics.records_matched = reaching
    partial.statistics.records_scanned = statistics.records_scanned
    partial.statistics.bytes_scanned = statistics.bytes_scanned
    partial.statistics.accounts = statistics.accounts
    return partial


def _rows_in_range(cache: SessionCache, options: executor.RunOptions) -> list[int] | None:
    """Rows inside the time range, or None for all rows."""
    if options.start_ms is None and options.end_ms is None:
        return None
    low = options.start_ms if options.start_ms is not None else -(2**63)
    high = options.end_ms if options.end_ms is not None else 2**63
    return [row for row, moment in enumerate(cache.timestamps) if low <= moment <= high]


def _statistics(cache: SessionCache, rows: list[int] | None) -> ScanStatistics:
    if rows is None:
        return cache.all_statistics()
    statistics = ScanStatistics()
    accounts = cache.columns[ACCOUNT]
    statistics.records_scanned = len(rows)
    statistics.bytes_scanned = cache.event_sizes(rows)
    statistics.accounts = {accounts.values[accounts.codes[row]] for row in rows}
    return statistics


def _select(cache: SessionCache, rows: list[int] | None, tests: list[FieldTest]) -> list[int] | None:
    """Keep the rows whose cached values pass every pushed-down test."""
    masks = []
    for test in tests:
        column = cache.columns.get(test.field_name)
        if column is not None:
            masks.append((column.codes, bytes(test.holds(value) for value in column.values)))
    if rows is None and masks:
        kept = functools.reduce(operator.and_, (_row_flags(codes, mask) for codes, mask in masks))
        return _flagged_rows(kept.to_bytes(cache.size, "little"))
    for codes, mask in masks:
        assert rows is not None
        rows = [row for row in rows if mask[codes[row]]]
    return rows


def _row_flags(codes: Any, mask: bytes) -> int:
    """Byte r of the result (little-endian) is 1 when `mask` holds for row r's code, else 0.

    Computed in C a byte plane of the codes at a time, not row by row: the selected codes are grouped by
    their higher bytes; per group, the rows' lowest bytes go through a table of the group's lowest bytes
    and their higher bytes through a table of the group's (0/1 bytes, combined as big integers).
    """
    groups: dict[int, bytearray] = {}
    for code in itertools.compress(range(len(mask)), mask):
        groups.setdefault(code >> 8, bytearray(256))[code & 0xFF] = 1
    if len(groups) > MAX_CODE_GROUPS:
        return int.from_bytes(bytes(map(mask.__getitem__, codes)), "little")
    data = memoryview(codes).cast("B").tobytes()
    planes = [data[index :: codes.itemsize] for index in range(codes.itemsize)]
    if sys.byteorder == "big":
        planes.reverse()
    lowest, higher = planes[0], planes[1:]
    selected = 0
    for high, table in groups.items():
        flags = int.from_bytes(lowest.translate(table), "little")
        for position, plane in enumerate(higher):
            byte = (high >> (8 * position)) & 0xFF
            flags &= int.from_bytes(plane.translate(bytes(value == byte for value in range(256))), "little")
        selected |= flags
    return selected


def _flagged_rows(flags: bytes) -> list[int]:
    """The positions of the 1s in `flags`: found one by one (in C) when they are few, else in one pass."""
    if flags.count(1) * SPARSE_ROWS > len(flags):
        return list(itertools.compress(range(len(flags)), flags))
    rows, find = [], flags.find
    position = find(1)
    while position != -1:
        rows.append(position)
        position = find(1, position + 1)
    return rows


def _all_conjuncts_pushed(query: ast.Query, tests: list[FieldTest]) -> bool:
    """Every filter before the first barrier was pushed down whole, to cached columns."""
    if any(test.field_name not in CACHED_FIELDS for test in tests):
        return False
    conjuncts = 0
    for command in query.commands:
        if isinstance(command, executor.BARRIER_COMMANDS):
            break
        if isinstance(command, ast.Filter):
            conjuncts += _count_conjuncts(command.condition)
    return conjuncts == len(tests)


def _count_conjuncts(condition: ast.Expression) -> int:
    if isinstance(condition, ast.Binary) and condition.operator == "and":
        return _count_conjuncts(condition.left) + _count_conjuncts(condition.right)
    return 1


def _prefix_keeps_every_row(query: ast.Query) -> bool:
    """Apart from filters, the streaming part neither drops nor multiplies rows."""
    for command in query.commands:
        if isinstance(command, executor.BARRIER_COMMANDS):
            return True
        if isinstance(command, ast.Unnest) or (isinstance(command, ast.Parse) and command.multi):
            return False
    return True


def _newest_that_matter(
    cache: SessionCache, query: ast.Query, plan: executor.Plan, rows: list[int] | None
) -> list[int] | None:
    """For queries that keep the newest N rows, the N newest selected rows and any tied with the last."""
    barrier = plan.barrier
    if isinstance(barrier, EndStep):
        bound: int | None = barrier.bound
    elif isinstance(barrier, LimitStep) and not barrier.any:
        bound = barrier.count
    elif isinstance(barrier, SortStep) and barrier.bound is not None and _sorts_newest_first(query):
        bound = barrier.bound
    else:
        return rows
    if bound is None or (rows is not None and len(rows) <= bound):
        return rows
    timestamps = cache.timestamps
    if rows is None:
        order = cache.sorted_by_time()
        kept = list(order[max(0, len(order) - bound) :])
    else:
        kept = heapq.nlargest(bound, rows, key=timestamps.__getitem__)
    oldest_kept = min(timestamps[row] for row in kept)
    if rows is None:
        order = cache.sorted_by_time()
        return sorted(order[bisect_left(order, oldest_kept, key=timestamps.__getitem__) :])
    return sorted(row for row in rows if timestamps[row] >= oldest_kept)


def _sorts_newest_first(query: ast.Query) -> bool:
    sort = next(command for command in query.commands if isinstance(command, ast.Sort))
    key = sort.keys[0]
    return len(sort.keys) == 1 and key.field.name in SYSTEM_COLUMNS and key.descending


def _cached_column(name: str) -> str | None:
    column = SYSTEM_COLUMNS.get(name, name)
    return column if column in CACHED_FIELDS or column == TIMESTAMP else None


def _run_by_combination(
    cache: SessionCache,
    plan: executor.Plan,
    rows: list[int] | None,
    needed: list[str],
    statistics: ScanStatistics,
    query: ast.Query,
    context: QueryContext,
) -> executor.Partial:
    stats = plan.barrier
    assert isinstance(stats, StatsStep)
    if stats.needs_time and TIMESTAMP not in needed:
        needed = [*needed, TIMESTAMP]
    columns = [cache.columns[name] for name in needed]
    recoded: dict[int, list[int]] = {}
    recoded_members: dict[int, list[list[int]]] = {}
    if TIMESTAMP in needed and not stats.needs_time:
        call = single_bin_call(query)
        binned = cache.binned_times(call, context) if call is not None else None
        if binned is not None:
            position = needed.index(TIMESTAMP)
            columns[position], recoded[position], recoded_members[position] = binned
    combinations = _count_combinations(cache, needed, rows, recoded, recoded_members)
    state = stats.new_state()
    matched = 0
    steps = plan.prefix
    for codes, weight in combinations.items():
        records: Iterable[Record] = [Record(_stand_in(needed, columns, codes), {})]
        for step in steps:
            records = step(records)
        for record in records:
            matched += weight
            add_weighted(stats, state, record, weight)
    statistics.records_matched = matched
    return executor.Partial(statistics, state)


def _count_combinations(
    cache: SessionCache,
    needed: list[str],
    rows: list[int] | None,
    recoded: dict[int, list[int]],
    recoded_members: dict[int, list[list[int]]],
) -> Counter[tuple[int, ...]]:
    """How many rows share each combination of codes, in order of first appearance; a column in
    `recoded` counts by its codes' new codes (a time by its bucket; `recoded_members` lists each new
    code's old codes)."""
    columns = [cache.columns[name] for name in needed]
    if len(columns) == 1:
        if rows is None and 0 in recoded_members:
            return _bucket_counts(cache, columns[0].values, recoded_members[0])
        counts = cache.code_counts(needed[0]) if rows is None else None
        if counts is None:
            codes = columns[0].codes
            counts = Counter(codes if rows is None else map(codes.__getitem__, rows))
        members = recoded_members.get(0)
        if members is None:
            return Counter({(code,): count for code, count in counts.items()})
        # Per new code: its rows (the counts of its old codes) and where the first of them came.
        first_seen = dict(zip(counts, range(len(counts)), strict=True))
        folded = []
        for new_code, old_codes in enumerate(members):
            total = sum(map(counts.__getitem__, old_codes))
            if total:
                folded.append(
                    (min(map(first_seen.get, old_codes, itertools.repeat(len(counts)))), new_code, total)
                )
        folded.sort()
        return Counter({(new_code,): total for _, new_code, total in folded})
    if rows is None and not recoded:
        packed = _packed_counts([column.codes for column in columns])
        if packed is not None:
            return packed
    streams = []
    for position, column in enumerate(columns):
        codes = column.codes
        stream: Iterable[int] = codes if rows is None else map(codes.__getitem__, rows)
        if position in recoded:
            stream = map(recoded[position].__getitem__, stream)
        streams.append(stream)
    return Counter(zip(*streams, strict=True))


def _bucket_counts(
    cache: SessionCache, times: list[Any], members: list[list[int]]
) -> Counter[tuple[int, ...]]:
    """Every row's count per time bucket (`members`: each bucket's codes in the @timestamp column, whose
    `times` are the values), as the fold of per-time counts gives it, from the rows in time order instead:
    a bucket is one run of times, so its rows are one run of that order (two bisections), and it comes
    where its first row (the run's smallest) comes."""
    order, timestamps = cache.sorted_by_time(), cache.timestamps
    folded = []
    for new_code, old_codes in enumerate(members):
        present = [times[code] for code in old_codes if code != 0]
        if not present:
            continue
        low = bisect_left(order, min(present), key=timestamps.__getitem__)
        high = bisect_right(order, max(present), key=timestamps.__getitem__)
        if high > low:
            folded.append((min(order[low:high]), new_code, high - low))
    folded.sort()
    return Counter({(new_code,): total for _, new_code, total in folded})


def _packed_counts(codes: list[Any]) -> Counter[tuple[int, ...]] | None:
    """`Counter(zip(*codes))`, counted on one integer per row that packs the row's codes side by side
    (byte planes copied in C), which is about twice as fast as counting tuples; None when the codes
    are wider than 8 bytes together."""
    widths = [column.itemsize for column in codes]
    size = next((size for size in (2, 4, 8) if size >= sum(widths)), None)
    if size is None:
        return None
    little = sys.byteorder == "little"
    packed = bytearray(size * len(codes[0]))
    offset = 0
    for column, width in zip(codes, widths, strict=True):
        data = memoryview(column).cast("B").tobytes()
        for byte in range(width):
            source = byte if little else width - 1 - byte
            target = offset + byte if little else size - 1 - offset - byte
            packed[target::size] = data[source::width]
        offset += width
    counts = Counter(memoryview(packed).cast(PACKED_TYPECODES[size]))
    shifts = list(itertools.accumulate((8 * width for width in widths[:-1]), initial=0))
    masks = [(1 << (8 * width)) - 1 for width in widths]
    return Counter(
        {
            tuple((key >> shift) & mask for shift, mask in zip(shifts, masks, strict=True)): count
            for key, count in counts.items()
        }
    )


Binned = tuple[Column, list[int], list[list[int]]]


def binned_times(times: Column, call: ast.Call, context: QueryContext) -> Binned | None:
    """When a query reads @timestamp only through one `bin(period)` call: a column of its buckets, the
    bucket's code for each time's code, and each bucket's time codes (None if some time has no bucket).

    Rows whose times share a bucket then make one combination instead of one per distinct second. `bin`
    rounds down, so it is monotonic: along the sorted distinct times each bucket is one run, found by a
    binary search (a few hundred evaluations instead of one per time). A bucket stands in for its times
    only if binning it again gives itself, which is checked.
    """
    compiled = ExpressionCompiler(Scope(), context).compile(call)

    def bucket(moment: int) -> Any:
        return compiled(Record(Event({}, moment, "", 0, "", ""), {}))

    values = times.values
    if not set(map(type, values[1:])) <= {int}:
        return None
    ordered = sorted(range(1, len(values)), key=values.__getitem__)
    buckets = Column()
    bucket_codes = [0] * len(values)
    members: list[list[int]] = [[0]]
    start = 0
    while start < len(ordered):
        value = bucket(values[ordered[start]])
        if type(value) is not Timestamp or bucket(int(value)) != value:
            return None
        low, high = start, len(ordered) - 1
        while low < high:  # the last position whose time falls in the same bucket
            middle = (low + high + 1) // 2
            if bucket(values[ordered[middle]]) == value:
                low = middle
            else:
                high = middle - 1
        buckets.add(int(value))
        code = len(buckets.values) - 1
        members.append(ordered[start : low + 1])
        for position in range(start, low + 1):
            bucket_codes[ordered[position]] = code
        start = low + 1
    return buckets, bucket_codes, members


def _stand_in(needed: list[str], columns: list[Column], codes: tuple[int, ...]) -> Event:
    """An event holding just the cached values of one combination."""
    record: dict[str, Any] = {}
    timestamp_ms = 0
    for name, column, code in zip(needed, columns, codes, strict=True):
        value = column.values[code]
        if name == TIMESTAMP:
            timestamp_ms = value
        elif value is not None:
            _place(record, name.split("."), value)
    return Event(record, timestamp_ms, "", 0, "", "")


def _place(record: dict[str, Any], segments: list[str], value: Any) -> None:
    node = record
    for segment in segments[:-1]:
        node = node.setdefault(segment, {})
    node[segments[-1]] = value


# --- building -------------------------------------------------------------------------------------


def build_cache(
    files: Sequence[InputFile], cancelled: Flag, on_part: Callable[[CachePart], None] | None = None
) -> SessionCache | None:
    """Read every file into a cache, in worker processes for large inputs of several chunks (one chunk,
    such as one large file, is built here: nothing to copy back); None if cancelled.

    `on_part` sees each part as it is merged (to show progress).
    """
    key = file_key([input_file.path for input_file in files])
    cache = SessionCache(key)
    chunks = [[input_file.path for input_file in chunk] for chunk in chunk_files(files, CACHE_CHUNK_BYTES)]
    total = sum(input_file.size for input_file in files)

    def add(part: CachePart) -> None:
        cache.add(part)
        if on_part is not None:
            on_part(part)

    if total < PARALLEL_THRESHOLD_BYTES or len(chunks) < 2 or (os.cpu_count() or 1) < 2:
        for chunk in chunks:
            if cancelled.is_set():
                return None
            add(build_part(chunk))
    else:
        from concurrent.futures import ProcessPoolExecutor  # as in local_scan: only a build starts workers

        with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=worker_context()) as pool:
            futures = [pool.submit(build_part, chunk) for chunk in chunks]
            for future in futures:
                if cancelled.is_set():
                    for pending in futures:
                        pending.cancel()
                    return None
                add(future.result())
    cache.finish()
    return cache


class QueryCache:
    """A LocalBackend's session cache: built in the background after the first full scan, then used.

    A query that starts while the cache is being built waits for it (the build costs about one scan).
    Set TRAILTUI_SESSION_CACHE=0 to turn it off. With a `directory` (`trailtui query --cache`), the cache
    is instead read from a file there, or built before the first query and written for the next process.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and os.environ.get("TRAILTUI_SESSION_CACHE", "1") != "0"
        self.background = True
        self.directory: Path | None = None
        self.notices: list[str] = []
        self._cache: SessionCache | None = None
        self._report = InputReport()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closing = Flag()

    def configure(self, background: bool, directory: Path | None) -> None:
        """`background`: build a cache after a first scan; `directory`: keep caches in files there."""
        self.background = background
        self.directory = directory

    def run(self, scan: QueryScan) -> executor.Partial | None:
        """The scan's merged partial from the cache, or None when there is no valid cache."""
        if not self.enabled:
            return None
        checked = False
        if self.directory is not None and self._cache is None:
            self._cache = self._from_directory(scan)
            checked = True  # read or built just now, for the files as they are
        thread = self._thread
        while thread is not None and thread.is_alive():
            if scan.cancelled.is_set():
                return None
            thread.join(0.05)
        cache = self._cache
        if cache is None:
            return None
        if not checked and file_key([input_file.path for input_file in scan.files]) != cache.key:
            return None
        try:
            partial = run_cached(cache, scan.compiled, scan.options)
        except CacheCorrupt as error:
            self._discard(error)
            return None
        if partial is None:
            return None
        report = cache.report if self.directory is not None else self._report
        scan.report = replace(report, problem_lines=list(report.problem_lines))
        progress = scan.progress
        progress.files_total = progress.files_done = len(scan.files)
        progress.bytes_total = progress.bytes_done = sum(input_file.size for input_file in scan.files)
        progress.events_read = partial.statistics.records_scanned
        return partial

    def _from_directory(self, scan: QueryScan) -> SessionCache | None:
        """The cache file for these inputs, or a new cache built now and written there."""
        from trailtui.backends.local_cache_file import cache_file, load_cache, max_cache_bytes, save_cache

        assert self.directory is not None
        files = list(scan.files)
        key = listed_key(files)
        path = cache_file(self.directory, [input_file.path for input_file in files])
        try:
            cache = load_cache(path, key)
        except CacheCorrupt as error:
            self.notices.append(f"discarded the query cache {path}: {error}")
            with contextlib.suppress(OSError):
                path.unlink()
            cache = None
        if cache is not None:
            return cache
        progress = scan.progress
        progress.files_total = len(files)
        progress.bytes_total = sum(input_file.size for input_file in files)
        started = time.monotonic()

        def on_part(part: CachePart) -> None:
            first = progress.files_done
            progress.files_done += len(part.paths)
            progress.bytes_done += sum(input_file.size for input_file in files[first : progress.files_done])
            progress.events_read += len(part.timestamps)
            progress.elapsed_s = time.monotonic() - started

        built = build_cache(files, scan.cancelled, on_part)
        progress.files_done = progress.bytes_done = progress.events_read = 0
        if built is None:
            return None
        try:
            note = save_cache(built, path, max_cache_bytes())
        except OSError as error:
            note = f"query cache not written to {path}: {error.strerror or error}"
        if note is not None:
            self.notices.append(note)
        return built

    def _discard(self, error: CacheCorrupt) -> None:
        cache, self._cache = self._cache, None
        if cache is not None and cache.source is not None:
            self.notices.append(f"discarded the query cache {cache.source.path}: {error}")
            with contextlib.suppress(OSError):
                cache.source.path.unlink()

    def start_building(self, scan: QueryScan) -> None:
        """After a complete scan of files (never stdin), build the cache of those files in the background."""
        with self._lock:
            if (
                not self.enabled
                or not self.background
                or self.directory is not None
                or self._thread is not None
                or self._closing.is_set()
            ):
                return
            self._report = scan.report
            files = list(scan.files)
            self._thread = threading.Thread(
                target=self._build, args=(files,), daemon=True, name="query-cache"
            )
            self._thread.start()

    def _build(self, files: list[InputFile]) -> None:
        try:
            self._cache = build_cache(files, self._closing)
        except Exception:  # a cache is an optimisation: without one, queries scan the files
            self._cache = None

    def close(self) -> None:
        self._closing.set()
        if self._thread is not None:
            self._thread.join()
