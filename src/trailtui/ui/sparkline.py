"""Values as one line of block characters, for the contributors' and metrics' small graphs."""

from __future__ import annotations

from collections.abc import Sequence

EIGHTHS = " ▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], top: float | None = None) -> str:
    """One character per value, scaled to `top` (default: the largest value); zero is a space."""
    highest = top if top is not None else max(values, default=0.0)
    if highest <= 0:
        return " " * len(values)
    return "".join(EIGHTHS[max(0, min(8, round(value / highest * 8)))] for value in values)
