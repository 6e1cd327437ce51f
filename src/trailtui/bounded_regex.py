"""Regular expressions whose matching time is bounded, whatever the pattern and the text.

Python's `re` backtracks: `(a+)+$` takes exponential time on `aaaa…b`, and even `.*x` takes quadratic
time, minutes on a 1 MB user agent. Matching holds the GIL and cannot be interrupted, so one such regex
in a query or a filter pattern would freeze the console and make cancelling impossible. RE2 matches in
time linear in the text for every pattern, so it is the engine that decides every match that could be
slow; `re` (faster per call) answers only where it cannot run away: a tame pattern (at most two
repetitions, none nested in another or over an alternation) on a text of at most
`BACKTRACKING_TEXT_LIMIT` characters. Both engines get the same pattern and agree on it (ASCII `\\d \\w \\s`,
Perl's leftmost-first alternation); a pattern RE2 cannot take (backreferences, lookaround, possessive
quantifiers) is refused when it is compiled.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
from collections.abc import Callable, Iterator
from typing import Any

import re2

BACKTRACKING_TEXT_LIMIT = 2048
"""Longest text `re` is given, for a tame pattern; cubic at worst, that is milliseconds."""

MAX_TAME_REPETITIONS = 2

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}


class BoundedRegex:
    """A compiled pattern with the `re.Pattern` methods trailtui uses, matching in bounded time."""

    __slots__ = ("_backtracking", "_limit", "_linear", "groupindex", "groups", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._backtracking = re.compile(pattern, flags | re.ASCII)
        self._linear = _compile_linear(pattern, flags)
        self._limit = BACKTRACKING_TEXT_LIMIT if is_tame(self._backtracking) else -1
        self.groups = self._backtracking.groups
        self.groupindex = self._backtracking.groupindex

    def _engine(self, text: str) -> Any:
        return self._backtracking if len(text) <= self._limit else self._linear

    def search(self, text: str, pos: int = 0) -> Any:
        return self._engine(text).search(text, pos)

    def match(self, text: str, pos: int = 0) -> Any:
        return self._engine(text).match(text, pos)

    def fullmatch(self, text: str, pos: int = 0) -> Any:
        return self._engine(text).fullmatch(text, pos)

    def finditer(self, text: str) -> Iterator[Any]:
        return iter(self._engine(text).finditer(text))

    def sub(self, replacement: str | Callable[[Any], str], text: str, count: int = 0) -> str:
        return str(self._engine(text).sub(replacement, text, count))

    def __repr__(self) -> str:
        return f"BoundedRegex({self.pattern!r})"


def _compile_linear(pattern: str, flags: int) -> Any:
    options = re2.Options()
    options.log_errors = False
    options.dot_nl = bool(flags & re.DOTALL)
    options.case_sensitive = not flags & re.IGNORECASE
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0].decode() if error.args and isinstance(error.args[0], bytes) else str(error)
        raise re.error(f"not supported by a linear-time engine ({reason})") from None


def is_tame(compiled: re.Pattern[str]) -> bool:
    """At most two repetitions, none of them over another repetition or an alternation."""
    parsed = sre_parser.parse(compiled.pattern, compiled.flags)
    repetitions = 0
    for op, inside_repeat in _walk(parsed, False):
        if op in _REPEATS:
            repetitions += 1
            if inside_repeat:
                return False
        elif op is sre_constants.BRANCH and inside_repeat:
            return False
    return repetitions <= MAX_TAME_REPETITIONS


def _walk(items: Any, inside_repeat: bool) -> Iterator[tuple[Any, bool]]:
    for op, argument in items:
        yield op, inside_repeat
        if op in _REPEATS:
            _, maximum, body = argument
            yield from _walk(body, inside_repeat or maximum > 1)
        elif op is sre_constants.SUBPATTERN:
            yield from _walk(argument[-1], inside_repeat)
        elif op is sre_constants.BRANCH:
            for branch in argument[1]:
                yield from _walk(branch, inside_repeat)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            yield from _walk(argument[1], inside_repeat)
