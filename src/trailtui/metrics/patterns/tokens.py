"""Tokens of the filter-pattern language, each with its start and end offset in the pattern text.

Two lexers: `tokenize_terms` for term patterns (words, quoted phrases, `?`/`-` prefixes) and
`tokenize_structured` for the bodies of JSON and space-delimited patterns (selectors, operators, strings,
bare values, numbers, `%regex%`, punctuation). Error columns are 1-based character offsets into the text
as the user wrote it, surrounding whitespace included.

Decisions:
- Quoted strings use `\\"` for a double quote and `\\\\` for a backslash; any other backslash is literal.
- A bare value is made of ASCII letters, digits and `_ - . * : /` (spec §9.7); a number is an optional
  sign, digits with an optional fraction, and an optional exponent (`1e-3`, `+5`, `2.5`).
- A bare term (term patterns) uses the same characters minus `*` and must not start with `-` (that is the
  exclusion prefix); anything else must be quoted.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from enum import Enum


class PatternError(ValueError):
    """A malformed filter pattern; the message is one line naming the 1-based column."""

    def __init__(self, reason: str, position: int) -> None:
        self.reason = reason
        self.position = position
        super().__init__(f"column {position + 1}: {reason}")


class TokenKind(Enum):
    LBRACE = "{"
    RBRACE = "}"
    LPAREN = "("
    RPAREN = ")"
    LBRACKET = "["
    RBRACKET = "]"
    COMMA = ","
    AND = "&&"
    OR = "||"
    OPERATOR = "operator"
    STRING = "string"
    NUMBER = "number"
    BARE = "bare"
    REGEX = "regex"
    SELECTOR = "selector"
    TERM = "term"
    END = "end"


@dataclass(frozen=True, slots=True)
class Token:
    """One token: `text` is its source text, `value` the decoded content (string body, regex source)."""

    kind: TokenKind
    text: str
    value: str
    start: int
    end: int


BARE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_-.*:/")
TERM_CHARACTERS = BARE_CHARACTERS - {"*"}
OPERATORS = ("!=", "<=", ">=", "=", "<", ">")
WHITESPACE = " \t\r\n"

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_PUNCTUATION = {
    "{": TokenKind.LBRACE,
    "}": TokenKind.RBRACE,
    "(": TokenKind.LPAREN,
    ")": TokenKind.RPAREN,
    "[": TokenKind.LBRACKET,
    "]": TokenKind.RBRACKET,
    ",": TokenKind.COMMA,
}
_SELECTOR_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_-.*[]")


def is_number_text(text: str) -> bool:
    """Whether a bare token reads as a number literal."""
    return _NUMBER.fullmatch(text) is not None


def tokenize_structured(text: str, start: int, end: int) -> list[Token]:
    """Tokens of `text[start:end]` (a JSON or space-delimited pattern), ending with an END token."""
    tokens: list[Token] = []
    position = start
    while position < end:
        character = text[position]
        if character in WHITESPACE:
            position += 1
            continue
        token = _structured_token(text, position, end)
        tokens.append(token)
        position = token.end
    tokens.append(Token(TokenKind.END, "", "", end, end))
    return tokens


def _structured_token(text: str, position: int, end: int) -> Token:
    character = text[position]
    if character in _PUNCTUATION:
        return Token(_PUNCTUATION[character], character, character, position, position + 1)
    pair = text[position : position + 2]
    if pair in ("&&", "||"):
        return Token(TokenKind.AND if pair == "&&" else TokenKind.OR, pair, pair, position, position + 2)
    for operator in OPERATORS:
        if text.startswith(operator, position):
            return Token(TokenKind.OPERATOR, operator, operator, position, position + len(operator))
    if character == '"':
        return read_quoted(text, position, end)
    if character == "%":
        return read_regex(text, position, end)
    if character == "$":
        return _read_selector(text, position, end)
    if character in BARE_CHARACTERS or character == "+":
        return _read_bare_or_number(text, position, end)
    raise PatternError(f"unexpected character {character!r}", position)


def read_quoted(text: str, position: int, end: int) -> Token:
    """A double-quoted string starting at `position`."""
    characters: list[str] = []
    index = position + 1
    while index < end:
        character = text[index]
        if character == '"':
            return Token(
                TokenKind.STRING, text[position : index + 1], "".join(characters), position, index + 1
            )
        if character == "\\" and index + 1 < end and text[index + 1] in '"\\':
            index += 1
            character = text[index]
        characters.append(character)
        index += 1
    raise PatternError("unterminated string: expected '\"'", position)


def read_regex(text: str, position: int, end: int) -> Token:
    """A `%regex%` starting at `position`; the regex itself is checked by `regex.compile_regex`."""
    close = text.find("%", position + 1, end)
    if close < 0:
        raise PatternError("unterminated regular expression: expected '%'", position)
    return Token(TokenKind.REGEX, text[position : close + 1], text[position + 1 : close], position, close + 1)


def _read_selector(text: str, position: int, end: int) -> Token:
    index = position + 1
    while index < end:
        character = text[index]
        if character == "'":
            close = text.find("'", index + 1, end)
            if close < 0:
                raise PatternError('unterminated key: expected "\'"', index)
            index = close + 1
        elif character in _SELECTOR_CHARACTERS:
            index += 1
        else:
            break
    selector_text = text[position:index]
    return Token(TokenKind.SELECTOR, selector_text, selector_text, position, index)


def _read_bare_or_number(text: str, position: int, end: int) -> Token:
    number = _NUMBER.match(text, position, end)
    if number and (number.end() == end or text[number.end()] not in BARE_CHARACTERS):
        return Token(TokenKind.NUMBER, number[0], number[0], position, number.end())
    index = position
    while index < end and text[index] in BARE_CHARACTERS:
        index += 1
    if index == position:
        raise PatternError(f"unexpected character {text[position]!r}", position)
    bare = text[position:index]
    return Token(TokenKind.BARE, bare, bare, position, index)


def tokenize_terms(text: str, start: int, end: int) -> list[Token]:
    """TERM tokens of a term pattern; `value` keeps a leading `?`/`-` prefix out, `text` keeps it in."""
    tokens: list[Token] = []
    position = start
    while position < end:
        if text[position] in WHITESPACE:
            position += 1
            continue
        token = _read_term(text, position, end)
        tokens.append(token)
        position = token.end
    return tokens


def _read_term(text: str, position: int, end: int) -> Token:
    body = position + 1 if text[position] in "?-" else position
    if body >= end or text[body] in WHITESPACE:
        raise PatternError(f"expected a term after {text[position]!r}", body)
    if text[body] == '"':
        quoted = read_quoted(text, body, end)
        token_end = quoted.end
        value = quoted.value
    else:
        token_end = body
        while token_end < end and text[token_end] not in WHITESPACE:
            if text[token_end] not in TERM_CHARACTERS or (token_end == body and text[token_end] == "-"):
                raise PatternError(
                    f"{text[token_end]!r} in a term: put terms with symbols in double quotes", token_end
                )
            token_end += 1
        value = text[body:token_end]
    if token_end < end and text[token_end] not in WHITESPACE:
        raise PatternError("expected a space between terms", token_end)
    return Token(TokenKind.TERM, text[position:token_end], value, position, token_end)
