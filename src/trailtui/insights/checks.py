"""Semantic rules of Logs Insights (spec §6 and §12) checked on a parsed query before it runs.

Errors (MalformedQueryError at the offending place):
- commands the local engine does not run (`pattern`, `diff`, `anomaly`, `lookup`, `SOURCE`…);
- more than two `stats`; `sort`/`limit` between two `stats`; anything but `limit` after `dedup`;
- after a `stats`, names other than its outputs (and what later commands define): CloudWatch's
  "Unknown symbols found in or after stats"; `bin()` reads `@timestamp` implicitly, so it counts;
- redefining a name defined earlier in the query (alias, projected field, parse or unnest output); an
  alias may shadow a raw log field that no earlier command projected;
- unknown functions, wrong argument counts, aggregates outside `stats` or nested in one another, `stats`
  items without an aggregate, `*` anywhere but `count(*)`;
- parse globs whose `*` count differs from the aliases, unsupported or invalid regexes, `limit` out of
  1..100,000.
Warnings: a string compared with `=` or `!=` that contains `*` (Logs Insights compares literally).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trailtui.insights import ast
from trailtui.insights.aggregates import AGGREGATE_FUNCTIONS
from trailtui.insights.errors import MalformedQueryError, QueryWarning, Span
from trailtui.insights.functions import SCALAR_FUNCTIONS
from trailtui.insights.values import compile_regex

MAX_STATS_COMMANDS = 2
MAX_LIMIT = 100_000
IMPLICIT_TIMESTAMP_FUNCTIONS = frozenset({"bin"})
"""Functions whose first argument (`@timestamp`) the query does not write."""


def check_query(query: ast.Query) -> list[QueryWarning]:
    """Raise MalformedQueryError for the first rule the query breaks; return its warnings."""
    checker = _Checker()
    for command in query.commands:
        checker.command(command)
    return checker.warnings


def glob_capture_count(pattern: str) -> int:
    """How many fields a parse glob captures (one per `*`)."""
    return pattern.count("*")


def regex_group_names(pattern: str) -> list[str]:
    """Named groups of a parse regex, in order; ValueError if the regex is invalid or unsupported."""
    compiled = compile_regex(pattern)
    return sorted(compiled.groupindex, key=compiled.groupindex.__getitem__)


def parse_outputs(command: ast.Parse) -> tuple[str, ...]:
    """The fields a `parse` command defines: its aliases, else the regex's named groups."""
    if command.aliases or isinstance(command.pattern, ast.String):
        return command.aliases
    return tuple(regex_group_names(command.pattern.pattern))


def is_aggregate_call(expression: ast.Expression) -> bool:
    return isinstance(expression, ast.Call) and expression.key in AGGREGATE_FUNCTIONS


def literal_regex_suggestion(text: str) -> str:
    """A regex with the meaning the author of `f = "AWS_*"` probably wanted: `/^AWS_/`."""
    pieces = [re.escape(piece) for piece in text.split("*")]
    body = ".*".join(pieces)
    body = body.removesuffix(".*") if text.endswith("*") else body + "$"
    body = body.removeprefix(".*") if text.startswith("*") else "^" + body
    return "/" + body.replace("/", "\\/") + "/"


