"""Running a sweep: workers compute chunks of scenarios, this process alone writes (journal, then HDF5).

Workers are a local process pool (spawned, so every worker loads the numba cache itself, as a
Dask worker does) or a `dask.distributed.Client`; both run `worker.run_chunk` on the same
inputs, so the numbers do not depend on where they were computed. A task carries tens of
scenarios (per-task cost: ~0.2 ms in a pool, ~2 ms on Dask, DESIGN 5.4), and at most twice as
many tasks as worker threads are in flight, so results never pile up in memory.

Order of writes for each finished chunk: journal commit, then HDF5 rows; an HDF5 flush every
FLUSH_INTERVAL_S, so that the file is readable up to the last flush should someone need it
without footsim (DESIGN 5.4). footsim itself does not rely on flushes, and they are not free: a
flush compresses every partly filled chunk again (at 1 s intervals, ~1 % of the compute time). Killed at any point, the next run finds every finished scenario in
the journal, rebuilds the HDF5 file from it (the journal marks whether the file was closed
cleanly; only a clean file that agrees with the journal is kept as it is), and computes only
the scenarios the journal lacks.
"""

from __future__ import annotations

import fcntl
import math
import multiprocessing
import os
import signal
import sqlite3
import sys
import threading
import time
from concurrent import futures as cf
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
from tqdm import tqdm

from ..errors import InputError
from .journal import Journal, journal_path, remove_journal
from .layout import STATUS_FAILED, STATUS_PENDING
from .plan import Plan, plan_sweep
from .spec import Sweep
from .store import Store, StoreUnreadable, build_store, identify, in_use
from .worker import Chunk, init_pool_worker, run_chunk

FLUSH_INTERVAL_S = 30.0
TASKS_PER_WORKER = 16   # enough tasks that the last ones finish close together
MAX_CHUNK = 25          # scenarios per task: ~1 s of work at the default settings
POLL_S = 0.2            # the writer looks for a stop request this often
SLOTS_REFRESH_S = 5.0   # how often the size of a Dask cluster is asked again


class SweepAborted(RuntimeError):
    """The workers went away (a worker process died, the Dask cluster failed); finished rows are kept."""


class SweepWriteFailed(InputError):
    """The journal or the HDF5 file could not be written (disk full, quota): one line, exit status 2.

    The HDF5 library cannot close a file whose writes failed (it retries the writes, fails again and
    can crash the process at exit), so the file is left open: the command line ends the process at
    once (`os._exit`). Everything committed to the journal is kept and the next run rebuilds the file.
    """


class _WriteFailed(Exception):
    """Writing the journal or the HDF5 file failed (disk full, quota, I/O error)."""


_WRITE_ERRORS = (OSError, RuntimeError, sqlite3.Error)  # h5py raises OSError or RuntimeError, sqlite3 its own


def _write_reason(exc: BaseException) -> str:
    """One line: 'no space left on device' when it is that, else the first line of the error."""
    text = str(exc)
    if getattr(exc, "errno", None) == 28 or "errno = 28" in text or "No space left" in text or "disk is full" in text:
        return "no space left on device"
    return text.strip().splitlines()[0] if text.strip() else exc.__class__.__name__


def _cannot_write(out: Path, exc: BaseException, kept: int | None = None) -> SweepWriteFailed:
    kept_text = "finished scenarios are kept" if kept is None else f"{kept} finished scenarios are kept"
    return SweepWriteFailed(f"{out}: cannot write ({_write_reason(exc)}); {kept_text} in the journal and the file is rebuilt "
                      "from it: make room and run the same command to resume")


def _abandon(out: Path, store, journal, exc: BaseException) -> SweepWriteFailed:
    """After a failed write, the one-line error to raise. The file is left open (see SweepWriteFailed); the
    journal keeps it "writing", so the next run rebuilds it from the journal."""
    try:
        kept = len(journal.statuses())
    except sqlite3.Error:
        kept = None
    journal.close()
    return _cannot_write(out, exc, kept)


@dataclass
class SweepStats:
    name: str
    path: str
    total: int
    done: int = 0
    failed: int = 0
    already: int = 0           # finished before this run
    computed: int = 0          # finished in this run
    wall_s: float = 0.0
    first_result_s: float = 0.0
    compute_s: float = 0.0     # sum of run_stance wall times of this run's scenarios, in the workers
    compute_cpu_s: float = 0.0  # the same in the workers' CPU time
    write_s: float = 0.0       # journal, HDF5 writes and flushes, in this process
    workers: int = 0
    chunk_size: int = 0
    tasks: int = 0
    note: str = ""

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed

    def line(self) -> str:
        rate = f", {self.computed / self.wall_s:.1f} scenarios/s" if self.computed and self.wall_s > 0 else ""
        return (f"{self.name}: {self.total} scenarios, {self.done} done, {self.failed} failed, {self.pending} pending "
                f"({self.computed} computed in this run, {self.already} before) in {self.wall_s:.1f} s{rate}; "
                f"wrote {self.path}")


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def chunk_size_for(pending: int, workers: int) -> int:
    return max(1, min(MAX_CHUNK, math.ceil(pending / (workers * TASKS_PER_WORKER))))


