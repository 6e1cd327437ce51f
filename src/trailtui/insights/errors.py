"""Errors and warnings raised while reading a Logs Insights query, each pointing at a place in its text.

Lines and columns are 1-based (what an editor shows); offsets are 0-based character positions with an
exclusive end, the same convention as `queryCompileError.location` in AWS's MalformedQueryException.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of query text is: 1-based line and column of its start, 0-based [start, end) offsets."""

    line: int
    column: int
    start: int
    end: int

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(self.line, self.column, self.start, other.end)


class MalformedQueryError(ValueError):
    """A query that cannot run: a syntax error or a violated rule of the language.

    Its string form is one line, `line 1:23: mismatched input '|' expecting an expression`.
    """

    def __init__(self, message: str, line: int, column: int, start_offset: int, end_offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.start_offset = start_offset
        self.end_offset = end_offset

    @classmethod
    def at(cls, span: Span, message: str) -> MalformedQueryError:
        """The error for `message` at `span`."""
        return cls(message, span.line, span.column, span.start, span.end)

    def __str__(self) -> str:
        return f"line {self.line}:{self.column}: {self.message}"

    def __reduce__(self) -> tuple[type, tuple[str, int, int, int, int]]:
        return (type(self), (self.message, self.line, self.column, self.start_offset, self.end_offset))


@dataclass(frozen=True, slots=True)
class QueryWarning:
    """Something legal that probably does not do what the author meant (e.g. `*` inside `!=`)."""

    message: str
    line: int
    column: int
    start_offset: int
    end_offset: int

    def __str__(self) -> str:
        return f"line {self.line}:{self.column}: {self.message}"

    @classmethod
    def at(cls, span: Span, message: str) -> QueryWarning:
        """The warning for `message` at `span`."""
        return cls(message, span.line, span.column, span.start, span.end)


class QueryLimitError(Exception):
    """A query stopped because it would hold more than the engine allows (see `steps.MAX_GROUPS`); its
    string form is one line saying what and what to do instead."""
