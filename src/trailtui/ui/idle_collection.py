"""When the console's full garbage collections run: while the user is idle, not between two keys.

A full collection walks every object the collector tracks. While a large trail replays, that includes the
parsed events waiting in the reorder window, and one collection held the event loop 125-187 ms at 1M
events (105-113 ms once the heap that exists at the first frame is frozen): a key typed then echoed late.
Python starts one whenever its counters say so, typing or not. The console's own process turns automatic
full collections off and runs them itself: once no input has arrived for `IDLE_S` (at most every
`IDLE_INTERVAL_S`), and whatever the user does at least every `MAX_INTERVAL_S`, so cyclic garbage that
reached the oldest generation never waits long. Young generations are collected as usual.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

IDLE_S = 1.0
IDLE_INTERVAL_S = 5.0
MAX_INTERVAL_S = 30.0
CHECK_INTERVAL_S = 0.5
NO_AUTOMATIC_FULL_COLLECTION = 1_000_000_000
"""The oldest generation's threshold: the number of younger collections before a full one."""


@dataclass
class IdleCollector:
    """The times of the last input and of the last full collection (monotonic seconds)."""

    last_input_s: float
    last_full_s: float

    def input_seen(self, now_s: float) -> None:
        self.last_input_s = now_s

    def due(self, now_s: float) -> bool:
        """Whether a full collection should run now."""
        since_full = now_s - self.last_full_s
        idle = now_s - self.last_input_s >= IDLE_S
        return since_full >= MAX_INTERVAL_S or (idle and since_full >= IDLE_INTERVAL_S)

    def collect_if_due(self, now_s: float) -> bool:
        """Run a full collection if one is due; whether it ran."""
        if not self.due(now_s):
            return False
        gc.collect()
        self.last_full_s = now_s
        return True


def take_over_full_collections(now_s: float) -> IdleCollector:
    """Freeze what exists now (it lives as long as the process) and stop Python's automatic full
    collections; the returned collector runs them instead, from a timer every `CHECK_INTERVAL_S`."""
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_COLLECTION)
    return IdleCollector(last_input_s=now_s, last_full_s=now_s)
