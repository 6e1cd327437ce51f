"""Tokenizer for Logs Insights queries: every token keeps its line, column and character offsets.

Lexical rules (spec §2): `#` starts a comment to the end of the line outside strings, regexes and
backticks; strings take single or double quotes with `\\"`, `\\'` and `\\\\` as the only escapes (other
backslashes stay, so glob patterns keep them); regexes are `/.../` with `\\/` for a slash; a number
immediately followed by a unit is a duration (`5m`, `1hr`, `30mins`); bare names hold letters, digits,
`_`, `.` and a leading `@`, and backticks quote a whole name or one dotted segment of it.

A `/` is a regex delimiter where an operand is expected (after an operator, `(`, `,`, `like`, `parse`, or
the field named after `parse`) and division elsewhere.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from trailtui.insights.errors import MalformedQueryError, Span
from trailtui.insights.values import Duration

DURATION_UNIT_SPELLINGS: dict[str, str] = {
    "ms": "ms",
    "msec": "ms",
    "millisecond": "ms",
    "s": "s",
    "sec": "s",
    "second": "s",
    "m": "m",
    "min": "m",
    "minute": "m",
    "h": "h",
    "hr": "h",
    "hour": "h",
    "d": "d",
    "day": "d",
    "w": "w",
    "week": "w",
    "mo": "mo",
    "mon": "mo",
    "month": "mo",
    "q": "q",
    "qtr": "q",
    "quarter": "q",
    "y": "y",
    "yr": "y",
    "year": "y",
}

OPERATORS = ("!=", "<=", ">=", "=~", "=", "<", ">", "+", "-", "*", "/", "%", "^")
PUNCTUATION = "|,()[].:"
STRING_ESCAPES = "\"'\\"
KEYWORDS_BEFORE_REGEX = frozenset({"like", "parse"})


class TokenKind(enum.Enum):
    NAME = "name"
    QUOTED_NAME = "quoted name"
    STRING = "string"
    REGEX = "regex"
    NUMBER = "number"
    DURATION = "duration"
    OPERATOR = "operator"
    PUNCTUATION = "punctuation"
    EOF = "end of query"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its source text, its meaning (`value`) and where it is."""

    kind: TokenKind
    text: str
    value: Any
    span: Span

    def is_word(self, *words: str) -> bool:
        """True for an unquoted name equal to one of `words`, ignoring case (keywords, command names)."""
        return self.kind is TokenKind.NAME and self.text.lower() in words

    def is_symbol(self, *symbols: str) -> bool:
        """True for an operator or punctuation token spelled as one of `symbols`."""
        return self.kind in (TokenKind.OPERATOR, TokenKind.PUNCTUATION) and self.text in symbols

    def describe(self) -> str:
        """How an error message quotes this token (`'|'`, `'<EOF>'`), as ANTLR does."""
        return "'<EOF>'" if self.kind is TokenKind.EOF else f"'{self.text}'"


def tokenize(text: str) -> list[Token]:
    """All tokens of `text`, ending with one EOF token; MalformedQueryError on a lexical error."""
    return _Scanner(text).scan()


def parse_duration_unit(unit_text: str) -> str | None:
    """The canonical unit for a spelling such as `hr`, `mins` or `Days`; None if it is not a unit."""
    unit = unit_text.lower()
    if unit in DURATION_UNIT_SPELLINGS:
        return DURATION_UNIT_SPELLINGS[unit]
    if len(unit) > 2 and unit.endswith("s") and len(unit[:-1]) > 1:
        return DURATION_UNIT_SPELLINGS.get(unit[:-1])
    return None


def is_name_start(char: str) -> bool:
    return char.isalpha() or char in "_@"


def is_name_part(char: str) -> bool:
    return char.isalnum() or char in "_.@"


