"""Recursive-descent parser: pattern text → syntax tree, or `PatternError` naming the column.

Dispatch (spec §1), after trimming surrounding whitespace: empty → `EmptyPattern`; `{` → JSON; `[` →
space-delimited; `%` → a standalone regex, which must be the whole pattern; anything else → terms.

Decisions on what the spec leaves open:
- Keywords `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS` are case-insensitive (§9.8); `IS NOT …` and a
  bare `EXISTS` are rejected. A bare `null`/`true` after an operator is a string, not a keyword.
- `<`, `<=`, `>`, `>=` need a number literal; strings and regexes only go with `=` and `!=`.
- Selectors: `.name` (letters, digits, `_`, `-`), `.['any key']` (or `['any key']`), `[n]`, `[*]`, `.*`.
  At most one wildcard per selector and three per pattern; at most two regexes per pattern; parentheses
  nest at most 32 deep; a pattern is at most 1,024 characters.
- Space-delimited: field names are letters, digits and `_`, not starting with a digit (so they never clash
  with the positional `$1` keys) and unique in a pattern; at most one `...`; every comparison in a slot
  names that slot's field (`[w1=ERROR || w1=WARNING, w2]`); `&&` binds tighter than `||`; no parentheses.
"""

from __future__ import annotations

import re

from trailtui.metrics.patterns.regex import compile_regex
from trailtui.metrics.patterns.syntax import (
    And,
    AnyElement,
    AnyFields,
    AnyMember,
    Check,
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
    TermKind,
    TermPattern,
    Value,
)
from trailtui.metrics.patterns.tokens import (
    WHITESPACE,
    PatternError,
    Token,
    TokenKind,
    read_regex,
    tokenize_structured,
    tokenize_terms,
)

MAX_PATTERN_LENGTH = 1024
MAX_REGEXES = 2
MAX_WILDCARDS = 3
MAX_NESTING = 32

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SELECTOR_STEP = re.compile(
    r"\.(?P<name>[A-Za-z0-9_\-]+)|\.?\['(?P<quoted>[^']*)'\]|\[(?P<index>\d+)\]|(?P<element>\[\*\])|(?P<member>\.\*)"
)
_ORDERING_OPERATORS = ("<", "<=", ">", ">=")
_CHECKS = {"NULL": Check.NULL, "TRUE": Check.TRUE, "FALSE": Check.FALSE}


def parse_pattern(text: str) -> Pattern:
    """The syntax tree of a filter pattern; PatternError when it is malformed."""
    if len(text) > MAX_PATTERN_LENGTH:
        raise PatternError(f"a pattern is at most {MAX_PATTERN_LENGTH:,} characters", MAX_PATTERN_LENGTH)
    start, end = _trimmed_bounds(text)
    if start == end:
        return EmptyPattern()
    first = text[start]
    if first == "{":
        return _StructuredParser(text, start, end).json_pattern()
    if first == "[":
        return _StructuredParser(text, start, end).space_delimited_pattern()
    if first == "%":
        return _regex_pattern(text, start, end)
    return _term_pattern(text, start, end)


def parse_selector(text: str) -> Selector:
    """A selector on its own (`$.requestParameters.durationSeconds`), as metric values and dimensions use."""
    parser = _StructuredParser(text, 0, len(text))
    token = parser.expect(TokenKind.SELECTOR, "a selector such as $.eventName")
    parser.expect_end(token.text)
    return parser.selector(token)


def _trimmed_bounds(text: str) -> tuple[int, int]:
    start, end = 0, len(text)
    while start < end and text[start] in WHITESPACE:
        start += 1
    while end > start and text[end - 1] in WHITESPACE:
        end -= 1
    return start, end


def _regex_pattern(text: str, start: int, end: int) -> RegexPattern:
    token = read_regex(text, start, end)
    if token.end != end:
        raise PatternError("a regular expression must be the whole pattern", token.end)
    compile_regex(token.value, token.start)
    return RegexPattern(RegexValue(token.value))


def _term_pattern(text: str, start: int, end: int) -> TermPattern:
    return TermPattern(tuple(_term(token) for token in tokenize_terms(text, start, end)))


def _term(token: Token) -> Term:
    prefix = token.text[0] if token.text[0] in "?-" else ""
    return Term(token.value, quoted=token.text.startswith('"', len(prefix)), kind=TermKind(prefix))


