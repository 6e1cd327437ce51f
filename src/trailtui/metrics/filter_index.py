"""Many metric filters over one batch, each event tested only against the filters that could match it.

`FilterIndex(filters).apply(events)` leaves every filter and its series exactly as
`for metric_filter in filters: metric_filter.apply(events)` would, filter after filter in that order.

How: a JSON pattern's plain equalities are necessary conditions (`FilterPattern.required_equalities`):
`{($.eventName=CreateTrail) || ($.eventName=DeleteTrail)}` can only match a record whose `eventName` reads
as one of those two texts. The index takes the selector most filters constrain (`$.eventName` in the
CloudTrail packs), reads it once per event, and looks its text up in a table of the filters whose set
holds it; each filter then runs its full pattern over its candidates only (`MetricFilter.apply_candidates`),
so skipping is exact. A filter that does not constrain that selector (no plain equality on it, or not a
JSON pattern) gets every event through `MetricFilter.apply`, as before. A filter with a default value
also gets the batch's event count per minute, to publish its default for every minute in which some event
produced no datapoint.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from trailtui.metrics.filters import MetricFilter
from trailtui.metrics.patterns.json_matcher import MISSING, compile_selector, selector_text
from trailtui.metrics.patterns.syntax import Key, Selector
from trailtui.metrics.series import MINUTE_MS

if TYPE_CHECKING:
    from trailtui.events.model import Event

MAX_CACHED_TEXTS = 10_000


class FilterIndex:
    """A fixed list of metric filters, applied together to batches (module docstring)."""

    def __init__(self, filters: Iterable[MetricFilter]) -> None:
        self.filters = tuple(filters)
        requirements = [metric_filter.pattern.required_equalities() for metric_filter in self.filters]
        self.selector = _most_constrained(requirements)
        selector = self.selector
        self._texts: tuple[frozenset[str] | None, ...] = tuple(
            None if selector is None else requirement.get(selector) for requirement in requirements
        )
        self._indexed = tuple(position for position, texts in enumerate(self._texts) if texts is not None)
        self._any_text: frozenset[str] = frozenset().union(*(texts for texts in self._texts if texts))
        self._top_level_key: str | None = None
        if selector is not None and len(selector.steps) == 1 and isinstance(selector.steps[0], Key):
            self._top_level_key = selector.steps[0].name
        self._resolve = compile_selector(selector) if selector is not None else None
        self._candidates_by_text: dict[str, tuple[int, ...]] = {}

    @property
    def indexed_names(self) -> tuple[str, ...]:
        """The filters that see only their candidate events."""
        return tuple(self.filters[position].name for position in self._indexed)

    def apply(self, events: Sequence[Event]) -> None:
        """Feed the batch to every filter, in order (module docstring)."""
        if not self._indexed:
            for metric_filter in self.filters:
                metric_filter.apply(events)
            return
        candidates = self._candidates(events)
        minute_counts: dict[int, int] | None = None
        for position, metric_filter in enumerate(self.filters):
            if self._texts[position] is None:
                metric_filter.apply(events)
                continue
            if minute_counts is None and metric_filter.transformation.default_value is not None:
                minute_counts = _minute_counts(events)
            metric_filter.apply_candidates(candidates[position], minute_counts)

    def candidates_for_text(self, text: str | None) -> tuple[int, ...]:
        """Positions of the indexed filters an event whose selector reads `text` may match."""
        if text is None:
            return ()
        found = self._candidates_by_text.get(text)
        if found is None:
            found = tuple(position for position in self._indexed if text in (self._texts[position] or ()))
            if len(self._candidates_by_text) >= MAX_CACHED_TEXTS:
                self._candidates_by_text.clear()
            self._candidates_by_text[text] = found
        return found

    def _candidates(self, events: Sequence[Event]) -> dict[int, list[Event]]:
        """Each indexed filter's candidate events, in batch order."""
        key = self._top_level_key
        values: list[Any]
        if key is not None:
            values = [event.record.get(key) for event in events]
        else:
            resolve = self._resolve
            assert resolve is not None
            values = [resolve(event.record) for event in events]
        any_text = self._any_text
        # Strings are settled here; other values (numbers and booleans compare by their JSON text) go on.
        hits = [
            position
            for position, value in enumerate(values)
            if (value in any_text if value.__class__ is str else value is not None and value is not MISSING)
        ]
        candidates: dict[int, list[Event]] = {position: [] for position in self._indexed}
        for position in hits:
            event = events[position]
            for filter_position in self.candidates_for_text(selector_text(values[position])):
                candidates[filter_position].append(event)
        return candidates


def _most_constrained(requirements: Sequence[dict[Selector, frozenset[str]]]) -> Selector | None:
    """The selector the most filters require an equality on (top-level first, then by first appearance)."""
    counts: Counter[Selector] = Counter(selector for requirement in requirements for selector in requirement)
    if not counts:
        return None
    return max(counts, key=lambda selector: (counts[selector], len(selector.steps) == 1))


def _minute_counts(events: Sequence[Event]) -> dict[int, int]:
    """How many events fall in each minute (by the minute's start, epoch ms), in order of first event.

    A replay delivers events in time order: then the minutes' edges are found by bisection.
    """
    times = [event.timestamp_ms for event in events]
    if not times:
        return {}
    if times != sorted(times):
        return Counter(time_ms - time_ms % MINUTE_MS for time_ms in times)
    counts: dict[int, int] = {}
    first = 0
    while first < len(times):
        minute = times[first] - times[first] % MINUTE_MS
        end = bisect_left(times, minute + MINUTE_MS, first)
        counts[minute] = end - first
        first = end
    return counts
