"""Syntax tree of a Logs Insights query: immutable nodes for expressions and commands.

Source positions (`span`) and source texts are kept for error messages and column names but take no part
in equality, so a query parsed from printed text equals the original tree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TypeAlias

from trailtui.insights.errors import Span
from trailtui.insights.values import Duration

NO_SPAN = Span(1, 1, 0, 0)


# --- expressions ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class String:
    value: str
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Number:
    value: int | float
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Boolean:
    value: bool
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DurationLiteral:
    value: Duration
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Regex:
    """A `/.../` literal; `pattern` is the text between the slashes with `\\/` already unescaped."""

    pattern: str
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Field:
    """A field reference: a log field, a system `@` field, or a name defined earlier in the query."""

    name: str
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Star:
    """The `*` of `count(*)`."""

    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; `name` as written (function names are case-insensitive, see `key`)."""

    name: str
    args: tuple[Expression, ...]
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Unary:
    """`-x` or `not x`."""

    operator: str
    operand: Expression
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic (`+ - * / % ^`), comparison (`= != < <= > >=`) and boolean (`and`, `or`) operators."""

    operator: str
    left: Expression
    right: Expression
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Match:
    """`x like "text"`, `x like /re/`, `x not like ...`, `x =~ /re/`."""

    operand: Expression
    operator: str
    pattern: String | Regex
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)

    @property
    def negated(self) -> bool:
        return self.operator == "not like"


@dataclass(frozen=True, slots=True)
class In:
    """`x in [a, b]` / `x not in [a, b]`."""

    operand: Expression
    items: tuple[Expression, ...]
    negated: bool
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Index:
    """`list[1]` or `map["key"]` on a value from `jsonParse`."""

    base: Expression
    index: Expression
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Member:
    """`jsonParse(x).key`: a key of a map-valued expression that is not a plain field name."""

    base: Expression
    key: str
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


Expression: TypeAlias = (
    String
    | Number
    | Boolean
    | DurationLiteral
    | Regex
    | Field
    | Star
    | Call
    | Unary
    | Binary
    | Match
    | In
    | Index
    | Member
)
LITERAL_TYPES = (String, Number, Boolean, DurationLiteral, Regex)


def children(expression: Expression) -> tuple[Expression, ...]:
    """The direct sub-expressions of a node."""
    match expression:
        case Call(args=args):
            return args
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=left, right=right):
            return (left, right)
        case Match(operand=operand, pattern=pattern):
            return (operand, pattern)
        case In(operand=operand, items=items):
            return (operand, *items)
        case Index(base=base, index=index):
            return (base, index)
        case Member(base=base):
            return (base,)
    return ()


def walk(expression: Expression) -> list[Expression]:
    """The node and all its descendants, parents before children."""
    nodes = [expression]
    for child in children(expression):
        nodes.extend(walk(child))
    return nodes


# --- commands -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    """`expr [as alias]` in `fields` and `stats`; `text` is the expression's source (the default column)."""

    expression: Expression
    alias: str | None = None
    text: str = dataclasses.field(default="", compare=False, repr=False)
    alias_span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The output column: the alias, the field's own name, or the expression's source text."""
        if self.alias is not None:
            return self.alias
        if isinstance(self.expression, Field):
            return self.expression.name
        return self.text

    @property
    def name_span(self) -> Span:
        return self.alias_span if self.alias is not None else self.expression.span


@dataclass(frozen=True, slots=True)
class Fields:
    items: tuple[Item, ...]
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Display:
    fields: tuple[Field, ...]
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Filter:
    """`filter`, or its synonyms `where` and `filterIndex` (kept in `keyword` for printing)."""

    condition: Expression
    keyword: str = "filter"
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Stats:
    items: tuple[Item, ...]
    by: tuple[Item, ...] = ()
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class SortKey:
    """One sort key; `direction` is `asc`, `desc` or None when the query does not say (then descending)."""

    field: Field
    direction: str | None = None

    @property
    def descending(self) -> bool:
        return self.direction != "asc"


@dataclass(frozen=True, slots=True)
class Sort:
    keys: tuple[SortKey, ...]
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    any: bool = False
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Parse:
    """`parse [source] "glob" as a, b` or `parse [source] /regex/ [as a [multi]]`.

    `source` None means `@message`.
    """

    source: Field | None
    pattern: String | Regex
    aliases: tuple[str, ...] = ()
    multi: bool = False
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Dedup:
    fields: tuple[Field, ...]
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Unnest:
    field: Field
    into: str
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Unmask:
    """`unmask [field]`: shows masked data in CloudWatch; local data is never masked, so it does nothing."""

    field: Field | None = None
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class UnsupportedCommand:
    """A command of the language that the local engine does not run (`pattern`, `diff`, `lookup`…).

    The parser keeps its source text so the query can still be printed and sent to CloudWatch.
    """

    name: str
    text: str
    span: Span = dataclasses.field(default=NO_SPAN, compare=False, repr=False)


Command: TypeAlias = (
    Fields | Display | Filter | Stats | Sort | Limit | Parse | Dedup | Unnest | Unmask | UnsupportedCommand
)


@dataclass(frozen=True, slots=True)
class Query:
    commands: tuple[Command, ...]
