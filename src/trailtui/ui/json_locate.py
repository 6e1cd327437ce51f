"""Where a JSON location (`Contribution.Keys[0]`, as rule errors name them) lies in the text being edited.

A small scanner walks the text and records where each member's key and each array element starts; text
that is not JSON yields what was found before the break.
"""

from __future__ import annotations

import contextlib
import re

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCALAR = re.compile(r"[^,\]}\s]+")


def nearest_offset(path: str, offsets: dict[str, int]) -> int | None:
    """The offset of `path`, or of its nearest parent that is in the text."""
    while path:
        if path in offsets:
            return offsets[path]
        trimmed = re.sub(r"(\.\w+|\[\d+\])$", "", path)
        path = "" if trimmed == path else trimmed
    return None


def value_offsets(text: str) -> dict[str, int]:
    """{location: offset} for every member (at its key) and array element (at its value)."""
    offsets: dict[str, int] = {}
    with contextlib.suppress(IndexError, ValueError):
        _value(text, _skip(text, 0), "", offsets)
    return offsets


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _value(text: str, at: int, path: str, offsets: dict[str, int]) -> int:
    char = text[at]
    if char == "{":
        at = _skip(text, at + 1)
        while text[at] != "}":
            key_match = _STRING.match(text, at)
            if key_match is None:
                raise ValueError("a key was expected")
            key = key_match.group()[1:-1]
            child = f"{path}.{key}" if path else key
            offsets[child] = at
            at = _skip(text, key_match.end())
            if text[at] != ":":
                raise ValueError("a colon was expected")
            at = _skip(text, _value(text, _skip(text, at + 1), child, offsets))
            if text[at] == ",":
                at = _skip(text, at + 1)
        return at + 1
    if char == "[":
        at, position = _skip(text, at + 1), 0
        while text[at] != "]":
            child = f"{path}[{position}]"
            offsets[child] = at
            at = _skip(text, _value(text, at, child, offsets))
            position += 1
            if text[at] == ",":
                at = _skip(text, at + 1)
        return at + 1
    match = _STRING.match(text, at) if char == '"' else _SCALAR.match(text, at)
    if match is None:
        raise ValueError("a value was expected")
    return match.end()
