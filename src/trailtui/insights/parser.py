"""Recursive-descent parser for Logs Insights queries, table-driven for commands.

Operator precedence (spec §7.1, recommended order; highest first): unary `-`; `^` (right-associative);
`* / %`; `+ -`; comparisons, `like`, `=~`, `in`; `not`; `and`; `or`.
Errors are MalformedQueryError in ANTLR's words (`mismatched input '|' expecting an expression`) so they
read like CloudWatch's own.
"""

from __future__ import annotations

from collections.abc import Callable

from trailtui.insights import ast
from trailtui.insights.errors import MalformedQueryError, Span
from trailtui.insights.tokens import Token, TokenKind, tokenize

KEYWORDS = frozenset({"and", "or", "not", "like", "in", "as", "by", "asc", "desc", "into"})
COMPARISON_OPERATORS = ("=", "!=", "<", "<=", ">", ">=")
ADDITIVE_OPERATORS = ("+", "-")
MULTIPLICATIVE_OPERATORS = ("*", "/", "%")
FILTER_KEYWORDS = {"filter": "filter", "where": "where", "filterindex": "filterIndex"}
NAME_KINDS = (TokenKind.NAME, TokenKind.QUOTED_NAME)

UNSUPPORTED_COMMANDS = frozenset(
    {
        "pattern",
        "diff",
        "anomaly",
        "lookup",
        "source",
        "addtotals",
        "join",
        "autoregress",
        "logcompare",
        "filldown",
        "fillmissing",
        "cidrlookup",
        "outlier",
        "accum",
        "appendcols",
        "sessionize",
        "countfrequent",
        "relevantfields",
        "expand",
        "json",
    }
)


def parse_query(text: str) -> ast.Query:
    """The syntax tree of `text`; MalformedQueryError with line and column if it is not a query."""
    return Parser(text).query()


def parse_expression(text: str) -> ast.Expression:
    """One expression on its own (for tools such as the editor and tests)."""
    parser = Parser(text)
    expression = parser.expression()
    parser.expect_end()
    return expression


