"""CloudWatch's restricted regular expressions (spec §3), checked and translated to Python `re`.

Decisions:
- Allowed: ASCII letters, digits, space, `: _ # = @ / ; , -` and the operators `^ $ ? [ ] { } | \\ * + .`.
  Parentheses, `%`, other symbols and non-ASCII characters are rejected; `\\xhh` reaches any ASCII byte.
- Escapes: `\\d \\D \\w \\W \\s \\S \\xhh`, and a backslash before any allowed symbol or operator (a literal).
  Other letter escapes (`\\n`, `\\b`) are rejected. `\\s` is exactly tab, space and newline; inside a
  `[...]` class `\\S` falls back to Python's ASCII `\\S`, which also excludes `\\r \\f \\v`.
- Matching is a search (unanchored unless `^`/`$` are used), ASCII semantics, `.` not matching newline.
"""

from __future__ import annotations

import re
import string

from trailtui.bounded_regex import BoundedRegex
from trailtui.metrics.patterns.tokens import PatternError

_PLAIN = frozenset(string.ascii_letters + string.digits + " :_#=@/;,-")
_OPERATORS = frozenset("^$?[]{}|\\*+.")
_CLASS_ESCAPES = frozenset("dDwW")
_HEX = frozenset(string.hexdigits)
_WHITESPACE_CLASS = "\\t\\n "


def compile_regex(source: str, position: int) -> BoundedRegex:
    """The compiled regex for `source`, which sits at `position` (the offset of its opening `%`).

    It matches in bounded time whatever the text (see `trailtui.bounded_regex`): `%.*.*.*x%` on a 1 MB
    message takes milliseconds, not hours.
    """
    translated = _translate(source, position + 1)
    try:
        return BoundedRegex(translated, re.ASCII)
    except (re.error, OverflowError) as error:
        raise PatternError(f"invalid regular expression: {getattr(error, 'msg', error)}", position) from None


def _translate(source: str, offset: int) -> str:
    pieces: list[str] = []
    in_class = False
    index = 0
    while index < len(source):
        character = source[index]
        if character == "\\":
            piece, index = _escape(source, index, offset, in_class)
            pieces.append(piece)
            continue
        _check_plain(character, offset + index)
        if character == "[" and not in_class:
            in_class = True
            index = _open_class(source, index, pieces)
            continue
        if character == "]" and in_class:
            in_class = False
        pieces.append(character)
        index += 1
    return "".join(pieces)


def _open_class(source: str, index: int, pieces: list[str]) -> int:
    """Copy `[`, an optional `^`, and a leading `]` (a literal there); return where the class body goes on."""
    pieces.append("[")
    index += 1
    if source.startswith("^", index):
        pieces.append("^")
        index += 1
    if source.startswith("]", index):
        pieces.append("\\]")
        index += 1
    return index


def _check_plain(character: str, position: int) -> None:
    if character in _PLAIN or character in _OPERATORS:
        return
    if character in "()":
        raise PatternError(
            f"regular expressions have no groups: match {character!r} with \\x{ord(character):02X}", position
        )
    if not character.isascii():
        raise PatternError("regular expressions cannot contain multi-byte characters", position)
    raise PatternError(
        f"{character!r} is not allowed in a regular expression: use \\x{ord(character):02X}", position
    )


def _escape(source: str, index: int, offset: int, in_class: bool) -> tuple[str, int]:
    """The Python text for the escape at `source[index]` (a backslash), and the index after it."""
    if index + 1 >= len(source):
        raise PatternError("a regular expression cannot end with '\\'", offset + index)
    escaped = source[index + 1]
    if escaped in _CLASS_ESCAPES:
        return "\\" + escaped, index + 2
    if escaped == "s":
        return (_WHITESPACE_CLASS if in_class else f"[{_WHITESPACE_CLASS}]"), index + 2
    if escaped == "S":
        return ("\\S" if in_class else f"[^{_WHITESPACE_CLASS}]"), index + 2
    if escaped == "x":
        digits = source[index + 2 : index + 4]
        if len(digits) != 2 or not set(digits) <= _HEX:
            raise PatternError("expected two hex digits after '\\x'", offset + index)
        return "\\x" + digits, index + 4
    if escaped in _OPERATORS or (escaped in _PLAIN and not escaped.isalnum()):
        return "\\" + escaped, index + 2
    raise PatternError(f"unknown escape '\\{escaped}' in a regular expression", offset + index)
