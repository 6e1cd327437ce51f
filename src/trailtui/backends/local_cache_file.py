"""The query cache as a file, so a later `trailtui query --cache` process answers without reading the inputs.

One file per list of input paths: a fixed preamble (magic, format version, header length and CRC), a
header (the input key, the paths, the input report, and where each section lies), then sections aligned
to 8 bytes: the row arrays, per column its values and its codes (in the smallest integer type that holds
them), and the compressed blocks. The file is mapped, never read whole: a section is checked (CRC-32) and
decoded the first time a query reads it. Values and the header are pickles of plain data only (lists,
tuples, strings, numbers), read by an unpickler that refuses every class.

Files are written atomically (a temporary file renamed into place), readable by their owner only, and
the directory is kept within `max_cache_bytes()` by removing the least recently used files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import mmap
import os
import pickle
import struct
import sys
import tempfile
import time
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from trailtui.backends.base import InputReport
from trailtui.backends.local_cache import (
    ARRAY_SECTIONS,
    CacheCorrupt,
    Column,
    FileKey,
    SessionCache,
    code_typecode,
)
from trailtui.insights.results import ScanStatistics

FORMAT_VERSION = 1
MAGIC = b"trailtui query cache\n"
PREAMBLE = struct.Struct("<IQI")
SUFFIX = ".trailtui-cache"
DEFAULT_MAX_CACHE_MB = 2048
"""The whole cache directory's bound (TRAILTUI_CACHE_MAX_MB overrides it); least recently used first out."""


ABANDONED_AFTER_S = 3600
"""A partial write older than this was abandoned (its process died) and counts towards eviction."""


