"""The journal of finished scenarios beside a sweep file: the record the HDF5 file is written and repaired from.

HDF5 promises nothing about a file whose writer was killed (DESIGN 5.2, 5.4); SQLite in WAL
mode does: a committed transaction survives the death of the process. Every finished scenario
is committed here before it is written to the HDF5 file. The table is append-only, so a
scenario computed twice would show as two rows (the tests count them).

`hdf5_state` is "writing" while the HDF5 file is open for writing and "closed" once it was
closed cleanly. A file left "writing" (the process was killed) is rebuilt from the journal: a
flush does not make earlier rows safe, because a chunk holds many rows and moves in the file
each time it is rewritten, and a kill during that can damage rows flushed long before.

Once the sweep has completed and its file was closed cleanly, the journal is compacted: the
results it held (as large as the file itself) are dropped, and one row per scenario with its
status and timings stays, so a repeated command sees a finished sweep. Until then it keeps
everything a resume or a rebuild needs.

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
    cpu_s REAL NOT NULL,
    vector BLOB NOT NULL,
    rows BLOB NOT NULL,
    finished_utc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS finished_scenario ON finished (scenario);
"""


def _frame(rows: tuple[bytes, ...]) -> bytes:
    """Compressed rows as one blob: their count and lengths (uint32, little-endian), then the bytes."""
    return np.array([len(rows), *map(len, rows)], dtype="<u4").tobytes() + b"".join(rows)


def _unframe(blob: bytes) -> tuple[bytes, ...]:
    count = int(np.frombuffer(blob, "<u4", 1)[0])
    lengths = np.frombuffer(blob, "<u4", count, 4)
    ends = 4 * (count + 1) + np.cumsum(lengths)
    return tuple(blob[end - length:end] for end, length in zip(ends, lengths))


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
            journal.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()) + [("hdf5_state", "closed")])
        return journal

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def append(self, finished: Iterable[Finished]) -> None:
        """Commit finished scenarios in one transaction."""
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        rows = [(f.index, f.status, f.message, f.outcome, f.compute_s, f.cpu_s,
                 np.ascontiguousarray(f.vector, np.float64).tobytes(), _frame(f.rows), now) for f in finished]
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT INTO finished (scenario, status, message, outcome, compute_s, cpu_s, vector, "
                                "rows, finished_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def set_hdf5_state(self, state: str) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('hdf5_state', ?)", (state,))

    def statuses(self) -> dict[int, int]:
        """Scenario index -> status of its first journal row."""
        out: dict[int, int] = {}
        for scenario, status in self.db.execute("SELECT scenario, status FROM finished ORDER BY seq"):
            out.setdefault(scenario, status)
        return out

    def finished(self, batch: int = 256) -> Iterator[list[Finished]]:
        """The first row of every finished scenario, in scenario order, in batches."""
        query = ("SELECT scenario, status, message, outcome, compute_s, cpu_s, vector, rows FROM finished WHERE seq IN "
                 "(SELECT MIN(seq) FROM finished GROUP BY scenario) ORDER BY scenario")
        cursor = self.db.execute(query)
        while rows := cursor.fetchmany(batch):
            yield [Finished(scenario, status, message, outcome, compute_s, cpu_s, np.frombuffer(vector, np.float64),
                            _unframe(chunks)) for scenario, status, message, outcome, compute_s, cpu_s, vector, chunks in rows]

    def compact(self) -> None:
        """Drop the stored results (the closed HDF5 file holds them) and give the space back."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("UPDATE finished SET vector = x'', rows = x''")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('compacted', '1')")
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @property
    def compacted(self) -> bool:
        return self.meta("compacted") == "1"

    def counts(self) -> tuple[int, int]:
        """(rows, distinct scenarios): equal when nothing was computed twice."""
        return self.db.execute("SELECT COUNT(*), COUNT(DISTINCT scenario) FROM finished").fetchone()

    def close(self) -> None:
        self.db.close()
