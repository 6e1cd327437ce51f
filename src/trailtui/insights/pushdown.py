"""Filter conditions that can be tested on one log field's value alone, before any other work.

A query's streaming part (the commands before its first `stats`, `sort`, `limit` or `dedup`) drops every
record that fails one of the `and`-conjuncts of one of its `filter` commands. A conjunct that reads exactly
one log field (directly, or through a `fields X as alias` of it) is a function of that field's value, so it
can run early: on the raw JSON record before an Event is built (cold scans), or once per distinct value of
a cached column (warm scans). A record it rejects is one the query would have dropped anyway; records it
keeps still run through the whole query, so results do not change.

The test is the compiler's own closure for the conjunct, evaluated on a record holding only that value,
so it has exactly the query's semantics; its answers are memoised per string value.

A conjunct that holds only for a few words (`f = "word"`, `f in ["a", "b"]`, plain words as `=` compares
them: text, not numbers or booleans) also gives those words to a `ContentScreen`, which passes over whole
files that hold none of them before they are parsed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from trailtui.events.model import record_field_getter
from trailtui.events.screen import ContentScreen
from trailtui.insights import ast
from trailtui.insights.aggregates import AGGREGATE_FUNCTIONS
from trailtui.insights.checks import IMPLICIT_TIMESTAMP_FUNCTIONS, parse_outputs
from trailtui.insights.compiler import ExpressionCompiler, Record, Scope, is_plain_word
from trailtui.insights.values import QueryContext

BARRIERS = (ast.Stats, ast.Sort, ast.Limit, ast.Dedup)
MEMO_LIMIT = 100_000


@dataclass
class FieldTest:
    """One pushed-down conjunct: the log field it reads and the query's condition on its value."""

    field_name: str
    condition: Callable[[Record], bool]
    binding: str
    words: tuple[str, ...] = ()
    """When not empty, the conjunct holds only for a string value equal to one of these words."""
    memo: dict[str, bool] = field(default_factory=dict)

    def holds(self, value: Any) -> bool:
        """The conjunct on a record whose field has this value (None: missing)."""
        if type(value) is not str:
            return bool(self.condition(Record(None, {self.binding: value})))
        known = self.memo.get(value)
        if known is None:
            known = bool(self.condition(Record(None, {self.binding: value})))
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            self.memo[value] = known
        return known


def field_tests(query: ast.Query, context: QueryContext) -> list[FieldTest]:
    """Every conjunct of the streaming part's filters that depends on one log field only."""
    tests: list[FieldTest] = []
    defined: set[str] = set()
    aliases: dict[str, str] = {}
    for command in query.commands:
        if isinstance(command, BARRIERS):
            break
        match command:
            case ast.Filter(condition=condition):
                for conjunct in _conjuncts(condition):
                    test = _field_test(conjunct, defined, aliases, context)
                    if test is not None:
                        tests.append(test)
            case ast.Fields(items=items):
                _define_items(items, defined, aliases)
            case ast.Parse():
                for name in parse_outputs(command):
                    _define(name, defined, aliases)
            case ast.Unnest(into=into):
                _define(into, defined, aliases)
    return tests


def admit_test(tests: list[FieldTest]) -> Callable[[dict[str, Any]], bool] | None:
    """A test on raw records (for the reader): False when some pushed conjunct fails; None if none."""
    if not tests:
        return None
    checks = [(record_field_getter(test.field_name), test.holds) for test in tests]
    if len(checks) == 1:
        ((read_one, holds_one),) = checks
        return lambda record: holds_one(read_one(record))

    def admit(record: dict[str, Any]) -> bool:
        for read, holds in checks:  # noqa: SIM110 (a plain loop: no generator per record)
            if not holds(read(record)):
                return False
        return True

    return admit


def content_screen(tests: list[FieldTest]) -> ContentScreen | None:
    """The raw-bytes screen of the conjuncts that hold only for some words; None if there are none."""
    return ContentScreen.of(test.words for test in tests if test.words)


def _conjuncts(condition: ast.Expression) -> Iterator[ast.Expression]:
    if isinstance(condition, ast.Binary) and condition.operator == "and":
        yield from _conjuncts(condition.left)
        yield from _conjuncts(condition.right)
    else:
        yield condition


def _field_test(
    conjunct: ast.Expression, defined: set[str], aliases: dict[str, str], context: QueryContext
) -> FieldTest | None:
    names = set()
    for node in ast.walk(conjunct):
        if isinstance(node, ast.Field):
            names.add(node.name)
        elif isinstance(node, ast.Call) and (
            node.key in IMPLICIT_TIMESTAMP_FUNCTIONS or node.key in AGGREGATE_FUNCTIONS
        ):
            return None
    if len(names) != 1:
        return None
    (name,) = names
    if name in aliases:
        field_name = aliases[name]
    elif _is_log_field(name, defined, aliases):
        field_name = name
    else:
        return None
    condition = ExpressionCompiler(Scope({name}), context).condition(conjunct)
    return FieldTest(field_name, condition, name, _only_words(conjunct))


def _only_words(conjunct: ast.Expression) -> tuple[str, ...]:
    """The words a `field = "word"` or `field in ["word", ...]` conjunct holds for; () for other conjuncts."""
    match conjunct:
        case (
            ast.Binary(operator="=", left=ast.Field(), right=ast.String(value=word))
            | ast.Binary(operator="=", left=ast.String(value=word), right=ast.Field())
        ):
            words: tuple[object, ...] = (word,)
        case ast.In(operand=ast.Field(), items=items, negated=False):
            words = tuple(item.value if isinstance(item, ast.String) else None for item in items)
        case _:
            return ()
    if words and all(is_plain_word(word) for word in words):
        return tuple(str(word) for word in words)
    return ()


def _is_log_field(name: str, defined: set[str], aliases: dict[str, str]) -> bool:
    """A field read from the event itself at this point: not a system field, not defined by the query."""
    if name.startswith("@") or name in defined or name in aliases:
        return False
    segments = name.split(".")
    return not any(
        ".".join(segments[:cut]) in defined or ".".join(segments[:cut]) in aliases
        for cut in range(1, len(segments))
    )


def _define_items(items: tuple[ast.Item, ...], defined: set[str], aliases: dict[str, str]) -> None:
    """A `fields` command reads every item in the scope before it, then defines the names."""
    before_defined, before_aliases = set(defined), dict(aliases)
    for item in items:
        expression = item.expression
        if item.alias is None and isinstance(expression, ast.Field):
            continue
        if isinstance(expression, ast.Field) and _is_log_field(
            expression.name, before_defined, before_aliases
        ):
            defined.discard(item.name)
            aliases[item.name] = expression.name
        else:
            _define(item.name, defined, aliases)


def _define(name: str, defined: set[str], aliases: dict[str, str]) -> None:
    aliases.pop(name, None)
    defined.add(name)