class Parser:
    """Holds the token list and a cursor; one method per grammar rule."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    # --- cursor ---

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    @property
    def previous(self) -> Token:
        return self.tokens[self.index - 1]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not TokenKind.EOF:
            self.index += 1
        return token

    def accept_symbol(self, *symbols: str) -> Token | None:
        return self.advance() if self.current.is_symbol(*symbols) else None

    def accept_word(self, *words: str) -> Token | None:
        return self.advance() if self.current.is_word(*words) else None

    def expect_symbol(self, symbol: str) -> Token:
        token = self.accept_symbol(symbol)
        if token is None:
            raise self.mismatched(f"'{symbol}'")
        return token

    def expect_word(self, word: str) -> Token:
        token = self.accept_word(word)
        if token is None:
            raise self.mismatched(f"'{word}'")
        return token

    def expect_end(self) -> None:
        if self.current.kind is not TokenKind.EOF:
            raise self.mismatched("'|' or end of query")

    def mismatched(self, expected: str) -> MalformedQueryError:
        token = self.current
        return MalformedQueryError.at(token.span, f"mismatched input {token.describe()} expecting {expected}")

    def span_since(self, start: Token) -> Span:
        return start.span.to(self.previous.span)

    def source_since(self, start: Token) -> str:
        return self.text[start.span.start : self.previous.span.end]

    # --- query and commands ---

    def query(self) -> ast.Query:
        commands = [self.command()]
        while self.accept_symbol("|"):
            commands.append(self.command())
        self.expect_end()
        return ast.Query(tuple(commands))

    def command(self) -> ast.Command:
        token = self.current
        if token.kind is not TokenKind.NAME:
            raise self.mismatched("a command")
        name = token.text.lower()
        if name in UNSUPPORTED_COMMANDS:
            return self.unsupported_command()
        command_parser = COMMAND_PARSERS.get(name)
        if command_parser is None:
            raise self.mismatched("a command")
        self.advance()
        return command_parser(self, token)

    def fields_command(self, start: Token) -> ast.Fields:
        return ast.Fields(self.items(), self.span_since(start))

    def display_command(self, start: Token) -> ast.Display:
        fields = [self.display_field()]
        while self.accept_symbol(","):
            fields.append(self.display_field())
        return ast.Display(tuple(fields), self.span_since(start))

    def display_field(self) -> ast.Field:
        field = self.field_name("a field name")
        if not (self.current.is_symbol(",", "|") or self.current.kind is TokenKind.EOF):
            raise MalformedQueryError.at(
                self.current.span,
                "display accepts field names only; compute expressions with `fields <expression> as <name>`",
            )
        return field

    def filter_command(self, start: Token) -> ast.Filter:
        keyword = FILTER_KEYWORDS[start.text.lower()]
        return ast.Filter(self.expression(), keyword, self.span_since(start))

    def stats_command(self, start: Token) -> ast.Stats:
        items = self.items()
        by: tuple[ast.Item, ...] = ()
        if self.accept_word("by"):
            by = self.items()
        return ast.Stats(items, by, self.span_since(start))

    def sort_command(self, start: Token) -> ast.Sort:
        keys = [self.sort_key()]
        while self.accept_symbol(","):
            keys.append(self.sort_key())
        return ast.Sort(tuple(keys), self.span_since(start))

    def sort_key(self) -> ast.SortKey:
        field = self.field_name("a field name")
        direction = self.accept_word("asc", "desc")
        return ast.SortKey(field, direction.text.lower() if direction else None)

    def limit_command(self, start: Token) -> ast.Limit:
        limit_any = self.accept_word("any") is not None
        token = self.current
        if token.kind is not TokenKind.NUMBER or not isinstance(token.value, int):
            raise self.mismatched("a whole number")
        self.advance()
        return ast.Limit(token.value, limit_any, self.span_since(start))

    def parse_command(self, start: Token) -> ast.Parse:
        source = None
        if self.current.kind in NAME_KINDS:
            source = self.field_name("a field name")
        if self.current.is_word("logfmt", "csv"):
            raise MalformedQueryError.at(
                self.current.span, f"`parse {self.current.text}` is not supported by the local engine"
            )
        pattern: ast.String | ast.Regex
        token = self.advance()
        if token.kind is TokenKind.STRING:
            pattern = ast.String(token.value, token.span)
        elif token.kind is TokenKind.REGEX:
            pattern = ast.Regex(token.value, token.span)
        else:
            self.index -= 1
            raise self.mismatched("a glob string or a /regex/")
        aliases: list[str] = []
        if self.accept_word("as"):
            aliases.append(self.alias())
            while self.accept_symbol(","):
                aliases.append(self.alias())
        multi = self.accept_word("multi") is not None
        return ast.Parse(source, pattern, tuple(aliases), multi, self.span_since(start))

    def dedup_command(self, start: Token) -> ast.Dedup:
        fields = [self.field_name("a field name")]
        while self.accept_symbol(","):
            fields.append(self.field_name("a field name"))
        return ast.Dedup(tuple(fields), self.span_since(start))

    def unnest_command(self, start: Token) -> ast.Unnest:
        field = self.field_name("a field name")
        self.expect_word("into")
        return ast.Unnest(field, self.alias(), self.span_since(start))

    def unmask_command(self, start: Token) -> ast.Unmask:
        field = self.field_name("a field name") if self.current.kind in NAME_KINDS else None
        return ast.Unmask(field, self.span_since(start))

    def unsupported_command(self) -> ast.UnsupportedCommand:
        """Skip to the next top-level `|`, keeping the text so the query can still be printed."""
        start = self.advance()
        depth = 0
        while self.current.kind is not TokenKind.EOF and not (depth == 0 and self.current.is_symbol("|")):
            if self.current.is_symbol("(", "["):
                depth += 1
            elif self.current.is_symbol(")", "]"):
                depth -= 1
            self.advance()
        return ast.UnsupportedCommand(start.text.lower(), self.source_since(start), self.span_since(start))

    # --- items, names ---

    def items(self) -> tuple[ast.Item, ...]:
        items = [self.item()]
        while self.accept_symbol(","):
            items.append(self.item())
        return tuple(items)

    def item(self) -> ast.Item:
        start = self.current
        expression = self.expression()
        text = self.source_since(start)
        if self.accept_word("as"):
            alias_token = self.current
            alias = self.alias()
            return ast.Item(expression, alias, text, alias_token.span)
        return ast.Item(expression, None, text)

    def alias(self) -> str:
        token = self.current
        if token.kind not in NAME_KINDS or token.is_word(*KEYWORDS):
            raise self.mismatched("a name")
        self.advance()
        return str(token.value)

    def field_name(self, expected: str) -> ast.Field:
        token = self.current
        if token.kind not in NAME_KINDS or token.is_word(*KEYWORDS):
            raise self.mismatched(expected)
        self.advance()
        return ast.Field(token.value, token.span)

    # --- expressions ---

    def expression(self) -> ast.Expression:
        return self.or_expression()

    def or_expression(self) -> ast.Expression:
        start = self.current
        left = self.and_expression()
        while self.accept_word("or"):
            left = ast.Binary("or", left, self.and_expression(), self.span_since(start))
        return left

    def and_expression(self) -> ast.Expression:
        start = self.current
        left = self.not_expression()
        while self.accept_word("and"):
            left = ast.Binary("and", left, self.not_expression(), self.span_since(start))
        return left

    def not_expression(self) -> ast.Expression:
        start = self.current
        if self.accept_word("not"):
            return ast.Unary("not", self.not_expression(), self.span_since(start))
        return self.comparison()

    def comparison(self) -> ast.Expression:
        start = self.current
        left = self.additive()
        operator = self.accept_symbol(*COMPARISON_OPERATORS)
        if operator is not None:
            return ast.Binary(operator.text, left, self.additive(), self.span_since(start))
        if self.current.is_word("not") and self.tokens[self.index + 1].is_word("like", "in"):
            self.advance()
            negated = True
        else:
            negated = False
        if self.accept_word("like"):
            return ast.Match(
                left, "not like" if negated else "like", self.match_pattern(), self.span_since(start)
            )
        if self.accept_word("in"):
            return ast.In(left, self.list_items(), negated, self.span_since(start))
        if self.accept_symbol("=~"):
            return ast.Match(left, "=~", self.match_pattern(), self.span_since(start))
        return left

    def match_pattern(self) -> ast.String | ast.Regex:
        token = self.current
        if token.kind is TokenKind.STRING:
            self.advance()
            return ast.String(token.value, token.span)
        if token.kind is TokenKind.REGEX:
            self.advance()
            return ast.Regex(token.value, token.span)
        raise self.mismatched("a string or a /regex/")

    def list_items(self) -> tuple[ast.Expression, ...]:
        self.expect_symbol("[")
        items: list[ast.Expression] = []
        if not self.current.is_symbol("]"):
            items.append(self.additive())
            while self.accept_symbol(","):
                items.append(self.additive())
        self.expect_symbol("]")
        return tuple(items)

    def additive(self) -> ast.Expression:
        return self.left_associative(self.multiplicative, ADDITIVE_OPERATORS)

    def multiplicative(self) -> ast.Expression:
        return self.left_associative(self.power, MULTIPLICATIVE_OPERATORS)

    def left_associative(
        self, operand: Callable[[], ast.Expression], operators: tuple[str, ...]
    ) -> ast.Expression:
        start = self.current
        left = operand()
        while (operator := self.accept_symbol(*operators)) is not None:
            left = ast.Binary(operator.text, left, operand(), self.span_since(start))
        return left

    def power(self) -> ast.Expression:
        start = self.current
        base = self.unary()
        if self.accept_symbol("^"):
            return ast.Binary("^", base, self.power(), self.span_since(start))
        return base

    def unary(self) -> ast.Expression:
        start = self.current
        if self.accept_symbol("-"):
            return ast.Unary("-", self.unary(), self.span_since(start))
        return self.postfix()

    def postfix(self) -> ast.Expression:
        start = self.current
        expression = self.primary()
        while True:
            if self.accept_symbol("["):
                index = self.expression()
                self.expect_symbol("]")
                expression = ast.Index(expression, index, self.span_since(start))
            elif self.accept_symbol("."):
                key = self.current
                if key.kind not in NAME_KINDS:
                    raise self.mismatched("a key name")
                self.advance()
                expression = ast.Member(expression, str(key.value), self.span_since(start))
            else:
                return expression

    def primary(self) -> ast.Expression:
        token = self.current
        literal = LITERAL_TOKENS.get(token.kind)
        if literal is not None:
            self.advance()
            return literal(token.value, token.span)
        if token.is_word("true", "false"):
            self.advance()
            return ast.Boolean(token.text.lower() == "true", token.span)
        if token.kind in NAME_KINDS and not token.is_word(*KEYWORDS):
            self.advance()
            if token.kind is TokenKind.NAME and self.current.is_symbol("("):
                return self.call(token)
            return ast.Field(token.value, token.span)
        if self.accept_symbol("("):
            expression = self.expression()
            self.expect_symbol(")")
            return expression
        raise self.mismatched("an expression")

    def call(self, name: Token) -> ast.Call:
        self.expect_symbol("(")
        args: list[ast.Expression] = []
        if not self.current.is_symbol(")"):
            args.append(self.argument())
            while self.accept_symbol(","):
                args.append(self.argument())
        self.expect_symbol(")")
        return ast.Call(name.text, tuple(args), self.span_since(name))

    def argument(self) -> ast.Expression:
        star = self.current
        if star.is_symbol("*") and self.tokens[self.index + 1].is_symbol(")", ","):
            self.advance()
            return ast.Star(star.span)
        return self.expression()


LITERAL_TOKENS: dict[TokenKind, Callable[..., ast.Expression]] = {
    TokenKind.STRING: ast.String,
    TokenKind.NUMBER: ast.Number,
    TokenKind.DURATION: ast.DurationLiteral,
    TokenKind.REGEX: ast.Regex,
}

COMMAND_PARSERS: dict[str, Callable[[Parser, Token], ast.Command]] = {
    "fields": Parser.fields_command,
    "display": Parser.display_command,
    "filter": Parser.filter_command,
    "where": Parser.filter_command,
    "filterindex": Parser.filter_command,
    "stats": Parser.stats_command,
    "sort": Parser.sort_command,
    "limit": Parser.limit_command,
    "parse": Parser.parse_command,
    "dedup": Parser.dedup_command,
    "unnest": Parser.unnest_command,
    "unmask": Parser.unmask_command,
}
"""Command name (lower case) → the method that parses the rest of that command."""
