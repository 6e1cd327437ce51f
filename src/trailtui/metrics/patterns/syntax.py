"""The immutable syntax tree of a filter pattern.

Trees compare by value, so parse → print → parse can be checked with `==`. Parentheses are kept as
`Group` nodes and quoting as `StringValue.quoted` so that a tree prints back the way it was written; neither
changes what a pattern matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

# ---------------------------------------------------------------- shared values


@dataclass(frozen=True, slots=True)
class StringValue:
    """A quoted or bare literal; `*` anywhere in `text` matches any run of characters."""

    text: str
    quoted: bool

    @property
    def has_wildcard(self) -> bool:
        return "*" in self.text


@dataclass(frozen=True, slots=True)
class NumberValue:
    """A number literal, kept as written (`1e3`, `+5`); it compares numerically."""

    text: str

    @property
    def number(self) -> float:
        return float(self.text)


@dataclass(frozen=True, slots=True)
class RegexValue:
    """A `%regex%` literal; `source` is the text between the percent signs."""

    source: str


Value = StringValue | NumberValue | RegexValue

# ---------------------------------------------------------------- term patterns


class TermKind(Enum):
    REQUIRED = ""
    OPTIONAL = "?"
    EXCLUDED = "-"


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    quoted: bool
    kind: TermKind


@dataclass(frozen=True, slots=True)
class TermPattern:
    terms: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class RegexPattern:
    regex: RegexValue


@dataclass(frozen=True, slots=True)
class EmptyPattern:
    """The empty (or all-whitespace) pattern: it matches every event."""


# ---------------------------------------------------------------- JSON patterns


@dataclass(frozen=True, slots=True)
class Key:
    """`.name`, or `.['name']` when the name has characters a bare step cannot carry."""

    name: str


@dataclass(frozen=True, slots=True)
class Index:
    """`[n]`: the n-th (zero-based) element of an array."""

    position: int


@dataclass(frozen=True, slots=True)
class AnyElement:
    """`[*]`: any element of an array."""


@dataclass(frozen=True, slots=True)
class AnyMember:
    """`.*`: any member of an object."""


Step = Key | Index | AnyElement | AnyMember


@dataclass(frozen=True, slots=True)
class Selector:
    steps: tuple[Step, ...]

    @property
    def wildcard_count(self) -> int:
        return sum(isinstance(step, AnyElement | AnyMember) for step in self.steps)


@dataclass(frozen=True, slots=True)
class Comparison:
    selector: Selector
    operator: str
    value: Value


class Check(Enum):
    NULL = "IS NULL"
    TRUE = "IS TRUE"
    FALSE = "IS FALSE"
    NOT_EXISTS = "NOT EXISTS"


@dataclass(frozen=True, slots=True)
class KeywordCheck:
    selector: Selector
    check: Check


@dataclass(frozen=True, slots=True)
class FieldComparison:
    """A condition in a space-delimited slot: `status_code = 4*`."""

    name: str
    operator: str
    value: Value


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Expression, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """An expression written in parentheses."""

    inner: Expression


Expression = Comparison | KeywordCheck | FieldComparison | And | Or | Group


@dataclass(frozen=True, slots=True)
class JsonPattern:
    expression: Expression


# ---------------------------------------------------------------- space-delimited patterns


@dataclass(frozen=True, slots=True)
class NamedField:
    """A named slot, with an optional condition over its value (`FieldComparison`s joined by && / ||)."""

    name: str
    condition: Expression | None


@dataclass(frozen=True, slots=True)
class AnyFields:
    """`...`: as many unnamed fields as needed."""


@dataclass(frozen=True, slots=True)
class EmptySlot:
    """A slot with nothing in it (`[a,,b]`, a trailing comma): one unnamed field."""


Slot = NamedField | AnyFields | EmptySlot


@dataclass(frozen=True, slots=True)
class SpaceDelimitedPattern:
    slots: tuple[Slot, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(slot.name for slot in self.slots if isinstance(slot, NamedField))


Pattern = EmptyPattern | TermPattern | RegexPattern | JsonPattern | SpaceDelimitedPattern
