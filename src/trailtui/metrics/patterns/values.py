"""How one literal of a pattern tests one value: a JSON value, or a field's text (space-delimited).

Decisions (spec §4.2, §9.5, §9.6):
- Only value nodes match: a selector that reaches an object or an array fails every comparison, even `= *`.
- Text comparisons (quoted or bare strings, `*` wildcards, regexes) see strings as they are, numbers as
  their JSON text (`900`, `1.5`, `900.0`) and booleans as `true`/`false`. JSON `null` is matched only by
  the bare wildcard `*` (it is a value node) and by `IS NULL`.
- Number literals compare numerically with JSON numbers and with numeric-looking strings (`"900"`,
  `" 1e3 "`); any other value fails every numeric comparison, `!=` included.
- `!=` means "is a value node of the compared kind, and is not equal".
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from trailtui.metrics.patterns.regex import compile_regex
from trailtui.metrics.patterns.syntax import NumberValue, RegexValue, StringValue, Value

ValueTest = Callable[[Any], bool]

_NUMERIC_TEXT = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*")
_ORDERINGS: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def scalar_text(value: Any) -> str | None:
    """The text a text comparison sees, or None for null, objects and arrays."""
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is float:
        return repr(value)
    return None


def number_of(value: Any) -> float | None:
    """The number a numeric comparison sees, or None when the value is not numeric."""
    kind = type(value)
    if kind is int or kind is float:
        return float(value)
    if kind is str and _NUMERIC_TEXT.fullmatch(value):
        return float(value)
    return None


def is_value_node(value: Any) -> bool:
    return not isinstance(value, dict | list)


def compile_value_test(operator_text: str, value: Value) -> ValueTest:
    """A predicate over one resolved value for `<operator> <value>`."""
    if isinstance(value, NumberValue):
        return _numeric_test(operator_text, value.number)
    if isinstance(value, RegexValue):
        search = compile_regex(value.source, 0).search
        return _text_test(operator_text == "=", lambda text: search(text) is not None)
    if value.text and set(value.text) == {"*"}:
        return is_value_node if operator_text == "=" else _never
    return _text_test(operator_text == "=", text_matcher(value))


def text_matcher(value: StringValue) -> Callable[[str], bool]:
    """Exact match, with `*` as "any run of characters"."""
    text = value.text
    if "*" not in text:
        return text.__eq__
    pieces = text.split("*")
    if len(pieces) == 2 and pieces[0] == "":
        return lambda candidate: candidate.endswith(pieces[1])
    if len(pieces) == 2 and pieces[1] == "":
        return lambda candidate: candidate.startswith(pieces[0])
    if len(pieces) == 3 and pieces[0] == pieces[2] == "":
        return lambda candidate: pieces[1] in candidate
    fullmatch = re.compile(".*".join(re.escape(piece) for piece in pieces), re.DOTALL).fullmatch
    return lambda candidate: fullmatch(candidate) is not None


def _text_test(wanted: bool, matches_text: Callable[[str], bool]) -> ValueTest:
    def test(candidate: Any) -> bool:
        text = candidate if type(candidate) is str else scalar_text(candidate)
        return text is not None and matches_text(text) is wanted

    return test


def _numeric_test(operator_text: str, literal: float) -> ValueTest:
    compare = _ORDERINGS[operator_text]

    def test(candidate: Any) -> bool:
        number = number_of(candidate)
        return number is not None and compare(number, literal)

    return test


def _never(candidate: Any) -> bool:
    return False