class _PlainData(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a cache holds plain data only, not {module}.{name}")


def _plain_loads(data: bytes | memoryview) -> Any:
    return _PlainData(io.BytesIO(data)).load()


@dataclass
class Section:
    offset: int
    length: int
    kind: str
    """An array typecode, "pickle" or "raw"."""
    crc: int


class MappedFile:
    """A cache file mapped into memory, its sections decoded on demand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as handle:
            self.map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(self.map)
        if view[: len(MAGIC)] != MAGIC:
            raise CacheCorrupt("not a trailtui query cache")
        version, header_length, header_crc = PREAMBLE.unpack_from(view, len(MAGIC))
        if version != FORMAT_VERSION:
            raise CacheCorrupt(f"format version {version}, this trailtui reads {FORMAT_VERSION}")
        start = len(MAGIC) + PREAMBLE.size
        header_bytes = view[start : start + header_length]
        if len(header_bytes) != header_length or zlib.crc32(header_bytes) != header_crc:
            raise CacheCorrupt("damaged header")
        try:
            header = _plain_loads(header_bytes)
            self.key: list[FileKey] = [
                (str(path), int(size), int(mtime)) for path, size, mtime in header["key"]
            ]
            self.paths: list[str] = list(header["paths"])
            self.report = InputReport(list(header["report"][0]), *header["report"][1:])
            self.byteorder: str = header["byteorder"]
            records, size, accounts = header["statistics"]
            self.statistics = ScanStatistics()
            self.statistics.records_scanned, self.statistics.bytes_scanned = int(records), int(size)
            self.statistics.accounts = set(accounts)
            base = _data_start(header_length)
            self.sections = {
                name: Section(base + offset, length, kind, crc)
                for name, (offset, length, kind, crc) in header["sections"].items()
            }
        except (pickle.UnpicklingError, KeyError, TypeError, ValueError, IndexError, EOFError) as error:
            raise CacheCorrupt(f"damaged header ({error})") from None
        if self.byteorder != sys.byteorder:
            raise CacheCorrupt(f"written on a {self.byteorder}-endian machine")
        if any(section.offset + section.length > len(self.map) for section in self.sections.values()):
            raise CacheCorrupt("truncated")

    def has(self, name: str) -> bool:
        return name in self.sections

    def has_column(self, name: str) -> bool:
        return f"codes:{name}" in self.sections

    def _view(self, name: str, check: bool = True) -> tuple[memoryview, Section]:
        section = self.sections.get(name)
        if section is None:
            raise CacheCorrupt(f"missing section {name}")
        view = memoryview(self.map)[section.offset : section.offset + section.length]
        if check and zlib.crc32(view) != section.crc:
            raise CacheCorrupt(f"damaged section {name}")
        return view, section

    def array(self, name: str) -> memoryview:
        view, section = self._view(name)
        try:
            return view.cast(section.kind)  # type: ignore[call-overload]
        except (TypeError, ValueError) as error:
            raise CacheCorrupt(f"section {name}: {error}") from None

    def column(self, name: str) -> Column:
        view, _ = self._view(f"values:{name}")
        try:
            values = _plain_loads(view)
        except Exception as error:  # any decoding failure means the section is damaged
            raise CacheCorrupt(f"damaged values of {name} ({error})") from None
        if not isinstance(values, list):
            raise CacheCorrupt(f"damaged values of {name}")
        return Column(values, self.array(f"codes:{name}"))

    def blocks(self) -> MappedBlocks:
        offsets = self.array("block_offsets")
        view, _ = self._view("blocks", check=False)  # each block is zlib data, checked as it inflates
        return MappedBlocks(view, offsets)


class MappedBlocks:
    """The compressed blocks, sliced out of the mapped file one at a time."""

    def __init__(self, view: memoryview, offsets: memoryview) -> None:
        self.view = view
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> bytes:
        return bytes(self.view[self.offsets[index] : self.offsets[index + 1]])


def cache_directory(explicit: str | None = None) -> Path:
    """`--cache DIR`, else $XDG_CACHE_HOME/trailtui (~/.cache/trailtui)."""
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trailtui"


def cache_file(directory: Path, paths: Sequence[str]) -> Path:
    """The file caching these input paths: named by the paths as given and, when one is relative, the
    directory they are relative to (events carry their path as given, in @ptr and @log)."""
    here = os.getcwd() if any(not os.path.isabs(path) for path in paths) else ""
    naming = orjson.dumps([here, *paths])
    return directory / (hashlib.sha256(naming).hexdigest()[:32] + SUFFIX)


def max_cache_bytes() -> int:
    try:
        megabytes = int(os.environ.get("TRAILTUI_CACHE_MAX_MB", DEFAULT_MAX_CACHE_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_CACHE_MB
    return max(0, megabytes) * 1024 * 1024


def load_cache(path: Path, key: list[FileKey]) -> SessionCache | None:
    """The cache in `path` if it was built from exactly these inputs; None if it is absent or stale.

    CacheCorrupt when the file cannot be read as a cache (the caller discards it).
    """
    try:
        source = MappedFile(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, struct.error) as error:
        raise CacheCorrupt(str(error)) from None
    if source.key != key:
        return None
    cache = SessionCache(source.key, source)
    cache.paths = source.paths
    cache.report = source.report
    cache.set_all_statistics(source.statistics)
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return cache


def save_cache(cache: SessionCache, path: Path, bound: int) -> str | None:
    """Write the cache atomically (a temporary file renamed into place), then keep the directory within
    `bound` bytes by removing the least recently used caches. A note when it was not written."""
    sections: list[tuple[str, str, bytes | memoryview | list[bytes]]] = []
    for name, typecode in ARRAY_SECTIONS.items():
        if name == "sorted_by_time":
            values = cache.sorted_by_time()
        elif name == "explicit":
            values = array("I", sorted(cache.explicit))
        else:
            values = cache._array(name)
        sections.append((name, typecode, array(typecode, values).tobytes()))
    for name, column in cache.columns.items():
        sections.append((f"values:{name}", "pickle", pickle.dumps(column.values, protocol=5)))
        typecode = code_typecode(len(column.values) - 1)
        sections.append((f"codes:{name}", typecode, array(typecode, column.codes).tobytes()))
    blocks = list(cache.blocks)
    offsets = array("Q", itertools.accumulate((len(block) for block in blocks), initial=0))
    sections.append(("block_offsets", "Q", offsets.tobytes()))
    sections.append(("blocks", "raw", blocks))
    size = sum(_length(data) for _, _, data in sections) + 8 * len(sections)
    if size > bound:
        return f"query cache not written: {size // 2**20} MB is more than the {bound // 2**20} MB allowed"
    table: dict[str, tuple[int, int, str, int]] = {}
    position = 0
    for name, kind, data in sections:
        table[name] = (position, _length(data), kind, _crc(data))
        position = _aligned(position + _length(data))
    report = cache.report
    statistics = cache.all_statistics()
    header = pickle.dumps(
        {
            "key": [list(entry) for entry in cache.key],
            "paths": list(cache.paths),
            "report": (
                list(report.problem_lines),
                report.files_read,
                report.files_skipped,
                report.records_skipped,
            ),
            "byteorder": sys.byteorder,
            "statistics": (statistics.records_scanned, statistics.bytes_scanned, sorted(statistics.accounts)),
            "sections": table,
        },
        protocol=5,
    )
    base = _data_start(len(header))
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-", suffix=SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + PREAMBLE.pack(FORMAT_VERSION, len(header), zlib.crc32(header)) + header)
            for name, _, data in sections:
                out.seek(base + table[name][0])
                for piece in data if isinstance(data, list) else [data]:
                    out.write(piece)
            out.truncate(_aligned(out.tell()))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _evict(path.parent, bound, keep=path)
    return None


def _length(data: bytes | memoryview | list[bytes]) -> int:
    return sum(map(len, data)) if isinstance(data, list) else len(data)


def _crc(data: bytes | memoryview | list[bytes]) -> int:
    if not isinstance(data, list):
        return zlib.crc32(data)
    crc = 0
    for piece in data:
        crc = zlib.crc32(piece, crc)
    return crc


def _data_start(header_length: int) -> int:
    """Where the sections begin (their offsets count from there): after the header, aligned."""
    return _aligned(len(MAGIC) + PREAMBLE.size + header_length)


def _aligned(position: int) -> int:
    return (position + 7) // 8 * 8


def _evict(directory: Path, bound: int, keep: Path) -> None:
    """Remove the least recently used caches (and abandoned partial writes) until the rest fit."""
    entries = []
    for entry in directory.glob("*" + SUFFIX):
        try:
            status = entry.stat()
        except OSError:
            continue
        if entry.name.startswith(".writing-") and time.time() - status.st_mtime < ABANDONED_AFTER_S:
            continue  # another process may be writing it
        entries.append((status.st_mtime, status.st_size, entry))
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries, key=lambda item: item[0]):
        if total <= bound:
            break
        if entry == keep:
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            total -= size
