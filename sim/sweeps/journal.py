"""The journal of finished scenarios beside a sweep file: the record the HDF5 file is written and repaired from.

HDF5 promises nothing about a file whose writer was killed (DESIGN 5.2, 5.4); SQLite in WAL
mode does: a committed transaction survives the death of the process. Every finished scenario
is committed here before it is written to the HDF5 file. The table is append-only, so a
scenario computed twice would show as two rows (the tests count them). `flushed_seq` records
the last row known to be in the HDF5 file after a flush; rows after it are written again on resume.

synchronous = NORMAL: durable when the process dies (SIGKILL, Ctrl-C, a crash), not across a
power cut, where the HDF5 file would be no better off.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .worker import Finished

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS finished (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario INTEGER NOT NULL,
    status INTEGER NOT NULL,
    message TEXT NOT NULL,
    outcome TEXT NOT NULL,
    compute_s REAL NOT NULL,
    vector BLOB NOT NULL,
    finished_utc TEXT NOT NULL
);
"""


def journal_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".journal")


def remove_journal(out: str | Path) -> None:
    path = journal_path(out)
    for extra in ("", "-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)


class Journal:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.executescript(SCHEMA)

    @classmethod
    def create(cls, path: str | Path, meta: dict[str, str]) -> "Journal":
        journal = cls(path)
        with journal.db:
            journal.db.execute("BEGIN")
            journal.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()) + [("flushed_seq", "0")])
        return journal

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def append(self, finished: Iterable[Finished]) -> int:
        """Commit finished scenarios in one transaction; returns the last row's sequence number."""
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        rows = [(f.index, f.status, f.message, f.outcome, f.compute_s, np.ascontiguousarray(f.values, np.float64).tobytes(),
                 now) for f in finished]
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT INTO finished (scenario, status, message, outcome, compute_s, vector, finished_utc)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            return self.db.execute("SELECT MAX(seq) FROM finished").fetchone()[0]

    def mark_flushed(self, seq: int) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'flushed_seq'", (str(seq),))

    @property
    def flushed_seq(self) -> int:
        return int(self.meta("flushed_seq") or 0)

    def statuses(self) -> dict[int, int]:
        """Scenario index -> status of its first journal row."""
        out: dict[int, int] = {}
        for scenario, status in self.db.execute("SELECT scenario, status FROM finished ORDER BY seq"):
            out.setdefault(scenario, status)
        return out

    def rows(self, after_seq: int = 0, scenarios: set[int] | None = None) -> Iterator[tuple[int, Finished]]:
        """(seq, Finished) in sequence order, after `after_seq` or for the given scenarios."""
        query = ("SELECT seq, scenario, status, message, outcome, compute_s, vector FROM finished "
                 "WHERE seq > ? ORDER BY seq")
        seen: set[int] = set()
        for seq, scenario, status, message, outcome, compute_s, vector in self.db.execute(query, (after_seq,)):
            if scenario in seen or (scenarios is not None and scenario not in scenarios):
                continue
            seen.add(scenario)
            yield seq, Finished(scenario, status, message, outcome, compute_s, np.frombuffer(vector, np.float64))

    def counts(self) -> tuple[int, int]:
        """(rows, distinct scenarios): equal when nothing was computed twice."""
        return self.db.execute("SELECT COUNT(*), COUNT(DISTINCT scenario) FROM finished").fetchone()

    def compute_seconds(self) -> float:
        return float(self.db.execute("SELECT COALESCE(SUM(compute_s), 0) FROM finished").fetchone()[0])

    def close(self) -> None:
        self.db.close()
