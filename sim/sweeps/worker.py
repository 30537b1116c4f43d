"""What a worker process runs: a chunk of scenarios in, their result vectors out.

The same function serves the local process pool and Dask workers, so both compute the same
bytes. A scenario the model refuses (a combination `resolve` rejects, a diverging integration)
comes back as failed with its message; anything else is a bug and propagates.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from ..runner import SimulationError, run_stance
from ..scenario import apply_overrides, check_sections, resolve
from .layout import STATUS_DONE, STATUS_FAILED, Layout

PARENT_POLL_S = 1.0


@dataclass(frozen=True)
class Chunk:
    """Scenarios for one task: the base mapping once, then (index, name, axis values) per scenario."""

    base: dict
    rows: tuple[tuple[int, str, tuple[tuple[str, Any], ...]], ...]
    layout: Layout


@dataclass(frozen=True)
class Finished:
    """One computed scenario (`Layout.pack`: float vector and compressed rows; both empty for a failed
    one). `compute_s` (wall) and `cpu_s` (the worker thread's CPU time) cover resolving the scenario
    and `run_stance`, nothing else."""

    index: int
    status: int
    message: str
    outcome: str
    compute_s: float
    cpu_s: float
    vector: np.ndarray
    rows: tuple[bytes, ...]


def run_chunk(chunk: Chunk) -> list[Finished]:
    out = []
    empty = np.zeros(0)
    for index, name, overrides in chunk.rows:
        raw = apply_overrides(chunk.base, overrides)
        raw["name"] = name
        start, cpu_start = time.perf_counter(), time.thread_time()
        try:
            result = run_stance(resolve(check_sections(raw, name)))
        except (InputError, SimulationError) as exc:
            out.append(Finished(index, STATUS_FAILED, str(exc), "failed", time.perf_counter() - start,
                                time.thread_time() - cpu_start, empty, ()))
            continue
        compute_s, cpu_s = time.perf_counter() - start, time.thread_time() - cpu_start
        out.append(Finished(index, STATUS_DONE, "", result.outcome, compute_s, cpu_s, *chunk.layout.pack(result)))
    return out


def init_pool_worker(parent_pid: int) -> None:
    """Local pool workers: leave Ctrl-C to the writer (it stops the pool), and exit when the writer is gone.

    A process-pool worker blocks on its task queue forever if its parent is SIGKILLed; the watchdog
    ends it within PARENT_POLL_S instead of leaving it computing for nobody.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, name="footsim-parent-watch", daemon=True).start()
