"""JSON patterns compiled to closures over the parsed event record (never its text).

Selectors resolve step by step through objects (`Key`, `AnyMember`) and arrays (`Index`, `AnyElement`);
a step that does not fit the node resolves to nothing. A wildcard selector holds when any value it
reaches satisfies the condition.

For speed, an `||` of plain equalities on one selector (`$.eventName=A || $.eventName=B || ...`, as in
every CIS pattern) becomes a single set lookup, and parentheses cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trailtui.metrics.patterns.syntax import (
    And,
    AnyElement,
    AnyMember,
    Check,
    Comparison,
    Expression,
    Group,
    Key,
    KeywordCheck,
    Or,
    Selector,
    StringValue,
)
from trailtui.metrics.patterns.values import ValueTest, compile_value_test, is_value_node, scalar_text

RecordTest = Callable[[dict[str, Any]], bool]
Resolver = Callable[[Any], Any]
MultiResolver = Callable[[Any], list[Any]]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

_CHECK_TESTS: dict[Check, ValueTest] = {
    Check.NULL: lambda value: value is None,
    Check.TRUE: lambda value: value is True,
    Check.FALSE: lambda value: value is False,
}


def compile_expression(expression: Expression) -> RecordTest:
    """A predicate over a record dict for a JSON-pattern expression."""
    match expression:
        case Group(inner):
            return compile_expression(inner)
        case And(operands):
            return _all_of([compile_expression(operand) for operand in operands])
        case Or(operands):
            return _any_of(_compile_alternatives(_flatten_or(operands)))
        case Comparison(selector, operator, value):
            equality = _plain_equality(expression)
            if equality is not None:
                return _membership(selector, frozenset((equality[1],)))
            return _condition(selector, compile_value_test(operator, value))
        case KeywordCheck(selector, Check.NOT_EXISTS):
            return _not_exists(selector)
        case KeywordCheck(selector, check):
            return _condition(selector, _CHECK_TESTS[check])
    raise TypeError(f"not a JSON-pattern expression: {expression!r}")


def required_equalities(expression: Expression) -> dict[Selector, frozenset[str]]:
    """Equalities every matching record satisfies: `{selector: texts}`, each a necessary condition.

    A record can match only if, for each item, the selector's value reads (as `selector_text` reads it) as
    one of `texts`. Only plain equalities (`$.eventName = CreateTrail`, no wildcard) count; an `&&`
    intersects its operands' sets, an `||` keeps the selectors every alternative constrains and unites
    their sets. Any other condition adds nothing, so an expression without such equalities gives `{}`.
    """
    match expression:
        case Group(inner):
            return required_equalities(inner)
        case And(operands):
            merged: dict[Selector, frozenset[str]] = {}
            for operand in operands:
                for selector, texts in required_equalities(operand).items():
                    merged[selector] = merged[selector] & texts if selector in merged else texts
            return merged
        case Or(operands):
            alternatives = [required_equalities(operand) for operand in _flatten_or(operands)]
            if not alternatives:
                return {}
            shared = set(alternatives[0]).intersection(*alternatives[1:])
            return {
                selector: frozenset().union(*(alternative[selector] for alternative in alternatives))
                for selector in alternatives[0]
                if selector in shared
            }
        case Comparison():
            equality = _plain_equality(expression)
            return {} if equality is None else {equality[0]: frozenset((equality[1],))}
    return {}


def required_keys(expression: Expression) -> frozenset[str]:
    """Top-level keys every matching record has: a necessary condition, like `required_equalities`.

    Every condition but `NOT EXISTS` fails on a selector that reaches nothing, and a selector whose first
    step is `.key` reaches nothing in a record without that key. `&&` unites, `||` intersects.
    """
    match expression:
        case Group(inner):
            return required_keys(inner)
        case And(operands):
            return frozenset().union(*(required_keys(operand) for operand in operands))
        case Or(operands):
            alternatives = [required_keys(operand) for operand in _flatten_or(operands)]
            return frozenset.intersection(*alternatives) if alternatives else frozenset()
        case Comparison(selector) | KeywordCheck(selector, Check.NULL | Check.TRUE | Check.FALSE):
            first = selector.steps[0] if selector.steps else None
            return frozenset((first.name,)) if isinstance(first, Key) else frozenset()
    return frozenset()


def selector_text(value: Any) -> str | None:
    """The text an equality compares a resolved value by (None for missing values, null, objects, arrays)."""
    return value if type(value) is str else scalar_text(value)


def compile_selector(selector: Selector) -> Resolver:
    """The value a wildcard-free selector reaches in a record, or MISSING."""
    keys = [step.name for step in selector.steps if isinstance(step, Key)]
    if len(keys) == len(selector.steps) == 1:
        return _one_key(keys[0])
    if len(keys) == len(selector.steps) == 2:
        return _two_keys(keys[0], keys[1])
    steps = selector.steps

    def resolve(node: Any) -> Any:
        for step in steps:
            node = _single_step(node, step)
            if node is MISSING:
                break
        return node

    return resolve


def compile_multi_selector(selector: Selector) -> MultiResolver:
    """Every value a selector (with or without a wildcard) reaches in a record."""
    steps = selector.steps

    def resolve_all(record: Any) -> list[Any]:
        nodes = [record]
        for step in steps:
            nodes = [child for node in nodes for child in _children(node, step)]
        return nodes

    return resolve_all


def _one_key(key: str) -> Resolver:
    def resolve(record: Any) -> Any:
        return record.get(key, MISSING) if type(record) is dict else MISSING

    return resolve


def _two_keys(outer: str, inner: str) -> Resolver:
    def resolve(record: Any) -> Any:
        if type(record) is not dict:
            return MISSING
        node = record.get(outer)
        return node.get(inner, MISSING) if type(node) is dict else MISSING

    return resolve


def _single_step(node: Any, step: Any) -> Any:
    if isinstance(step, Key):
        return node.get(step.name, MISSING) if isinstance(node, dict) else MISSING
    if isinstance(node, list) and step.position < len(node):
        return node[step.position]
    return MISSING


def _children(node: Any, step: Any) -> list[Any]:
    if isinstance(step, AnyElement):
        return node if isinstance(node, list) else []
    if isinstance(step, AnyMember):
        return list(node.values()) if isinstance(node, dict) else []
    child = _single_step(node, step)
    return [] if child is MISSING else [child]


def _condition(selector: Selector, test: ValueTest) -> RecordTest:
    if selector.wildcard_count:
        resolve_all = compile_multi_selector(selector)
        return lambda record: any(is_value_node(value) and test(value) for value in resolve_all(record))
    if len(selector.steps) == 1 and isinstance(selector.steps[0], Key):
        key = selector.steps[0].name

        def top_level_condition(record: dict[str, Any]) -> bool:
            value = record.get(key, MISSING)
            return value is not MISSING and not isinstance(value, dict | list) and test(value)

        return top_level_condition
    resolve = compile_selector(selector)

    def condition(record: dict[str, Any]) -> bool:
        value = resolve(record)
        return value is not MISSING and not isinstance(value, dict | list) and test(value)

    return condition


def _not_exists(selector: Selector) -> RecordTest:
    if selector.wildcard_count:
        resolve_all = compile_multi_selector(selector)
        return lambda record: not resolve_all(record)
    resolve = compile_selector(selector)
    return lambda record: resolve(record) is MISSING


def _flatten_or(operands: tuple[Expression, ...]) -> list[Expression]:
    flat: list[Expression] = []
    for operand in operands:
        while isinstance(operand, Group):
            operand = operand.inner
        if isinstance(operand, Or):
            flat.extend(_flatten_or(operand.operands))
        else:
            flat.append(operand)
    return flat


def _compile_alternatives(alternatives: list[Expression]) -> list[RecordTest]:
    """Tests for `||` operands, plain equalities on one selector merged into one set lookup."""
    equalities: dict[Selector, set[str]] = {}
    others: list[Expression] = []
    for alternative in alternatives:
        equality = _plain_equality(alternative)
        if equality is None:
            others.append(alternative)
        else:
            equalities.setdefault(equality[0], set()).add(equality[1])
    merged = [_membership(selector, frozenset(texts)) for selector, texts in equalities.items()]
    return merged + [compile_expression(other) for other in others]


def _plain_equality(expression: Expression) -> tuple[Selector, str] | None:
    """(selector, text) for `selector = "text"` without wildcards, else None."""
    match expression:
        case Comparison(selector, "=", StringValue(text)) if "*" not in text and not selector.wildcard_count:
            return selector, text
    return None


def _membership(selector: Selector, texts: frozenset[str]) -> RecordTest:
    """`selector = t1 || selector = t2 ...` as one set lookup (numbers and booleans by their JSON text)."""
    if len(selector.steps) == 1 and isinstance(selector.steps[0], Key):
        key = selector.steps[0].name

        def top_level_member(record: dict[str, Any]) -> bool:
            value = record.get(key)
            if type(value) is str:
                return value in texts
            return scalar_text(value) in texts

        return top_level_member
    resolve = compile_selector(selector)

    def is_member(record: dict[str, Any]) -> bool:
        value = resolve(record)
        if type(value) is str:
            return value in texts
        return scalar_text(value) in texts

    return is_member


def _all_of(tests: list[RecordTest]) -> RecordTest:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda record: first(record) and second(record)
    if len(tests) == 3:
        first, second, third = tests
        return lambda record: first(record) and second(record) and third(record)
    return lambda record: all(test(record) for test in tests)


def _any_of(tests: list[RecordTest]) -> RecordTest:
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda record: first(record) or second(record)
    if len(tests) == 3:
        first, second, third = tests
        return lambda record: first(record) or second(record) or third(record)
    return lambda record: any(test(record) for test in tests)
