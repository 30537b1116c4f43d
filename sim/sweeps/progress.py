"""Progress of a sweep: a bar with rate and time left on a terminal; on a pipe, only the final line."""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_S = 0.2


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Counts scenarios finished in this session; `total` and `already` cover the whole sweep."""

    def __init__(self, name: str, total: int, already: int, stream: TextIO | None = None):
        self.name, self.total, self.already = name, total, already
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.start = time.perf_counter()
        self.computed = self.failed = 0
        self._drawn = 0.0

    @property
    def rate(self) -> float:
        elapsed = time.perf_counter() - self.start
        return self.computed / elapsed if elapsed > 0 else 0.0

    def update(self, computed: int, failed: int) -> None:
        self.computed += computed
        self.failed += failed
        now = time.perf_counter()
        if self.live and (now - self._drawn >= REDRAW_S or self.already + self.computed == self.total):
            self._drawn = now
            self._draw()

    def _draw(self) -> None:
        done = self.already + self.computed
        width = 28
        filled = int(width * done / self.total) if self.total else width
        rate = self.rate
        left = _clock((self.total - done) / rate) if rate > 0 else "?"
        failed = f"  {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r{self.name} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} "
                          f"{100 * done / max(self.total, 1):3.0f}%  {rate:.1f}/s  {left} left{failed}  ")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