class _LocalPool:
    def __init__(self, workers: int):
        self.workers = workers
        self.pool = cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=init_pool_worker, initargs=(os.getpid(),))

    def slots(self) -> int:
        return self.workers

    def submit(self, chunk: Chunk):
        return self.pool.submit(run_chunk, chunk)

    def wait_any(self, running) -> set:
        return cf.wait(running, timeout=POLL_S, return_when=cf.FIRST_COMPLETED).done

    def close(self, running) -> None:
        self.pool.shutdown(wait=not running, cancel_futures=True)


class _KeptPool:
    """A caller's pool lent to one sweep: the sweep cancels what it left running but does not shut it down."""

    def __init__(self, pool: _LocalPool):
        self.pool = pool
        self.slots, self.submit, self.wait_any = pool.slots, pool.submit, pool.wait_any

    def close(self, running) -> None:
        for future in running:
            future.cancel()


class worker_pool:
    """`with worker_pool(n) as pool: run_sweep(..., pool=pool)` for many small sweeps in a row (footsim
    design): the workers start, and load the compiled kernels, once instead of once a sweep."""

    def __init__(self, workers: int | None = None):
        self.local = _LocalPool(workers or default_workers())

    def __enter__(self) -> _LocalPool:
        return self.local

    def __exit__(self, *exc) -> None:
        self.local.close(())


