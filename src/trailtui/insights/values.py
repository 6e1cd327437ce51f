"""Values in Logs Insights expressions: durations, timestamps, coercion, ordering and rendering.

Missing fields and JSON null are both `None`. Booleans are Python bools (rendered `1`/`0`).
"""

from __future__ import annotations

from dataclasses import dataclass

DURATION_UNITS = ("ms", "s", "m", "h", "d", "w", "mo", "q", "y")


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration literal such as `5m` or `1h`: an amount of one canonical unit (see DURATION_UNITS)."""

    amount: float
    unit: str
