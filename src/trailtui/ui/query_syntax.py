"""What the editor needs to know about Logs Insights text, from the language's own tables: which class
of word each piece is (for highlighting) and which words can complete a prefix."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from trailtui.insights.aggregates import AGGREGATE_FUNCTIONS
from trailtui.insights.errors import MalformedQueryError
from trailtui.insights.functions import SCALAR_FUNCTIONS
from trailtui.insights.parser import COMMAND_PARSERS, KEYWORDS
from trailtui.insights.tokens import Token, TokenKind, tokenize

Highlight = tuple[int, int, str]
"""Start column, end column (characters, end exclusive) and highlight class of a piece of one line."""

COMMANDS = tuple(sorted(COMMAND_PARSERS))
FUNCTIONS = tuple(
    sorted({f.name for f in SCALAR_FUNCTIONS.values()} | {f.name for f in AGGREGATE_FUNCTIONS.values()})
)
FUNCTION_KEYS = frozenset(name.lower() for name in FUNCTIONS)
SYSTEM_FIELDS = ("@timestamp", "@message", "@logStream", "@log", "@ingestionTime", "@ptr")
WORD_AT_END = re.compile(r"[A-Za-z_@][\w.@]*$")

LITERAL_CLASSES = {
    TokenKind.STRING: "string",
    TokenKind.REGEX: "regex",
    TokenKind.NUMBER: "number",
    TokenKind.DURATION: "number",
    TokenKind.OPERATOR: "operator",
    TokenKind.PUNCTUATION: "operator",
    TokenKind.QUOTED_NAME: "field",
}


def highlight_lines(text: str) -> dict[int, list[Highlight]]:
    """Highlights of every line (0-based) of a query; text after a lexical error is marked `error`."""
    pieces: list[tuple[int, int, str]] = []
    try:
        tokens = tokenize(text)
        error_at = len(text)
    except MalformedQueryError as error:
        error_at = error.start_offset
        tokens = _tokens_before(text, error_at)
    previous: Token | None = None
    covered = 0
    for index, token in enumerate(tokens):
        if token.kind is TokenKind.EOF:
            break
        pieces.extend(_comments(text, covered, token.span.start))
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        pieces.append((token.span.start, token.span.end, _token_class(token, previous, following)))
        covered, previous = token.span.end, token
    pieces.extend(_comments(text, covered, error_at))
    if error_at < len(text):
        pieces.append((error_at, len(text), "error"))
    return _by_line(text, pieces)


def _tokens_before(text: str, offset: int) -> list[Token]:
    try:
        return tokenize(text[:offset])
    except MalformedQueryError:
        return []


def _comments(text: str, start: int, end: int) -> Iterable[tuple[int, int, str]]:
    """Comments in a stretch of text the tokenizer skipped: `#` to the end of its line."""
    while (hash_at := text.find("#", start, end)) >= 0:
        line_end = text.find("\n", hash_at, end)
        start = end if line_end < 0 else line_end
        yield hash_at, start, "comment"


def _token_class(token: Token, previous: Token | None, following: Token | None) -> str:
    if token.kind is not TokenKind.NAME:
        return LITERAL_CLASSES[token.kind]
    word = token.text.lower()
    starts_command = previous is None or previous.text == "|"
    if starts_command and word in COMMAND_PARSERS:
        return "command"
    if following is not None and following.text == "(" and word in FUNCTION_KEYS:
        return "function"
    if word in KEYWORDS:
        return "keyword"
    return "system-field" if token.text.startswith("@") else "field"


def _by_line(text: str, pieces: list[tuple[int, int, str]]) -> dict[int, list[Highlight]]:
    line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
    lines: dict[int, list[Highlight]] = {}
    for start, end, name in pieces:
        row = bisect.bisect_right(line_starts, start) - 1
        while start < end:
            line_end = line_starts[row + 1] - 1 if row + 1 < len(line_starts) else len(text)
            piece_end = min(end, line_end)
            lines.setdefault(row, []).append((start - line_starts[row], piece_end - line_starts[row], name))
            row, start = row + 1, line_end + 1
    return lines


def location_of(text: str, offset: int) -> tuple[int, int]:
    """The 0-based (row, column) of a character offset, as the TextArea counts them."""
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)


def word_before(line: str, column: int) -> str:
    """The name being typed just left of `column` (empty when the cursor is not after a name)."""
    match = WORD_AT_END.search(line[:column])
    return match.group() if match else ""


def completions(prefix: str, fields: Iterable[str], limit: int = 50) -> list[str]:
    """Commands, functions, keywords and field names that start with `prefix` (ignoring case)."""
    lowered = prefix.lower()
    seen: set[str] = set()
    matches: list[str] = []
    for word in (*COMMANDS, *FUNCTIONS, *sorted(KEYWORDS), *SYSTEM_FIELDS, *sorted(fields)):
        if word.lower().startswith(lowered) and word.lower() != lowered and word not in seen:
            seen.add(word)
            matches.append(word)
    return matches[:limit]