@dataclass
class _Checker:
    """Walks the commands in order, tracking which names exist and where they were defined."""

    warnings: list[QueryWarning] = field(default_factory=list)
    defined: dict[str, Span] = field(default_factory=dict)
    after_stats_names: set[str] | None = None
    """None while raw log fields are available; after a `stats`, the names that still exist."""
    stats_seen: int = 0
    sort_or_limit_after_stats: ast.Sort | ast.Limit | None = None
    dedup_seen: bool = False

    def command(self, command: ast.Command) -> None:
        if isinstance(command, ast.UnsupportedCommand):
            raise MalformedQueryError.at(
                command.span, f"`{command.name}` is not supported by the local engine"
            )
        if self.dedup_seen and not isinstance(command, ast.Limit):
            raise MalformedQueryError.at(command.span, "only `limit` may follow `dedup`")
        match command:
            case ast.Fields(items=items):
                self.fields(items)
            case ast.Filter(condition=condition):
                self.scalar(condition)
            case ast.Stats():
                self.stats(command)
            case ast.Sort(keys=keys):
                self.note_sort_or_limit(command)
                for key in keys:
                    self.reference(key.field.name, key.field.span)
            case ast.Limit():
                self.limit(command)
            case ast.Parse():
                self.parse(command)
            case ast.Dedup(fields=fields):
                self.dedup_seen = True
                self.references(fields)
            case ast.Unnest(field=source, into=into):
                self.reference(source.name, source.span)
                self.define(into, command.span)
            case ast.Display(fields=fields):
                self.references(fields)

    # --- commands ---

    def fields(self, items: tuple[ast.Item, ...]) -> None:
        for item in items:
            self.scalar(item.expression)
            is_projection = item.alias is None and isinstance(item.expression, ast.Field)
            if not (is_projection and item.name in self.defined):
                self.define(item.name, item.name_span)

    def stats(self, command: ast.Stats) -> None:
        self.stats_seen += 1
        if self.stats_seen > MAX_STATS_COMMANDS:
            raise MalformedQueryError.at(command.span, "a query may have at most two `stats` commands")
        if self.sort_or_limit_after_stats is not None:
            misplaced = self.sort_or_limit_after_stats
            keyword = "sort" if isinstance(misplaced, ast.Sort) else "limit"
            raise MalformedQueryError.at(misplaced.span, f"`{keyword}` must come after the second `stats`")
        outputs: dict[str, Span] = {}
        for group in command.by:
            self.scalar(group.expression)
            self.define_once(outputs, group)
        for item in command.items:
            self.stats_item(item, outputs)
            self.define_once(outputs, item)
        self.defined = outputs
        self.after_stats_names = set(outputs)

    def stats_item(self, item: ast.Item, earlier_aliases: dict[str, Span]) -> None:
        aggregate_calls = 0
        for node in self.outside_aggregates(item.expression):
            if is_aggregate_call(node):
                aggregate_calls += 1
                assert isinstance(node, ast.Call)
                self.aggregate_call(node)
            elif isinstance(node, ast.Field) and node.name not in earlier_aliases:
                raise MalformedQueryError.at(
                    node.span,
                    f"`{node.name}` must be inside an aggregate or name an earlier item of this stats",
                )
            elif isinstance(node, ast.Field):
                aggregate_calls += 1
            else:
                self.expression_node(node)
        if aggregate_calls == 0:
            raise MalformedQueryError.at(item.expression.span, "a `stats` item needs an aggregate function")

    def outside_aggregates(self, expression: ast.Expression) -> list[ast.Expression]:
        """Nodes of a stats item down to (and including) aggregate calls, not below them."""
        if is_aggregate_call(expression):
            return [expression]
        nodes = [expression]
        for child in ast.children(expression):
            nodes.extend(self.outside_aggregates(child))
        return nodes

    def aggregate_call(self, call: ast.Call) -> None:
        function = AGGREGATE_FUNCTIONS[call.key]
        self.arity(call, function.min_args, function.max_args)
        for argument in call.args[1:]:
            if not isinstance(argument, ast.LITERAL_TYPES):
                raise MalformedQueryError.at(argument.span, f"`{call.name}` takes a constant here")
        if call.args and isinstance(call.args[0], ast.Star):
            if call.key != "count":
                raise MalformedQueryError.at(call.args[0].span, "`*` is only allowed in `count(*)`")
            return
        for argument in call.args:
            self.scalar(argument)

    def limit(self, command: ast.Limit) -> None:
        self.note_sort_or_limit(command)
        if not 1 <= command.count <= MAX_LIMIT:
            raise MalformedQueryError.at(command.span, f"`limit` must be between 1 and {MAX_LIMIT:,}")

    def parse(self, command: ast.Parse) -> None:
        if command.source is not None:
            self.reference(command.source.name, command.source.span)
        pattern = command.pattern
        if isinstance(pattern, ast.String):
            self.glob(command, pattern)
        else:
            self.regex(command, pattern)
        for name in parse_outputs(command):
            self.define(name, command.span)

    def glob(self, command: ast.Parse, pattern: ast.String) -> None:
        captures = glob_capture_count(pattern.value)
        if captures == 0:
            raise MalformedQueryError.at(pattern.span, "a parse glob needs at least one `*`")
        if captures != len(command.aliases):
            raise MalformedQueryError.at(
                pattern.span,
                f"the glob captures {captures} field(s) but {len(command.aliases)} name(s) follow `as`",
            )
        if command.multi:
            raise MalformedQueryError.at(command.span, "`multi` needs a regex with one capture group")

    def regex(self, command: ast.Parse, pattern: ast.Regex) -> None:
        try:
            compiled = compile_regex(pattern.pattern)
        except ValueError as error:
            raise MalformedQueryError.at(pattern.span, str(error)) from None
        if command.aliases and len(command.aliases) != compiled.groups:
            raise MalformedQueryError.at(
                pattern.span,
                f"the regex has {compiled.groups} group(s) but {len(command.aliases)} name(s) follow `as`",
            )
        if not command.aliases and not compiled.groupindex:
            raise MalformedQueryError.at(pattern.span, "a parse regex needs named groups `(?<name>...)`")
        if command.multi and compiled.groups != 1:
            raise MalformedQueryError.at(command.span, "`multi` needs a regex with one capture group")

    def note_sort_or_limit(self, command: ast.Sort | ast.Limit) -> None:
        if self.stats_seen == 1 and self.sort_or_limit_after_stats is None:
            self.sort_or_limit_after_stats = command

    # --- names ---

    def define(self, name: str, span: Span) -> None:
        self.define_once(self.defined, name, span)

    def define_once(
        self, names: dict[str, Span], name_or_item: str | ast.Item, span: Span | None = None
    ) -> None:
        if isinstance(name_or_item, ast.Item):
            name, span = name_or_item.name, name_or_item.name_span
        else:
            name = name_or_item
        assert span is not None
        earlier = names.get(name)
        if earlier is not None:
            raise MalformedQueryError.at(
                span,
                f"`{name}` is already defined at line {earlier.line}:{earlier.column}; choose another name",
            )
        names[name] = span

    def references(self, fields: tuple[ast.Field, ...]) -> None:
        for reference in fields:
            self.reference(reference.name, reference.span)

    def reference(self, name: str, span: Span) -> None:
        if self.after_stats_names is None or self.is_available(name):
            return
        raise MalformedQueryError.at(span, f"Unknown symbols found in or after stats: {name}")

    def is_available(self, name: str) -> bool:
        assert self.after_stats_names is not None
        if name in self.after_stats_names or name in self.defined:
            return True
        prefix, dot, _ = name.rpartition(".")
        return bool(dot) and self.is_available(prefix)

    # --- expressions ---

    def scalar(self, expression: ast.Expression) -> None:
        """Check an expression outside aggregates: every node, no aggregate calls."""
        for node in ast.walk(expression):
            if is_aggregate_call(node):
                assert isinstance(node, ast.Call)
                raise MalformedQueryError.at(
                    node.span, f"aggregate function `{node.name}` is only allowed in stats"
                )
            self.expression_node(node)

    def expression_node(self, node: ast.Expression) -> None:
        match node:
            case ast.Field(name=name, span=span):
                self.reference(name, span)
            case ast.Star(span=span):
                raise MalformedQueryError.at(span, "`*` is only allowed in `count(*)`")
            case ast.Call():
                self.scalar_call(node)
            case ast.Binary(operator="=" | "!=" as operator, left=left, right=right):
                for side in (left, right):
                    if isinstance(side, ast.String) and "*" in side.value:
                        self.warn_literal_star(operator, side)

    def scalar_call(self, call: ast.Call) -> None:
        function = SCALAR_FUNCTIONS.get(call.key)
        if function is None:
            raise MalformedQueryError.at(call.span, f"unknown function `{call.name}`")
        implicit = 1 if call.key in IMPLICIT_TIMESTAMP_FUNCTIONS else 0
        maximum = None if function.max_args is None else function.max_args - implicit
        self.arity(call, function.min_args - implicit, maximum)
        if implicit:
            self.reference("@timestamp", call.span)

    def arity(self, call: ast.Call, minimum: int, maximum: int | None) -> None:
        count = len(call.args)
        if count < minimum or (maximum is not None and count > maximum):
            expected = (
                str(minimum)
                if minimum == maximum
                else f"{minimum} to {maximum if maximum is not None else 'any'}"
            )
            raise MalformedQueryError.at(
                call.span, f"`{call.name}` takes {expected} argument(s), got {count}"
            )

    def warn_literal_star(self, operator: str, literal: ast.String) -> None:
        suggestion = literal_regex_suggestion(literal.value)
        alternative = "not like" if operator == "!=" else "like"
        self.warnings.append(
            QueryWarning.at(
                literal.span,
                f"`{operator}` compares literally: `*` is not a wildcard in Logs Insights; "
                f"did you mean `{alternative} {suggestion}`?",
            )
        )
