"""A test on a file's raw bytes that proves none of its records can satisfy a query, before any parsing.

A query that keeps only records whose field equals one of some plain words (`filter eventName =
"ConsoleLogin"`, `filter eventSource in ["kms.amazonaws.com", "sts.amazonaws.com"]`) can keep a record only
if one of those words is written, byte for byte, somewhere in the file: JSON writes a string's characters
as they are, except `"`, `\\`, control characters (always escaped), `/` (escaped or not, the writer's
choice) and any character at all written as a `\\uXXXX` escape. So a word free of the first four, in a
file with no `\\u` anywhere, is found by a plain byte search or is in no record; a file failing the
search for every word of one condition is passed over unparsed (like CloudWatch's field indexes, which
skip events that cannot match). The search is memchr-fast; parsing the file costs 30–100 times more.

This holds for every format the readers take (an NDJSON line, a `Records` document, an export whose
events carry the JSON as an escaped string): the word is still written as it is, or some `\\u` is present.

The same test runs record by record in a `Records` document when the screen is `by_record`: a C module
(`_record_spans.c`) finds where each record starts and ends in one pass over the bytes, matching
brackets and skipping strings, and lists the records that hold the words; only those are parsed, the
others only counted. Installed without a C compiler, files are screened whole only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

RecordSpans = Callable[[bytes, tuple[tuple[bytes, ...], ...]], tuple[int, list[tuple[int, int, int]]] | None]
RecordValues = Callable[..., tuple[int, list[Any]] | None]
record_spans: RecordSpans | None
record_values: RecordValues | None
try:
    from trailtui.events._record_spans import record_spans, record_values
except ImportError:  # built without a C compiler
    record_spans = record_values = None

UNICODE_ESCAPE = re.compile(rb"\\u")
"""Compiled: about three times faster than `b"\\u" in content` (its needle ends in a common byte)."""
NOT_VERBATIM = frozenset('"\\/\ufffd') | {chr(code) for code in range(0x20)}
"""Characters a JSON text may write otherwise than as themselves (U+FFFD: what invalid UTF-8 decodes to)."""


def is_verbatim(text: str) -> bool:
    """Whether every JSON string holding `text` writes its UTF-8 bytes as they are (no `\\u` escapes)."""
    return bool(text) and NOT_VERBATIM.isdisjoint(text)


@dataclass(frozen=True, slots=True)
class ContentScreen:
    """Groups of words: a record can match only if it holds one word of every group."""

    groups: tuple[tuple[bytes, ...], ...]
    by_record: bool = False
    """Whether records that cannot match may be counted without being parsed (see `listed_records`)."""

    @classmethod
    def of(cls, groups: Iterable[Iterable[str]]) -> ContentScreen | None:
        """The screen of the groups whose every word is verbatim; None if there are none."""
        kept = []
        for group in groups:
            words = tuple(dict.fromkeys(group))
            if words and all(is_verbatim(word) for word in words):
                kept.append(tuple(word.encode() for word in words))
        return cls(tuple(kept)) if kept else None

    def may_match(self, content: bytes) -> bool:
        """False only when no record in `content` (a file's whole JSON text) holds a word of every group."""
        for words in self.groups:
            if not any(word in content for word in words):
                return b"\\" in content and UNICODE_ESCAPE.search(content) is not None
        return True

    def listed_records(self, content: bytes) -> tuple[int, list[tuple[int, int, int]]] | None:
        """For exactly `{"Records": [{...}, ...]}`: how many records it holds, and the ordinal and byte span
        of each that may match (one word of every group, or any `\\u` escape, in its bytes). None for any
        other text (another shape, a non-object element, brackets that do not match), or without the C
        module: the caller then parses the file whole, which judges and reports whatever is wrong."""
        if record_spans is None:
            return None
        return record_spans(content, self.groups)