class _Dask:
    def __init__(self, address: str):
        from distributed import Client

        try:
            if address.endswith(".json") and Path(address).is_file():
                self.client = Client(scheduler_file=address, timeout="20s")
            else:
                self.client = Client(address, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--scheduler {address}: cannot connect to a Dask scheduler there ({exc})") from None
        self._slots, self._slots_at = 1, -math.inf

    def slots(self) -> int:
        """Worker threads on the cluster (it may grow or shrink), asked at most every SLOTS_REFRESH_S."""
        now = time.perf_counter()
        if now - self._slots_at >= SLOTS_REFRESH_S:
            self._slots, self._slots_at = max(1, sum(self.client.nthreads().values())), now
        return self._slots

    def submit(self, chunk: Chunk):
        return self.client.submit(run_chunk, chunk, pure=False)

    def wait_any(self, running) -> set:
        from distributed import wait

        try:
            return set(wait(list(running), timeout=POLL_S, return_when="FIRST_COMPLETED").done)
        except TimeoutError:
            return set()

    def close(self, running) -> None:
        if running:
            self.client.cancel(list(running))
        self.client.close()


def _aborted(exc: BaseException) -> bool:
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(exc, BrokenProcessPool):
        return True
    try:
        from distributed.scheduler import KilledWorker
    except ImportError:
        return False
    return isinstance(exc, KilledWorker)


def _complete(out: Path) -> bool:
    import h5py

    with h5py.File(out, "r") as f:
        return bool(np.all(f["status"][:] != STATUS_PENDING))


def _unstarted(jpath: Path) -> bool:
    """A journal killed between its creation and its first transaction: no identity, no rows."""
    try:
        journal = Journal(jpath)
        try:
            return journal.meta("fingerprint") is None and journal.counts()[0] == 0
        finally:
            journal.close()
    except sqlite3.DatabaseError:
        return False


def _trusted_store(out: Path, plan: Plan, journal: Journal) -> tuple[Store | None, str]:
    """The file as it is, if it was closed cleanly and agrees with the journal; else (None, why not)."""
    if journal.meta("hdf5_state") != "closed":
        return None, "it was not closed cleanly (the sweep was killed)"
    try:
        store = Store(out, plan)
    except StoreUnreadable as exc:
        return None, str(exc)
    in_file, in_journal = store.statuses(), journal.statuses()
    expected = np.full(len(in_file), STATUS_PENDING, dtype=np.int8)
    for index, status in in_journal.items():
        expected[index] = status
    if not np.array_equal(in_file, expected):
        store.close()
        return None, f"{int(np.sum(in_file != expected))} rows disagree with the journal"
    return store, ""


def _open_output(out: Path, plan: Plan, overwrite: bool) -> tuple[Journal | None, Store | None, str]:
    """The journal and the file open for writing, after refusing a foreign file and rebuilding a doubtful one.

    Returns (None, None, note) when the file is a complete sweep of this plan whose journal is gone.
    """
    sweep = plan.sweep
    jpath = journal_path(out)
    if out.is_file() and in_use(out):
        raise InputError(f"{out}: open for writing by another process (another footsim sweep?); wait for it, "
                         "stop it, or choose another --out")
    if overwrite:
        out.unlink(missing_ok=True)
        remove_journal(out)
    if jpath.exists() and _unstarted(jpath):
        remove_journal(out)
    if not jpath.exists():
        if out.exists():
            ident = identify(out)
            if ident is None:
                raise InputError(f"{out}: exists and is not a footsim sweep file; pass --overwrite to replace it "
                                 "or choose another --out")
            if ident["sweep_fingerprint"] != plan.fingerprint:
                raise InputError(f"{out}: holds sweep {ident['sweep_name']!r}, not this one (the sweep file, its base "
                                 "or footsim's defaults differ); pass --overwrite to replace it or choose another --out")
            if _complete(out):
                return None, None, f"{out} is already complete (no journal beside it)"
            raise InputError(f"{out}: its journal {jpath.name} is missing, so which rows are whole cannot be "
                             "trusted; pass --overwrite to compute the sweep again")
        out.parent.mkdir(parents=True, exist_ok=True)
        meta = {"fingerprint": plan.fingerprint, "sweep_name": sweep.name, "scenarios": str(len(sweep)),
                "timeseries": str(int(plan.timeseries)), "vector_size": str(plan.layout.size)}
        journal = Journal.create(jpath, meta)
        build_store(out, plan)
        note = ""
    else:
        try:
            journal = Journal(jpath)
            fingerprint, started_name = journal.meta("fingerprint"), journal.meta("sweep_name")
            timeseries = journal.meta("timeseries")
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{jpath}: not a footsim sweep journal ({exc}); pass --overwrite to start again") from None
        if fingerprint != plan.fingerprint:
            journal.close()
            raise InputError(f"{out}: its journal belongs to sweep {started_name!r}, not this one (the sweep file, its "
                             "base or footsim's defaults differ); pass --overwrite to start again or choose another --out")
        if timeseries != str(int(plan.timeseries)):
            journal.close()
            was = "with" if timeseries == "1" else "without"
            raise InputError(f"{out}: this sweep was started {was} --timeseries; resume it the same way, or pass --overwrite")
        store, why = _trusted_store(out, plan, journal)
        if store is not None:
            journal.set_hdf5_state("writing")
            return journal, store, ""
        if journal.compacted:
            journal.close()
            raise InputError(f"{out}: {why}, and its journal kept no results once the sweep had completed, so the "
                             "file cannot be rebuilt; pass --overwrite to compute the sweep again")
        build_store(out, plan, journal.finished())
        note = f"rebuilt {out} from its journal ({len(journal.statuses())} finished scenarios): {why}"
    journal.set_hdf5_state("writing")
    return journal, Store(out, plan), note


def progress_bar(name: str, total: int, already: int, stream: TextIO | None = None) -> tqdm:
    """The sweep's progress: a bar with rate and time left on a terminal, nothing on a pipe (the final
    summary line says it all there)."""
    stream = stream if stream is not None else sys.stderr
    return tqdm(total=total, initial=already, desc=name, unit="scenario", file=stream, mininterval=0.2,
                disable=not stream.isatty(), dynamic_ncols=True)


def lock_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(f".{out.name}.lock")


def _lock(out: Path):
    """An exclusive lock on `.<name>.lock` beside the file, held for the whole run (the kernel drops it if the
    process dies). HDF5's own lock covers only the time the file is open: two sweeps started together
    could both build the file and its journal before either held it. The lock file stays (removing it
    would let a third process lock a new file while the second waits on the old one)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path(out), "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise InputError(f"{out}: another footsim sweep is writing it; wait for it, stop it, or choose another --out") from None
    return handle


def run_sweep(sweep: Sweep, out: str | Path, workers: int | None = None, scheduler: str | None = None,
              timeseries: bool = False, overwrite: bool = False, chunk_size: int | None = None,
              stream: TextIO | None = None, pool: _LocalPool | None = None) -> SweepStats:
    """Compute every scenario of `sweep` the journal beside `out` lacks, and write them into `out`.

    `pool`: a `worker_pool` to use (and leave running) instead of starting workers for this sweep."""
    out = Path(out)
    lock = _lock(out)
    try:
        return _run_sweep(sweep, out, workers, scheduler, timeseries, overwrite, chunk_size, stream, pool)
    finally:
        lock.close()


def _run_sweep(sweep, out, workers, scheduler, timeseries, overwrite, chunk_size, stream, pool) -> SweepStats:
    start = time.perf_counter()
    plan = plan_sweep(sweep, timeseries)
    try:
        journal, store, note = _open_output(out, plan, overwrite)
    except _WRITE_ERRORS as exc:
        raise _cannot_write(out, exc) from None
    stats = SweepStats(sweep.name, str(out), len(sweep), note=note)
    if store is None:
        stats.done = stats.total
        stats.wall_s = time.perf_counter() - start
        return stats
    try:
        finished = journal.statuses()
        stats.already = len(finished)
        pending = [i for i in range(len(sweep)) if i not in finished]
        if pending:
            _compute(sweep, plan, pending, journal, store, stats, workers, scheduler, chunk_size, stream, start, pool)
        statuses = store.statuses()
        stats.done = int(np.sum(statuses == 1))
        stats.failed = int(np.sum(statuses == STATUS_FAILED))
    except _WriteFailed as exc:
        raise _abandon(out, store, journal, exc.__cause__ or exc) from None
    except BaseException:
        store.close()
        journal.set_hdf5_state("closed")
        journal.close()
        raise
    try:
        store.close()
        journal.set_hdf5_state("closed")
    except _WRITE_ERRORS as exc:
        raise _abandon(out, store, journal, exc) from None
    if stats.done + stats.failed == stats.total and not journal.compacted:
        try:
            journal.compact()
        except _WRITE_ERRORS:  # VACUUM copies the journal: on a full disk it stays as it was, still correct
            pass
    journal.close()
    stats.wall_s = time.perf_counter() - start
    return stats


class _StopRequests:
    """Ctrl-C and SIGTERM set a flag the writer loop checks, instead of raising wherever Python happens
    to be: a KeyboardInterrupt raised inside a finalizer is printed and swallowed, and the sweep would
    go on. A second Ctrl-C raises at once."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.requested = False
        self.previous = {}

    def _handle(self, signum, frame) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self.previous = {sig: signal.signal(sig, self._handle) for sig in self.SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def _compute(sweep, plan, pending, journal, store, stats, workers, scheduler, chunk_size, stream, start, pool) -> None:
    with _StopRequests() as stop:
        _compute_until_done(sweep, plan, pending, journal, store, stats, workers, scheduler, chunk_size, stream,
                            start, stop, pool)


def _compute_until_done(sweep, plan, pending, journal, store, stats, workers, scheduler, chunk_size, stream, start,
                        stop, pool=None) -> None:
    workers = pool.slots() if pool else workers or default_workers()
    executor = _Dask(scheduler) if scheduler else _KeptPool(pool) if pool else None
    stats.chunk_size = chunk_size or chunk_size_for(len(pending), executor.slots() if executor else workers)
    chunks = [pending[k:k + stats.chunk_size] for k in range(0, len(pending), stats.chunk_size)]
    executor = executor or _LocalPool(min(workers, len(chunks)))
    stats.workers = executor.slots()
    chunks.reverse()
    progress = progress_bar(sweep.name, len(sweep), stats.already, stream)
    failed = 0
    running: set = set()
    last_flush = time.perf_counter()
    try:
        while chunks or running:
            if stop.requested:
                raise KeyboardInterrupt
            window = 2 * executor.slots() if scheduler else 2 * stats.workers
            while chunks and len(running) < window:
                rows = tuple((i, sweep.scenario_name(i), tuple(sweep.overrides(i))) for i in chunks.pop())
                running.add(executor.submit(Chunk(sweep.base, rows, plan.layout)))
                stats.tasks += 1
            for future in executor.wait_any(running):
                running.discard(future)
                results = future.result()
                if not stats.first_result_s:
                    stats.first_result_s = time.perf_counter() - start
                began = time.perf_counter()
                try:
                    journal.append(results)
                    store.write(results)
                    if time.perf_counter() - last_flush >= FLUSH_INTERVAL_S:
                        store.flush()
                        last_flush = time.perf_counter()
                except _WRITE_ERRORS as exc:
                    raise _WriteFailed() from exc
                stats.write_s += time.perf_counter() - began
                stats.computed += len(results)
                stats.compute_s += sum(r.compute_s for r in results)
                stats.compute_cpu_s += sum(r.cpu_s for r in results)
                new_failures = sum(r.status == STATUS_FAILED for r in results)
                if new_failures:
                    failed += new_failures
                    progress.set_postfix(failed=failed, refresh=False)
                progress.update(len(results))
    except BaseException as exc:
        executor.close(running)
        running = set()
        if _aborted(exc):
            raise SweepAborted(f"the workers failed ({exc.__class__.__name__}: {exc}); the {stats.already + stats.computed} "
                               "finished scenarios are kept: run the same command to resume") from exc
        raise
    finally:
        progress.close()
        if not isinstance(sys.exc_info()[1], _WriteFailed):  # flushing a file that failed a write fails again
            began = time.perf_counter()
            store.flush()
            stats.write_s += time.perf_counter() - began
    executor.close(running)
