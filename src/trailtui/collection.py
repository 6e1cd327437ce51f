"""Pausing Python's cyclic garbage collector around work that allocates objects by the hundred thousand
which either die by reference counting or live as long as the process: a collection there would only walk
live data. Each caller says why its work is of that kind."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_collection_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside; the collector is left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
