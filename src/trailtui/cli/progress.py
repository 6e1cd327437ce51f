"""A progress line on stderr for long scans, drawn only when stderr is a terminal (never in piped output)."""

from __future__ import annotations

import sys
from typing import TextIO

from trailtui.backends.base import ScanProgress

BAR_WIDTH = 24


class ProgressLine:
    """Redraws one line in place: a bar, files and events read, events/s and the time left."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self._drawn = False

    def update(self, progress: ScanProgress | None) -> None:
        if not self.enabled or progress is None or progress.files_total == 0:
            return
        self.stream.write("\r" + describe(progress) + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


def describe(progress: ScanProgress) -> str:
    fraction = progress.fraction or 0.0
    filled = int(fraction * BAR_WIDTH)
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    rate = progress.events_read / progress.elapsed_s if progress.elapsed_s > 0 else 0.0
    parts = [
        f"[{bar}] {progress.files_done}/{progress.files_total} files",
        f"{progress.events_read:,} events",
        f"{rate:,.0f} events/s",
    ]
    if 0 < fraction < 1 and progress.elapsed_s > 0:
        parts.append(f"{progress.elapsed_s * (1 - fraction) / fraction:.0f}s left")
    return "  ".join(parts)
