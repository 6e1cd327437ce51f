"""A parsed pattern compiled once into closures: `FilterPattern.matches(event)` and friends.

What each kind reads: JSON patterns walk `event.record` and never touch the message text; term, regex and
space-delimited patterns read `event.message`; the empty pattern and `" "` read nothing.

Decisions (spec §2, §9.1–9.3):
- A term matches as a case-sensitive substring anywhere in the message (no word boundaries).
- All plain terms must occur and no `-` term may occur. When any plain or `-` term is present, `?` terms
  are ignored; when there are only `?` terms, at least one must occur.
- `" "` alone means "match everything", including messages without a space; inside a longer pattern a
  quoted space is an ordinary phrase.
- A JSON pattern matches only messages that are JSON objects (`matches_message`); an `Event` always is one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

import orjson

from trailtui.metrics.patterns.json_matcher import (
    compile_expression,
    required_equalities,
    required_keys,
    selector_text,
)
from trailtui.metrics.patterns.parser import parse_pattern
from trailtui.metrics.patterns.printer import print_pattern
from trailtui.metrics.patterns.regex import compile_regex
from trailtui.metrics.patterns.space_delimited import compile_space_delimited
from trailtui.metrics.patterns.syntax import (
    EmptyPattern,
    JsonPattern,
    Key,
    Pattern,
    RegexPattern,
    Selector,
    SpaceDelimitedPattern,
    Term,
    TermKind,
    TermPattern,
)

if TYPE_CHECKING:
    from trailtui.events.model import Event

TextTest = Callable[[str], bool]
Screen = Callable[[Iterable["Event"]], Sequence["Event"]]


class PatternKind(Enum):
    EMPTY = "empty"
    TERMS = "terms"
    REGEX = "regex"
    JSON = "json"
    SPACE_DELIMITED = "space-delimited"


class FilterPattern:
    """A filter pattern ready to match events; build it with `FilterPattern.parse(text)`."""

    __slots__ = ("_bind", "_record_test", "_screen", "_text_test", "kind", "syntax")

    def __init__(self, syntax: Pattern) -> None:
        self.syntax = syntax
        self.kind = _kind_of(syntax)
        self._record_test: Callable[[dict[str, Any]], bool] | None = None
        self._text_test: TextTest | None = None
        self._bind: Callable[[str], dict[str, str] | None] | None = None
        self._screen: Screen | None = None
        if isinstance(syntax, JsonPattern):
            self._record_test = compile_expression(syntax.expression)
            self._screen = _compile_screen(syntax)
        elif isinstance(syntax, SpaceDelimitedPattern):
            self._bind = compile_space_delimited(syntax)
        else:
            self._text_test = _compile_text_test(syntax)

    @classmethod
    def parse(cls, text: str) -> FilterPattern:
        """Parse and compile; PatternError when the text is malformed."""
        return cls(parse_pattern(text))

    @property
    def text(self) -> str:
        """The pattern in canonical form."""
        return print_pattern(self.syntax)

    def matches(self, event: Event) -> bool:
        """Whether the event matches (JSON patterns read `event.record`, the others `event.message`)."""
        if self._record_test is not None:
            return self._record_test(event.record)
        if self._text_test is not None:
            return self._text_test(event.message)
        if self._bind is not None:
            return self._bind(event.message) is not None
        return True

    def matching(self, events: Iterable[Event]) -> Iterator[Event]:
        """The events that match, in order.

        JSON patterns first screen the events on one necessary condition in a single comprehension (a
        required top-level equality, else a nested one, else a required top-level key), then test the
        rest with no per-event dispatch.
        """
        record_test = self._record_test
        if record_test is not None:
            if self._screen is not None:
                events = self._screen(events)
            return (event for event in events if record_test(event.record))
        return (event for event in events if self.matches(event))

    def required_equalities(self) -> dict[Selector, frozenset[str]]:
        """Necessary conditions of a JSON pattern: `{selector: texts}` (`json_matcher.required_equalities`).

        Only a record whose value at each selector reads as one of its texts can match; `{}` for a pattern
        without plain equalities and for every other kind of pattern.
        """
        if isinstance(self.syntax, JsonPattern):
            return required_equalities(self.syntax.expression)
        return {}

    def matches_message(self, message: str) -> bool:
        """Whether a raw log message matches (a JSON pattern parses it first)."""
        return self.extracted_values(message) is not None

    def fields(self, event: Event) -> dict[str, str] | None:
        """A matching event's extracted values (`{}` unless space-delimited); None if it does not match."""
        if self._bind is not None:
            return self._bind(event.message)
        return {} if self.matches(event) else None

    def extracted_values(self, message: str) -> dict[str, str] | None:
        """TestMetricFilter's `extractedValues` for a raw message, or None when it does not match."""
        if self._bind is not None:
            return self._bind(message)
        if self._record_test is not None:
            record = _json_object(message)
            return {} if record is not None and self._record_test(record) else None
        if self._text_test is not None:
            return {} if self._text_test(message) else None
        return {}

    def __repr__(self) -> str:
        return f"FilterPattern({self.text!r})"


