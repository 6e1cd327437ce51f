"""Watchers for follow mode: new files in a directory, the new lines of a growing file, and stdin.

When is a file complete? Tools such as `aws s3 sync` write a file in several steps. A watched file is read
once, when it is complete:
- gzip: when its gzip stream is whole (gzip ends with a checksum and length, so a prefix never is);
- a JSON document (`{"Records": [...]}`, an `events`/`Events` export, an array): when it parses, which no
  prefix of it does;
- NDJSON (its first line is a JSON object on its own): when its size and modification time are the same at
  two polls in a row.
The NDJSON rule cannot see a writer that pauses longer than a poll interval in the middle of a file, so only
files named like CloudTrail data are watched (`.json`, `.json.gz`, `.gz`, `.ndjson`, `.jsonl`): download
tools write to a temporary name (`aws s3 sync` uses `<name>.<random suffix>`) and rename it when done, and
those temporary files are never read. A file is not read again if it changes after it was read, and one
that never becomes complete (a corrupt gzip stream, JSON that never parses) is never read.
"""

from __future__ import annotations

import os
import queue
import threading
import zlib
from typing import IO

import orjson

from trailtui.events.follow import NdjsonLines
from trailtui.events.layout import expand_paths, is_digest
from trailtui.events.readers import FileReading

WATCHED_SUFFIXES = (".json", ".json.gz", ".gz", ".ndjson", ".jsonl")
_CONTAINER_KEYS = ("Records", "events", "Events")

FileState = tuple[int, int]


class DirectoryWatcher:
    """The files under a directory (or one file) that became complete since the last poll, each once."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._reported: set[str] = set()
        self._last_seen: dict[str, FileState] = {}

    def poll(self) -> list[str]:
        complete: list[str] = []
        for path in expand_paths([self.root]):
            if path in self._reported or not _is_watched(path):
                continue
            state = _file_state(path)
            if state is not None and _is_complete(path, state, self._last_seen.get(path)):
                self._reported.add(path)
                self._last_seen.pop(path, None)
                complete.append(path)
            elif state is not None:
                self._last_seen[path] = state
        return complete


def _is_watched(path: str) -> bool:
    return path.endswith(WATCHED_SUFFIXES) and not is_digest(path)


def _file_state(path: str) -> FileState | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _is_complete(path: str, state: FileState, previous: FileState | None) -> bool:
    if state[0] == 0:
        return False
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    if data[:2] == b"\x1f\x8b":
        return is_whole_gzip(data)
    if is_whole_json_document(data):
        return True
    return state == previous and _first_line_is_an_object(data)


def is_whole_gzip(data: bytes) -> bool:
    """True when `data` is one or more gzip members, each ending with its trailer."""
    remaining = data
    while remaining:
        inflater = zlib.decompressobj(31)
        try:
            while remaining and not inflater.eof:
                inflater.decompress(remaining, 1 << 20)
                remaining = inflater.unconsumed_tail
        except zlib.error:
            return False
        if not inflater.eof:
            return False
        remaining = inflater.unused_data
    return True


def is_whole_json_document(data: bytes) -> bool:
    """True for a whole container document: `{"Records": ...}`, an `events`/`Events` export, an array."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        return False
    if isinstance(document, dict):
        return any(key in document for key in _CONTAINER_KEYS)
    return isinstance(document, list)


def _first_line_is_an_object(data: bytes) -> bool:
    try:
        return isinstance(orjson.loads(data.split(b"\n", 1)[0]), dict)
    except orjson.JSONDecodeError:
        return False


class StdinLines:
    """NDJSON from a pipe, read by a daemon thread so that the replay never blocks on it.

    `read_new()` returns the events of the complete lines that arrived since the last call; once the stream
    has ended, a last line without a newline counts too, and `finished` becomes true.
    """

    source = "-"

    def __init__(self, stream: IO[bytes]) -> None:
        self._chunks: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._lines = NdjsonLines(self.source)
        self._stream_ended = threading.Event()
        self.finished = False
        threading.Thread(target=self._pump, args=(stream,), name="trailtui-stdin", daemon=True).start()

    def _pump(self, stream: IO[bytes]) -> None:
        try:
            for line in iter(stream.readline, b""):
                self._chunks.put(line)
        finally:
            self._stream_ended.set()

    def read_new(self) -> FileReading:
        ended = self._stream_ended.is_set()
        pieces: list[bytes] = []
        while not self._chunks.empty():
            pieces.append(self._chunks.get_nowait())
        if ended:
            pieces.append(b"\n")
            self.finished = True
        return self._lines.feed(b"".join(pieces))
