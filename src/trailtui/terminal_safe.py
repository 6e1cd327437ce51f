"""Make text from events safe to put on a terminal.

Whoever calls an AWS API chooses its user agent, resource names and many request parameters, so every
string from an event may carry terminal controls: ESC sequences (CSI, OSC 52 clipboard writes, OSC 2 title
changes, OSC 8 links), C1 controls, NUL, backspace, carriage return, or bidi overrides that reorder what is
shown. `visible()` turns each of those into a visible escape (`\\x1b`, `\\u202e`), so nothing from an event
acts on the terminal. Machine formats (JSON, CSV, NDJSON) and copies keep the original text untouched.

The CLI's answers are exact into a file or a pipe; on a terminal its stdout is a `TerminalStream`, which
writes every unsafe character as a `\\uXXXX` escape (`for_terminal`): JSON keeps every value that way, and
no other output can act on the terminal either (the rule `ls` follows for names it prints).
"""

from __future__ import annotations

import re
from typing import Any, TextIO

_BIDI_AND_INVISIBLE = "\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_INVISIBLE}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def visible(text: str) -> str:
    """The text with every control, bidi and invisible formatting character shown as an escape."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    named = _NAMED.get(character)
    if named is not None:
        return named
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_TERMINAL_UNSAFE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_AND_INVISIBLE}\ud800-\udfff]|\r(?!\n)"
)


def for_terminal(text: str) -> str:
    """Text with every unsafe character (lone surrogates too) as `\\uXXXX`; newlines and tabs kept.

    In JSON text these escapes denote the very characters they replace, so JSON values stay exact.
    """
    if _TERMINAL_UNSAFE.search(text) is None:
        return text
    return _TERMINAL_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class TerminalStream:
    """A text stream in front of a terminal that lets no control from the text written reach it."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(for_terminal(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
