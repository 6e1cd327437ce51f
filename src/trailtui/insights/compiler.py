"""Turns expressions into Python closures over a `Record`, once per query: no tree walk per event.

A `Record` is one row flowing through the pipeline: the event it came from (None after `stats`) and the
fields the query defined so far. A `Scope` knows, at each point of the query, which names are defined by
the query (read from `Record.fields`) and which are log fields (read from the event with the event model's
compiled getters).

Semantics (spec §7, §8): a missing value never satisfies a comparison, `!=`, `not like` and `not in`
included; `=`/`!=` compare literally (no wildcard); arithmetic on a non-number gives a missing value;
`like "text"` is a case-sensitive substring test and `like /re/`, `=~ /re/` a regex search.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from trailtui.events.model import Event, field_getter
from trailtui.insights import ast
from trailtui.insights.aggregates import AGGREGATE_FUNCTIONS
from trailtui.insights.checks import IMPLICIT_TIMESTAMP_FUNCTIONS
from trailtui.insights.functions import SCALAR_FUNCTIONS
from trailtui.insights.values import (
    QueryContext,
    Timestamp,
    compare,
    compile_regex,
    equals,
    to_number,
    to_text,
    truthy,
)


class Record:
    """One row of the pipeline: its event (None once `stats` has aggregated) and the query's own fields."""

    __slots__ = ("event", "fields")

    def __init__(self, event: Event | None, fields: dict[str, Any]) -> None:
        self.event = event
        self.fields = fields

    def __repr__(self) -> str:
        return f"Record({self.event!r}, {self.fields!r})"


Getter = Callable[[Record], Any]
AggregateHook = Callable[[ast.Call], Getter]

TIMESTAMP_FIELDS = frozenset({"@timestamp", "@ingestionTime"})
ORDERINGS: dict[str, Callable[[int], bool]] = {
    "=": lambda sign: sign == 0,
    "!=": lambda sign: sign != 0,
    "<": lambda sign: sign < 0,
    "<=": lambda sign: sign <= 0,
    ">": lambda sign: sign > 0,
    ">=": lambda sign: sign >= 0,
}
ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "%": operator.mod,
    "^": operator.pow,
}
BOOLEAN_NODES = (ast.Match, ast.In)
BOOLEAN_OPERATORS = frozenset({"and", "or", *ORDERINGS})


@dataclass
class Scope:
    """Which names the query has defined so far, and whether rows still carry their event."""

    defined: set[str] = field(default_factory=set)
    has_event: bool = True

    def copy(self) -> Scope:
        return Scope(set(self.defined), self.has_event)

    def getter(self, name: str) -> Getter:
        """A closure reading `name` from a record at this point of the query."""
        if name in self.defined or not self.has_event:
            return _defined_field(name)
        prefix, path = self._defined_prefix(name)
        if prefix is not None:
            return _path_into(_defined_field(prefix), path)
        return _event_field(name)

    def _defined_prefix(self, name: str) -> tuple[str | None, tuple[str, ...]]:
        """`m.a.b` where `m` is defined (e.g. by `jsonParse`): ("m", ("a", "b"))."""
        segments = name.split(".")
        for cut in range(len(segments) - 1, 0, -1):
            prefix = ".".join(segments[:cut])
            if prefix in self.defined:
                return prefix, tuple(segments[cut:])
        return None, ()


def _defined_field(name: str) -> Getter:
    return lambda record: record.fields.get(name)


def _event_field(name: str) -> Getter:
    read: Callable[[Event | None], Any] = field_getter(name)  # type: ignore[assignment]
    if name in TIMESTAMP_FIELDS:
        return lambda record: Timestamp(read(record.event))
    return lambda record: read(record.event)


def _path_into(base: Getter, path: tuple[str, ...]) -> Getter:
    def read(record: Record) -> Any:
        value = base(record)
        for key in path:
            value = _member(value, key)
        return value

    return read


def _member(value: Any, key: Any) -> Any:
    """`value.key` / `value[key]` on a map or list from `jsonParse`; missing otherwise."""
    if isinstance(value, dict):
        return value.get(key if isinstance(key, str) else str(key))
    if isinstance(value, list):
        number = to_number(key)
        if number is None or number != int(number):
            return None
        index = int(number)
        return value[index] if 0 <= index < len(value) else None
    return None


