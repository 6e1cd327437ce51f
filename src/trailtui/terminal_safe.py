"""Make text from events safe to put on a terminal.

Whoever calls an AWS API chooses its user agent, resource names and many request parameters, so every
string from an event may carry terminal controls: ESC sequences (CSI, OSC 52 clipboard writes, OSC 2 title
changes, OSC 8 links), C1 controls, NUL, backspace, carriage return, or bidi overrides that reorder what is
shown. `visible()` turns each of those into a visible escape (`\\x1b`, `\\u202e`), so nothing from an event
acts on the terminal. Machine formats (JSON, CSV, NDJSON) and copies keep the original text untouched.
"""

from __future__ import annotations

import re

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
