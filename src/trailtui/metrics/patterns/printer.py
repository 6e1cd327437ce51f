"""Syntax tree → pattern text, in one canonical spacing: `{ ($.a = "x") && $.b NOT EXISTS }`.

Quoting and parentheses come back as written; whitespace is normalised. Parsing the printed text gives an
equal tree.
"""

from __future__ import annotations

import re

from trailtui.metrics.patterns.syntax import (
    And,
    AnyElement,
    AnyFields,
    AnyMember,
    Comparison,
    EmptyPattern,
    EmptySlot,
    Expression,
    FieldComparison,
    Group,
    Index,
    JsonPattern,
    Key,
    KeywordCheck,
    NamedField,
    NumberValue,
    Or,
    Pattern,
    RegexPattern,
    RegexValue,
    Selector,
    Slot,
    SpaceDelimitedPattern,
    Step,
    StringValue,
    Term,
    TermPattern,
    Value,
)

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-]+")


def print_pattern(pattern: Pattern) -> str:
    """The pattern text of a syntax tree."""
    match pattern:
        case EmptyPattern():
            return ""
        case TermPattern(terms):
            return " ".join(print_term(term) for term in terms)
        case RegexPattern(regex):
            return print_value(regex)
        case JsonPattern(expression):
            return "{ " + print_expression(expression) + " }"
        case SpaceDelimitedPattern(slots):
            return "[" + ", ".join(print_slot(slot) for slot in slots) + "]"


def print_term(term: Term) -> str:
    body = quote(term.text) if term.quoted else term.text
    return term.kind.value + body


def print_expression(expression: Expression) -> str:
    match expression:
        case Comparison(selector, operator, value):
            return f"{print_selector(selector)} {operator} {print_value(value)}"
        case KeywordCheck(selector, check):
            return f"{print_selector(selector)} {check.value}"
        case FieldComparison(name, operator, value):
            return f"{name} {operator} {print_value(value)}"
        case And(operands):
            return " && ".join(print_expression(operand) for operand in operands)
        case Or(operands):
            return " || ".join(print_expression(operand) for operand in operands)
        case Group(inner):
            return "(" + print_expression(inner) + ")"


def print_selector(selector: Selector) -> str:
    return "$" + "".join(print_step(step) for step in selector.steps)


def print_step(step: Step) -> str:
    match step:
        case Key(name):
            return "." + name if _PLAIN_KEY.fullmatch(name) else ".['" + name + "']"
        case Index(position):
            return f"[{position}]"
        case AnyElement():
            return "[*]"
        case AnyMember():
            return ".*"


def print_value(value: Value) -> str:
    match value:
        case StringValue(text, quoted):
            return quote(text) if quoted else text
        case NumberValue(text):
            return text
        case RegexValue(source):
            return "%" + source + "%"


def print_slot(slot: Slot) -> str:
    match slot:
        case NamedField(name, None):
            return name
        case NamedField(_, condition) if condition is not None:
            return print_expression(condition)
        case AnyFields():
            return "..."
        case EmptySlot():
            return ""
    raise AssertionError(slot)


def quote(text: str) -> str:
    """A double-quoted string literal that reads back as `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
