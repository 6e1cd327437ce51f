"""Reading a growing NDJSON source (a file being appended to, or a pipe) one complete line at a time.

Only complete lines (ending in a newline) are read: a writer may be half-way through the last one. Records
are numbered and lines counted across the whole source, so `@ptr`s and problem lines stay the same as if
the finished file had been read at once.
"""

from __future__ import annotations

import os

import orjson

from trailtui.events.layout import layout_hints
from trailtui.events.readers import FileReading, make_event


class NdjsonLines:
    """Turns the bytes of one NDJSON source, fed in pieces of any size, into events of its complete lines."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._hints = layout_hints(source)
        self._partial_line = b""
        self._lines_read = 0
        self._events_read = 0

    def feed(self, data: bytes) -> FileReading:
        """Events of the lines that `data` completes; an unfinished last line waits for the next feed."""
        complete, newline, rest = (self._partial_line + data).rpartition(b"\n")
        if not newline:
            self._partial_line = rest
            return FileReading(self.source)
        self._partial_line = rest
        return self._read_lines(complete.split(b"\n"), len(data))

    def _read_lines(self, lines: list[bytes], byte_size: int) -> FileReading:
        reading = FileReading(self.source, byte_size=byte_size)
        for line in lines:
            self._lines_read += 1
            if line.strip():
                self._read_line(line, reading)
        return reading

    def _read_line(self, line: bytes, reading: FileReading) -> None:
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            problem = "invalid UTF-8" if "utf-8" in str(error).lower() else "invalid JSON"
            reading.skip_record(f"{problem} at line {self._lines_read}")
            return
        if not isinstance(record, dict):
            reading.skip_record(f"line {self._lines_read} is not a JSON object")
            return
        reading.events.append(make_event(record, self.source, self._events_read, self._hints))
        self._events_read += 1


class GrowingFile:
    """The complete lines appended to an NDJSON file since the last read.

    A file that becomes shorter than what was already read was replaced or truncated: it is read again from
    its start (as `tail -F` does), which can deliver its surviving lines a second time; the reading says so.
    """

    finished = False
    """A file can always grow again: following it never ends."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lines = NdjsonLines(path)
        self._offset = 0

    def read_new(self) -> FileReading:
        try:
            size = os.path.getsize(self.path)
        except OSError:
            return FileReading(self.path)
        truncated = size < self._offset
        if truncated:
            self._lines = NdjsonLines(self.path)
            self._offset = 0
        with open(self.path, "rb") as handle:
            handle.seek(self._offset)
            data = handle.read(size - self._offset)
        self._offset += len(data)
        reading = self._lines.feed(data)
        if truncated and reading.first_problem is None:
            reading.first_problem = "file became shorter: read again from its start"
        return reading
