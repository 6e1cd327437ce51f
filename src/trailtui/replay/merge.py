"""The reorder buffer: events from every source, held until it is safe to release them in time order.

An event may be released once nothing still unread can be older than it (the caller knows that bound: see
`trailtui.replay.sources`). The buffer then holds only the events of one reorder window, not the trail.

"Late" has one meaning throughout the replay: an event is late when it is read after the replay clock has
already passed its time (its reorder window closed before its file arrived). A late event is never
dropped: it is released with the next batch, so that batch starts before the clock, and it is counted.
"""

from __future__ import annotations

import heapq
import itertools

from trailtui.events.model import Event


class ReorderBuffer:
    """A min-heap of events by `timestamp_ms`; ties keep the order in which events were added."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, Event]] = []
        self._arrival = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, events: list[Event], clock_ms: float | None) -> int:
        """Hold `events`; returns how many of them are late (older than `clock_ms`)."""
        late_events = 0
        for event in events:
            if clock_ms is not None and event.timestamp_ms < clock_ms:
                late_events += 1
            heapq.heappush(self._heap, (event.timestamp_ms, next(self._arrival), event))
        return late_events

    def earliest_ms(self) -> int | None:
        return self._heap[0][0] if self._heap else None

    def release(self, up_to_ms: float, limit: int) -> list[Event]:
        """Up to `limit` held events with a time at or before `up_to_ms`, oldest first."""
        batch: list[Event] = []
        heap = self._heap
        while heap and heap[0][0] <= up_to_ms and len(batch) < limit:
            batch.append(heapq.heappop(heap)[2])
        return batch

    def discard_before(self, time_ms: float) -> int:
        """Drop every held event older than `time_ms` (a seek forward); returns how many were dropped."""
        dropped = 0
        heap = self._heap
        while heap and heap[0][0] < time_ms:
            heapq.heappop(heap)
            dropped += 1
        return dropped