@dataclass
class ExpressionCompiler:
    """Compiles expressions in one scope; `aggregate_hook` maps aggregate calls to slots inside `stats`."""

    scope: Scope
    context: QueryContext
    aggregate_hook: AggregateHook | None = None

    def compile(self, node: ast.Expression) -> Getter:
        match node:
            case ast.String(value=value) | ast.Number(value=value) | ast.Boolean(value=value):
                return _constant(value)
            case ast.DurationLiteral(value=duration):
                return _constant(duration)
            case ast.Regex(pattern=pattern):
                return _constant(pattern)
            case ast.Field(name=name):
                return self.scope.getter(name)
            case ast.Call():
                return self.call(node)
            case ast.Unary(operator="not", operand=operand):
                condition = self.condition(operand)
                return lambda record: not condition(record)
            case ast.Unary(operand=operand):
                return self.negation(operand)
            case ast.Binary(operator="and" | "or"):
                return self.boolean(node)
            case ast.Binary(operator=operator_text) if operator_text in ORDERINGS:
                return self.comparison(node)
            case ast.Binary():
                return self.arithmetic(node)
            case ast.Match():
                return self.match(node)
            case ast.In():
                return self.membership(node)
            case ast.Index(base=base, index=index):
                read_base, read_index = self.compile(base), self.compile(index)
                return lambda record: _member(read_base(record), read_index(record))
            case ast.Member(base=base, key=key):
                return _path_into(self.compile(base), (key,))
        raise TypeError(f"cannot compile {node!r}")

    def condition(self, node: ast.Expression) -> Callable[[Record], bool]:
        """A closure returning a bool, for `filter` and the operands of `and`/`or`/`not`."""
        compiled = self.compile(node)
        is_boolean = isinstance(node, BOOLEAN_NODES) or (
            isinstance(node, ast.Binary | ast.Unary) and node.operator in BOOLEAN_OPERATORS | {"not"}
        )
        if is_boolean:
            return compiled
        return lambda record: truthy(compiled(record))

    def call(self, node: ast.Call) -> Getter:
        if self.aggregate_hook is not None and node.key in AGGREGATE_FUNCTIONS:
            return self.aggregate_hook(node)
        function = SCALAR_FUNCTIONS[node.key]
        arguments = [self.compile(argument) for argument in node.args]
        if node.key in IMPLICIT_TIMESTAMP_FUNCTIONS:
            arguments.insert(0, self.scope.getter("@timestamp"))
        if function.needs_context:
            arguments.insert(0, _constant(self.context))
        return _apply(function.implementation, arguments)

    def negation(self, operand: ast.Expression) -> Getter:
        read = self.compile(operand)

        def negate(record: Record) -> Any:
            number = to_number(read(record))
            return None if number is None else -number

        return negate

    def boolean(self, node: ast.Binary) -> Getter:
        left, right = self.condition(node.left), self.condition(node.right)
        if node.operator == "and":
            return lambda record: left(record) and right(record)
        return lambda record: left(record) or right(record)

    def comparison(self, node: ast.Binary) -> Getter:
        if node.operator in ("=", "!=") and isinstance(node.right, ast.String):
            plain = _plain_text_equality(self.compile(node.left), node.right.value)
            if plain is not None:
                return plain if node.operator == "=" else _present_and_not(self.compile(node.left), plain)
        left, right = self.compile(node.left), self.compile(node.right)
        holds = ORDERINGS[node.operator]

        def compare_sides(record: Record) -> bool:
            sign = compare(left(record), right(record))
            return sign is not None and holds(sign)

        return compare_sides

    def arithmetic(self, node: ast.Binary) -> Getter:
        left, right = self.compile(node.left), self.compile(node.right)
        apply = ARITHMETIC[node.operator]

        def calculate(record: Record) -> Any:
            left_number, right_number = to_number(left(record)), to_number(right(record))
            if left_number is None or right_number is None:
                return None
            try:
                return apply(left_number, right_number)
            except (ZeroDivisionError, OverflowError, ValueError):
                return None

        return calculate

    def match(self, node: ast.Match) -> Getter:
        read = self.compile(node.operand)
        if isinstance(node.pattern, ast.String):
            needle = node.pattern.value

            def found(text: str) -> bool:
                return needle in text
        else:
            search = compile_regex(node.pattern.pattern).search

            def found(text: str) -> bool:
                return search(text) is not None

        negated = node.negated

        def matches(record: Record) -> bool:
            value = read(record)
            text = value if type(value) is str else to_text(value)
            return text is not None and found(text) != negated

        return matches

    def membership(self, node: ast.In) -> Getter:
        read = self.compile(node.operand)
        contains = self.contains(node.items)
        negated = node.negated

        def is_member(record: Record) -> bool:
            value = read(record)
            if value is None:
                return False
            if isinstance(value, list):
                found = any(contains(element, record) for element in value)
            else:
                found = contains(value, record)
            return found != negated

        return is_member

    def contains(self, items: Iterable[ast.Expression]) -> Callable[[Any, Record], bool]:
        """Membership in the `[...]` list; constant lists of plain words use a set."""
        nodes = tuple(items)
        if not all(isinstance(item, ast.LITERAL_TYPES) for item in nodes):
            getters = [self.compile(item) for item in nodes]
            return lambda value, record: any(equals(value, read(record)) for read in getters)
        constants = [getattr(item, "value", None) for item in nodes]
        if all(is_plain_word(constant) for constant in constants):
            words = frozenset(constants)
            return lambda value, record: (
                value in words if type(value) is str else _equals_any(value, constants)
            )
        return lambda value, record: _equals_any(value, constants)


def _equals_any(value: Any, constants: list[Any]) -> bool:
    return any(equals(value, constant) for constant in constants)


def is_plain_word(value: Any) -> bool:
    """A string that `equals` compares exactly as text: not numeric and not a boolean word."""
    return isinstance(value, str) and to_number(value) is None and value.lower() not in ("true", "false")


def _plain_text_equality(read: Getter, literal: str) -> Getter | None:
    """Fast `f = "word"`: for string values `equals` is plain `==` when the literal is a plain word."""
    if not is_plain_word(literal):
        return None

    def is_equal(record: Record) -> bool:
        value = read(record)
        if type(value) is str:
            return value == literal
        return value is not None and equals(value, literal)

    return is_equal


def _present_and_not(read: Getter, is_equal: Getter) -> Getter:
    return lambda record: read(record) is not None and not is_equal(record)


def _constant(value: Any) -> Getter:
    return lambda record: value


def _apply(implementation: Callable[..., Any], arguments: list[Getter]) -> Getter:
    """Call a function with its evaluated arguments; specialised for small arities (the hot path)."""
    match arguments:
        case []:
            return lambda record: implementation()
        case [first]:
            return lambda record: implementation(first(record))
        case [first, second]:
            return lambda record: implementation(first(record), second(record))
        case [first, second, third]:
            return lambda record: implementation(first(record), second(record), third(record))
    return lambda record: implementation(*[argument(record) for argument in arguments])