class _Scanner:
    """Walks the text once, tracking line and column, and produces tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 1
        self.line_start = 0
        self.tokens: list[Token] = []

    def scan(self) -> list[Token]:
        while True:
            self._skip_blanks_and_comments()
            if self.position >= len(self.text):
                self.tokens.append(Token(TokenKind.EOF, "", None, self._span_from(self.position)))
                return self.tokens
            self.tokens.append(self._next_token())

    def _next_token(self) -> Token:
        char = self.text[self.position]
        if char in "\"'":
            return self._string(char)
        if char == "`" or is_name_start(char):
            return self._name()
        if char.isdigit() or (char == "." and self._peek(1).isdigit()):
            return self._number_or_duration()
        if char == "/" and self._regex_allowed():
            return self._regex()
        for operator in OPERATORS:
            if self.text.startswith(operator, self.position):
                return self._advance_token(TokenKind.OPERATOR, len(operator), operator)
        if char in PUNCTUATION:
            return self._advance_token(TokenKind.PUNCTUATION, 1, char)
        raise self._error(self.position, self.position + 1, f"token recognition error at: '{char}'")

    # --- blanks, comments, positions ---

    def _skip_blanks_and_comments(self) -> None:
        text = self.text
        while self.position < len(text):
            char = text[self.position]
            if char == "\n":
                self.position += 1
                self.line += 1
                self.line_start = self.position
            elif char.isspace():
                self.position += 1
            elif char == "#":
                end = text.find("\n", self.position)
                self.position = len(text) if end < 0 else end
            else:
                return

    def _peek(self, ahead: int) -> str:
        index = self.position + ahead
        return self.text[index] if index < len(self.text) else ""

    def _span_from(self, start: int) -> Span:
        return Span(self.line, start - self.line_start + 1, start, self.position)

    def _error(self, start: int, end: int, message: str) -> MalformedQueryError:
        return MalformedQueryError(message, self.line, start - self.line_start + 1, start, end)

    def _token_since(self, start: int, kind: TokenKind, value: Any) -> Token:
        return Token(kind, self.text[start : self.position], value, self._span_from(start))

    def _advance_token(self, kind: TokenKind, length: int, value: Any) -> Token:
        start = self.position
        self.position += length
        return Token(kind, self.text[start : self.position], value, self._span_from(start))

    # --- token kinds ---

    def _string(self, quote: str) -> Token:
        start = self.position
        self.position += 1
        pieces: list[str] = []
        text = self.text
        while self.position < len(text):
            char = text[self.position]
            if char == "\\" and self._peek(1) in STRING_ESCAPES and self._peek(1):
                pieces.append(self._peek(1))
                self.position += 2
            elif char == quote:
                self.position += 1
                return Token(
                    TokenKind.STRING, text[start : self.position], "".join(pieces), self._span_from(start)
                )
            else:
                if char == "\n":
                    raise self._error(start, start + 1, "unterminated string literal")
                pieces.append(char)
                self.position += 1
        raise self._error(start, start + 1, "unterminated string literal")

    def _regex(self) -> Token:
        start = self.position
        self.position += 1
        pieces: list[str] = []
        text = self.text
        while self.position < len(text):
            char = text[self.position]
            if char == "\\" and self._peek(1) == "/":
                pieces.append("/")
                self.position += 2
            elif char == "\\" and self._peek(1):
                pieces.append(text[self.position : self.position + 2])
                self.position += 2
            elif char == "/":
                self.position += 1
                return Token(
                    TokenKind.REGEX, text[start : self.position], "".join(pieces), self._span_from(start)
                )
            elif char == "\n":
                break
            else:
                pieces.append(char)
                self.position += 1
        raise self._error(start, start + 1, "unterminated regular expression")

    def _name(self) -> Token:
        start = self.position
        pieces: list[str] = []
        quoted = False
        while True:
            if self._peek(0) == "`":
                quoted = True
                pieces.append(self._backtick_segment())
            else:
                pieces.append(self._bare_run())
            if self._peek(0) == "." and (self._peek(1) == "`" or is_name_part(self._peek(1))):
                self.position += 1
                pieces.append(".")
                continue
            break
        kind = TokenKind.QUOTED_NAME if quoted else TokenKind.NAME
        return Token(kind, self.text[start : self.position], "".join(pieces), self._span_from(start))

    def _bare_run(self) -> str:
        """Name characters up to the end of the name or a `.` that introduces a backtick segment."""
        start = self.position
        text = self.text
        while self.position < len(text) and is_name_part(text[self.position]):
            if text[self.position] == "." and self._peek(1) == "`":
                break
            self.position += 1
        return text[start : self.position]

    def _backtick_segment(self) -> str:
        start = self.position
        end = self.text.find("`", start + 1)
        if end < 0 or "\n" in self.text[start:end]:
            raise self._error(start, start + 1, "unterminated backtick-quoted name")
        self.position = end + 1
        return self.text[start + 1 : end]

    def _number_or_duration(self) -> Token:
        start = self.position
        text = self.text
        while self.position < len(text) and (text[self.position].isdigit() or text[self.position] == "."):
            self.position += 1
        number_text = text[start : self.position]
        try:
            number: int | float = float(number_text) if "." in number_text else int(number_text)
        except ValueError:
            raise self._error(start, self.position, f"invalid number '{number_text}'") from None
        unit_start = self.position
        while self.position < len(text) and text[self.position].isalpha():
            self.position += 1
        if unit_start == self.position:
            return Token(TokenKind.NUMBER, number_text, number, self._span_from(start))
        unit = parse_duration_unit(text[unit_start : self.position])
        if unit is None:
            raise self._error(start, self.position, f"invalid duration '{text[start : self.position]}'")
        duration = Duration(number, unit)
        return Token(TokenKind.DURATION, text[start : self.position], duration, self._span_from(start))

    def _regex_allowed(self) -> bool:
        """Whether a `/` here opens a regex (an operand is expected) rather than dividing."""
        if not self.tokens:
            return True
        previous = self.tokens[-1]
        if previous.kind in (TokenKind.OPERATOR, TokenKind.PUNCTUATION):
            return not previous.is_symbol(")", "]")
        if previous.is_word(*KEYWORDS_BEFORE_REGEX):
            return True
        before_previous = self.tokens[-2] if len(self.tokens) > 1 else None
        is_name = previous.kind in (TokenKind.NAME, TokenKind.QUOTED_NAME)
        return is_name and before_previous is not None and before_previous.is_word("parse")
