"""Prints a syntax tree back to query text that parses to an equal tree.

Parentheses appear only where precedence needs them; names are backticked only when a bare name would not
read back as the same field; strings use double quotes.
"""

from __future__ import annotations

import re

from trailtui.insights import ast
from trailtui.insights.parser import KEYWORDS
from trailtui.insights.tokens import is_name_part, is_name_start

OR, AND, NOT, COMPARISON, ADDITIVE, MULTIPLICATIVE, POWER, NEGATION, ATOM = range(1, 10)
BINARY_PRECEDENCE = {
    "or": OR,
    "and": AND,
    **dict.fromkeys(("=", "!=", "<", "<=", ">", ">="), COMPARISON),
    "+": ADDITIVE,
    "-": ADDITIVE,
    "*": MULTIPLICATIVE,
    "/": MULTIPLICATIVE,
    "%": MULTIPLICATIVE,
    "^": POWER,
}
UNQUOTABLE_WORDS = KEYWORDS | {"true", "false"}
EXPONENT_FORM = re.compile(r"[eE]")


def print_query(query: ast.Query) -> str:
    """The query as one line of text, commands separated by ` | `."""
    return " | ".join(print_command(command) for command in query.commands)


def print_command(command: ast.Command) -> str:
    match command:
        case ast.Fields(items=items):
            return f"fields {print_items(items)}"
        case ast.Display(fields=fields):
            return f"display {print_list(fields)}"
        case ast.Filter(condition=condition, keyword=keyword):
            return f"{keyword} {print_expression(condition)}"
        case ast.Stats(items=items, by=by):
            grouping = f" by {print_items(by)}" if by else ""
            return f"stats {print_items(items)}{grouping}"
        case ast.Sort(keys=keys):
            return "sort " + ", ".join(print_sort_key(key) for key in keys)
        case ast.Limit(count=count, any=limit_any):
            return f"limit {'any ' if limit_any else ''}{count}"
        case ast.Parse():
            return print_parse(command)
        case ast.Dedup(fields=fields):
            return f"dedup {print_list(fields)}"
        case ast.Unnest(field=field, into=into):
            return f"unnest {print_name(field.name)} into {print_name(into)}"
        case ast.Unmask(field=field):
            return "unmask" if field is None else f"unmask {print_name(field.name)}"
        case ast.UnsupportedCommand(text=text):
            return text
    raise TypeError(f"not a command: {command!r}")


def print_items(items: tuple[ast.Item, ...]) -> str:
    return ", ".join(print_item(item) for item in items)


def print_item(item: ast.Item) -> str:
    text = print_expression(item.expression)
    return text if item.alias is None else f"{text} as {print_name(item.alias)}"


def print_list(expressions: tuple[ast.Expression, ...]) -> str:
    return ", ".join(print_expression(expression) for expression in expressions)


def print_sort_key(key: ast.SortKey) -> str:
    name = print_name(key.field.name)
    return name if key.direction is None else f"{name} {key.direction}"


def print_parse(command: ast.Parse) -> str:
    parts = ["parse"]
    if command.source is not None:
        parts.append(print_name(command.source.name))
    parts.append(print_expression(command.pattern))
    if command.aliases:
        parts.append("as " + ", ".join(print_name(alias) for alias in command.aliases))
    if command.multi:
        parts.append("multi")
    return " ".join(parts)


def print_expression(expression: ast.Expression) -> str:
    """Expression text; sub-expressions are parenthesised only where precedence requires it."""
    match expression:
        case ast.String(value=value):
            return print_string(value)
        case ast.Number(value=value):
            return print_number(value)
        case ast.Boolean(value=value):
            return "true" if value else "false"
        case ast.DurationLiteral(value=duration):
            return f"{print_number(duration.amount)}{duration.unit}"
        case ast.Regex(pattern=pattern):
            return "/" + pattern.replace("/", "\\/") + "/"
        case ast.Field(name=name):
            return print_name(name)
        case ast.Star():
            return "*"
        case ast.Call(name=name, args=args):
            return f"{name}({print_list(args)})"
        case ast.Unary(operator="not", operand=operand):
            return f"not {operand_text(operand, NOT)}"
        case ast.Unary(operand=operand):
            return f"-{operand_text(operand, NEGATION)}"
        case ast.Binary():
            return print_binary(expression)
        case ast.Match(operand=operand, operator=operator, pattern=pattern):
            return f"{operand_text(operand, ADDITIVE)} {operator} {print_expression(pattern)}"
        case ast.In(operand=operand, items=items, negated=negated):
            keyword = "not in" if negated else "in"
            return f"{operand_text(operand, ADDITIVE)} {keyword} [{print_list(items)}]"
        case ast.Index(base=base, index=index):
            return f"{operand_text(base, ATOM)}[{print_expression(index)}]"
        case ast.Member(base=base, key=key):
            return f"{operand_text(base, ATOM)}.{print_name(key)}"
    raise TypeError(f"not an expression: {expression!r}")


def print_binary(expression: ast.Binary) -> str:
    precedence = BINARY_PRECEDENCE[expression.operator]
    if precedence == COMPARISON:
        left_minimum = right_minimum = ADDITIVE
    elif precedence == POWER:
        left_minimum, right_minimum = NEGATION, POWER
    else:
        left_minimum, right_minimum = precedence, precedence + 1
    left = operand_text(expression.left, left_minimum)
    right = operand_text(expression.right, right_minimum)
    return f"{left} {expression.operator} {right}"


def operand_text(expression: ast.Expression, minimum_precedence: int) -> str:
    text = print_expression(expression)
    return text if precedence_of(expression) >= minimum_precedence else f"({text})"


def precedence_of(expression: ast.Expression) -> int:
    match expression:
        case ast.Binary(operator=operator):
            return BINARY_PRECEDENCE[operator]
        case ast.Unary(operator="not"):
            return NOT
        case ast.Unary():
            return NEGATION
        case ast.Match() | ast.In():
            return COMPARISON
    return ATOM


def print_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def print_number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if EXPONENT_FORM.search(text):
        text = f"{value:.20f}".rstrip("0")
    return text


def print_name(name: str) -> str:
    """A field or alias name, bare when it reads back as the same name, else in backticks."""
    is_bare = (
        name != ""
        and is_name_start(name[0])
        and all(is_name_part(char) for char in name)
        and name.lower() not in UNQUOTABLE_WORDS
    )
    return name if is_bare else f"`{name}`"