class _StructuredParser:
    """Parser state for the JSON and space-delimited forms, over one token list."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.tokens = tokenize_structured(text, start, end)
        self.index = 0
        self.depth = 0
        self.regex_count = 0
        self.wildcard_count = 0

    # ------------------------------------------------------------ token access

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is not TokenKind.END:
            self.index += 1
        return token

    def expect(self, kind: TokenKind, description: str) -> Token:
        if self.current.kind is not kind:
            raise self.error(f"expected {description}")
        return self.advance()

    def error(self, reason: str, token: Token | None = None) -> PatternError:
        at = token or self.current
        found = "the end of the pattern" if at.kind is TokenKind.END else repr(at.text)
        return PatternError(f"{reason}, found {found}", at.start)

    def expect_end(self, closer: str) -> None:
        if self.current.kind is not TokenKind.END:
            raise PatternError(f"unexpected text after {closer!r}", self.current.start)

    # ------------------------------------------------------------ JSON

    def json_pattern(self) -> JsonPattern:
        self.expect(TokenKind.LBRACE, "'{'")
        expression = self.or_expression()
        self.expect(TokenKind.RBRACE, "'}' or an operator (&&, ||)")
        self.expect_end("}")
        return JsonPattern(expression)

    def or_expression(self) -> Expression:
        operands = [self.and_expression()]
        while self.current.kind is TokenKind.OR:
            self.advance()
            operands.append(self.and_expression())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expression(self) -> Expression:
        operands = [self.json_term()]
        while self.current.kind is TokenKind.AND:
            self.advance()
            operands.append(self.json_term())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def json_term(self) -> Expression:
        if self.current.kind is TokenKind.LPAREN:
            return self.group()
        if self.current.kind is TokenKind.SELECTOR:
            return self.condition()
        raise self.error("expected a selector such as $.eventName, or '('")

    def group(self) -> Group:
        opening = self.advance()
        if self.depth >= MAX_NESTING:
            raise PatternError(f"parentheses nest more than {MAX_NESTING} deep", opening.start)
        self.depth += 1
        inner = self.or_expression()
        self.depth -= 1
        self.expect(TokenKind.RPAREN, "')'")
        return Group(inner)

    def condition(self) -> Expression:
        selector = self.selector(self.advance())
        token = self.current
        if token.kind is TokenKind.OPERATOR:
            self.advance()
            return Comparison(selector, token.value, self.value(token.value))
        keyword = token.text.upper() if token.kind is TokenKind.BARE else ""
        if keyword == "IS":
            self.advance()
            return KeywordCheck(selector, self.is_check())
        if keyword == "NOT":
            self.advance()
            self.expect_keyword("EXISTS", "EXISTS after NOT")
            return KeywordCheck(selector, Check.NOT_EXISTS)
        if keyword == "EXISTS":
            raise PatternError(
                "EXISTS is not supported: use `= *` to test that a field is present", token.start
            )
        raise self.error("expected an operator (=, !=, <, <=, >, >=), IS or NOT EXISTS after the selector")

    def is_check(self) -> Check:
        token = self.current
        keyword = token.text.upper() if token.kind is TokenKind.BARE else ""
        if keyword == "NOT":
            raise PatternError("IS NOT is not supported: use != or NOT EXISTS", token.start)
        if keyword not in _CHECKS:
            raise self.error("expected NULL, TRUE or FALSE after IS")
        self.advance()
        return _CHECKS[keyword]

    def expect_keyword(self, keyword: str, description: str) -> None:
        token = self.current
        if token.kind is not TokenKind.BARE or token.text.upper() != keyword:
            raise self.error(f"expected {description}")
        self.advance()

    def selector(self, token: Token) -> Selector:
        steps: list[Step] = []
        offset = 1
        text = token.text
        while offset < len(text):
            match = _SELECTOR_STEP.match(text, offset)
            if match is None:
                raise PatternError(
                    "expected .name, .['key'], [n], [*] or .* in the selector", token.start + offset
                )
            steps.append(_step(match))
            offset = match.end()
        if not steps:
            raise PatternError(
                "a selector needs at least one step after '$', such as $.eventName", token.start
            )
        selector = Selector(tuple(steps))
        self.count_wildcards(selector, token)
        return selector

    def count_wildcards(self, selector: Selector, token: Token) -> None:
        if selector.wildcard_count > 1:
            raise PatternError("a selector can use at most one wildcard ([*] or .*)", token.start)
        self.wildcard_count += selector.wildcard_count
        if self.wildcard_count > MAX_WILDCARDS:
            raise PatternError(f"a pattern can use at most {MAX_WILDCARDS} selector wildcards", token.start)

    # ------------------------------------------------------------ values

    def value(self, operator: str) -> Value:
        token = self.current
        value = self.literal(operator)
        if operator in _ORDERING_OPERATORS and not isinstance(value, NumberValue):
            raise PatternError(f"{operator!r} compares numbers: expected a number", token.start)
        return value

    def literal(self, operator: str) -> Value:
        token = self.current
        if token.kind is TokenKind.STRING:
            self.advance()
            return StringValue(token.value, quoted=True)
        if token.kind is TokenKind.NUMBER:
            self.advance()
            return NumberValue(token.value)
        if token.kind is TokenKind.BARE:
            self.advance()
            return StringValue(token.value, quoted=False)
        if token.kind is TokenKind.REGEX:
            self.advance()
            return self.regex(token)
        raise self.error(f"expected a value after {operator!r}")

    def regex(self, token: Token) -> RegexValue:
        self.regex_count += 1
        if self.regex_count > MAX_REGEXES:
            raise PatternError(f"a pattern can use at most {MAX_REGEXES} regular expressions", token.start)
        compile_regex(token.value, token.start)
        return RegexValue(token.value)

    # ------------------------------------------------------------ space-delimited

    def space_delimited_pattern(self) -> SpaceDelimitedPattern:
        self.expect(TokenKind.LBRACKET, "'['")
        slots: list[Slot] = []
        if self.current.kind is TokenKind.RBRACKET:
            self.advance()
        else:
            slots.append(self.slot(slots))
            while self.current.kind is TokenKind.COMMA:
                self.advance()
                slots.append(self.slot(slots))
            self.expect(TokenKind.RBRACKET, "',' or ']'")
        self.expect_end("]")
        return SpaceDelimitedPattern(tuple(slots))

    def slot(self, previous: list[Slot]) -> Slot:
        token = self.current
        if token.kind in (TokenKind.COMMA, TokenKind.RBRACKET):
            return EmptySlot()
        if token.kind is TokenKind.BARE and token.text == "...":
            self.advance()
            if any(isinstance(slot, AnyFields) for slot in previous):
                raise PatternError("a pattern can use '...' only once", token.start)
            return AnyFields()
        name = self.field_name()
        if name in (slot.name for slot in previous if isinstance(slot, NamedField)):
            raise PatternError(f"field {name!r} is named twice", token.start)
        if self.current.kind is not TokenKind.OPERATOR:
            return NamedField(name, None)
        return NamedField(name, self.field_condition(name))

    def field_name(self) -> str:
        token = self.current
        if token.kind not in (TokenKind.BARE, TokenKind.NUMBER) or not _FIELD_NAME.fullmatch(token.text):
            raise self.error("expected a field name (letters, digits, _), '...' or ','")
        self.advance()
        return token.text

    def field_condition(self, name: str) -> Expression:
        alternatives: list[list[Expression]] = [[self.field_comparison(name)]]
        while self.current.kind in (TokenKind.AND, TokenKind.OR):
            connector = self.advance()
            name_token = self.current
            if self.field_name() != name:
                raise PatternError(f"a condition in this slot must name the field {name!r}", name_token.start)
            comparison = self.field_comparison(name)
            if connector.kind is TokenKind.AND:
                alternatives[-1].append(comparison)
            else:
                alternatives.append([comparison])
        conjunctions = [group[0] if len(group) == 1 else And(tuple(group)) for group in alternatives]
        return conjunctions[0] if len(conjunctions) == 1 else Or(tuple(conjunctions))

    def field_comparison(self, name: str) -> FieldComparison:
        operator = self.expect(TokenKind.OPERATOR, "an operator (=, !=, <, <=, >, >=)").value
        return FieldComparison(name, operator, self.value(operator))


def _step(match: re.Match[str]) -> Step:
    if match["name"] is not None:
        return Key(match["name"])
    if match["quoted"] is not None:
        return Key(match["quoted"])
    if match["index"] is not None:
        return Index(int(match["index"]))
    if match["element"] is not None:
        return AnyElement()
    return AnyMember()
