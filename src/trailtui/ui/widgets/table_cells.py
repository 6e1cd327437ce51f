"""What the results table needs that has nothing to do with drawing: column widths from a bounded sample of
rows, a cell's text fitted to its width, and a natural order of 100,000 values that never holds the
interpreter for long (it runs in a thread beside the event loop)."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

from trailtui.collection import cyclic_collection_paused
from trailtui.insights.values import natural_sort_key
from trailtui.ui.safe import event_plain

MAX_COLUMN_WIDTH = 60
"""The widest a column gets, in cells; longer text is cut with an ellipsis."""
WIDTH_SAMPLE_ROWS = 1_000
"""Rows measured for column widths: the first half of them, and the rest spread over the result."""
SORT_RUN = 1_024
"""Values sorted in one call: a C-level sort holds the GIL throughout, so it is kept to a few ms."""
ELLIPSIS = "…"


def sample_indices(count: int) -> range | list[int]:
    """Indices of the rows to measure: all of them up to WIDTH_SAMPLE_ROWS, else the first half of that
    many (the first screens) and the other half evenly spread over the rest."""
    if count <= WIDTH_SAMPLE_ROWS:
        return range(count)
    head = WIDTH_SAMPLE_ROWS // 2
    step = (count - head) / (WIDTH_SAMPLE_ROWS - head)
    return [*range(head), *(head + int(n * step) for n in range(WIDTH_SAMPLE_ROWS - head))]


def column_width(header: str, values: Sequence[str | None]) -> int:
    """Cells the column needs for its header and `values` as shown, at most MAX_COLUMN_WIDTH."""
    widest = cell_len(header)
    for value in values:
        if widest >= MAX_COLUMN_WIDTH:
            break
        widest = max(widest, cell_len(event_plain(value)))
    return max(1, min(widest, MAX_COLUMN_WIDTH))


def fit(text: str, width: int) -> str:
    """`text` padded to exactly `width` (at least 1) cells, or cut to them with an ellipsis last."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + ELLIPSIS


def natural_order(values: Sequence[str | None]) -> list[int]:
    """Indices of `values` in Logs Insights' natural order (stable; missing values last).

    The keys are computed in Python (the loop can take the GIL between bytecodes); runs of SORT_RUN are
    sorted in C and merged by heapq.merge, Python again, so no single call blocks the console's loop.
    The collector rests meanwhile: 100,000 new keys would start a full collection every few thousand keys,
    each walking every result row while holding the GIL (~50 ms apiece); the keys die with the frame that
    made them.
    """
    with cyclic_collection_paused():
        return _merged_runs(values)


def _merged_runs(values: Sequence[str | None]) -> list[int]:
    keys = [natural_sort_key(value) for value in values]
    runs = [
        sorted(range(start, min(start + SORT_RUN, len(keys))), key=keys.__getitem__)
        for start in range(0, len(keys), SORT_RUN)
    ]
    return list(heapq.merge(*runs, key=keys.__getitem__))