def _kind_of(syntax: Pattern) -> PatternKind:
    match syntax:
        case EmptyPattern():
            return PatternKind.EMPTY
        case TermPattern():
            return PatternKind.TERMS
        case RegexPattern():
            return PatternKind.REGEX
        case JsonPattern():
            return PatternKind.JSON
        case SpaceDelimitedPattern():
            return PatternKind.SPACE_DELIMITED


def _compile_screen(syntax: JsonPattern) -> Screen | None:
    """A batch pre-filter on one necessary condition of the pattern (see `matching`), or None."""
    equalities = required_equalities(syntax.expression)
    by_depth: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}
    for selector, texts in equalities.items():
        names = tuple(step.name for step in selector.steps if isinstance(step, Key))
        if len(names) == len(selector.steps) and len(names) in (1, 2):
            by_depth.setdefault(len(names), (names, texts))
    if 1 in by_depth:
        (key,), texts = by_depth[1]
        return lambda events: [
            event
            for event in events
            if ((value := event.record.get(key)).__class__ is str and value in texts)
            or (value.__class__ is not str and value is not None and selector_text(value) in texts)
        ]
    if 2 in by_depth:
        (outer, inner), texts = by_depth[2]
        return lambda events: [
            event
            for event in events
            if (node := event.record.get(outer)).__class__ is dict
            and (
                ((value := node.get(inner)).__class__ is str and value in texts)
                or (value.__class__ is not str and value is not None and selector_text(value) in texts)
            )
        ]
    keys = required_keys(syntax.expression)
    if keys:
        key = min(keys)
        return lambda events: [event for event in events if key in event.record]
    return None


def _json_object(message: str) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(message)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _compile_text_test(syntax: Pattern) -> TextTest | None:
    """The test over the message text, or None when the pattern matches everything."""
    if isinstance(syntax, RegexPattern):
        search = compile_regex(syntax.regex.source, 0).search
        return lambda message: search(message) is not None
    if isinstance(syntax, TermPattern) and not _is_match_all(syntax.terms):
        return _terms_test(syntax.terms)
    return None


def _is_match_all(terms: tuple[Term, ...]) -> bool:
    return terms == (Term(" ", quoted=True, kind=TermKind.REQUIRED),)


def _terms_test(terms: tuple[Term, ...]) -> TextTest:
    required = [term.text for term in terms if term.kind is TermKind.REQUIRED]
    excluded = [term.text for term in terms if term.kind is TermKind.EXCLUDED]
    optional = [term.text for term in terms if term.kind is TermKind.OPTIONAL]
    if not required and not excluded:
        return lambda message: any(term in message for term in optional)
    if len(required) == 1 and not excluded:
        only = required[0]
        return lambda message: only in message
    return lambda message: (
        all(term in message for term in required) and not any(term in message for term in excluded)
    )
