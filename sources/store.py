"""The registry's SQLite database: imported entries, curator overlay, import history.

One file, ``registry.sqlite3`` under ``SDC_DATA_DIR``, in WAL mode: an import
replaces an origin's entries inside one transaction, so readers (the service,
a crawl) keep seeing the previous snapshot until it commits, and a failed or
interrupted import leaves the previous entries intact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sources.errors import StoreError

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    origin   TEXT NOT NULL,          -- 'etalab', 'universities', or a list's --origin
    host     TEXT NOT NULL,          -- ASCII lowercase, no trailing dot
    category TEXT NOT NULL,
    name     TEXT,
    list     TEXT,                   -- the file or section of the origin it came from
    comment  TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY (origin, host)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_host ON entries (host);
CREATE TABLE IF NOT EXISTS origins (
    origin      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,       -- importer: etalab, universities, list
    location    TEXT NOT NULL,       -- path or URL it was read from
    version     TEXT NOT NULL,       -- upstream version, or the content hash
    priority    INTEGER NOT NULL,    -- lower wins when two origins list a host
    imported_at TEXT NOT NULL,
    entries     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS imports (
    id          INTEGER PRIMARY KEY,
    origin      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    location    TEXT NOT NULL,
    version     TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    added       INTEGER NOT NULL,
    removed     INTEGER NOT NULL,
    changed     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS curated (
    host       TEXT PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('allow', 'deny')),
    reason     TEXT NOT NULL,
    category   TEXT,
    name       TEXT,
    created_at TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Row:
    """An entry as an importer produces it."""

    host: str
    category: str
    name: str | None = None
    list: str | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    origin: str
    version: str
    added: int
    removed: int
    changed: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged


@dataclass(frozen=True, slots=True)
class CuratedEntry:
    host: str
    action: str
    reason: str
    category: str | None
    name: str | None
    created_at: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """Access to ``registry.sqlite3``; one instance per thread or process."""

    FILENAME = "registry.sqlite3"

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / self.FILENAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the registry at {self.path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"registry write failed: {exc}") from None

    # -- imports -----------------------------------------------------------

    def replace_origin(
        self, origin: str, kind: str, location: str, version: str, priority: int,
        rows: Iterable[Row],
    ) -> ImportReport:
        """Make ``rows`` the whole content of ``origin``, keeping ``added_at`` of kept hosts."""
        stamp = now()
        with self._transaction() as db:
            old = {
                host: (category, name, list_, comment)
                for host, category, name, list_, comment in db.execute(
                    "SELECT host, category, name, list, comment FROM entries WHERE origin = ?",
                    (origin,),
                )
            }
            new: dict[str, Row] = {}
            for row in rows:
                new.setdefault(row.host, row)
            added = [r for h, r in new.items() if h not in old]
            changed = [
                r for h, r in new.items()
                if h in old and old[h] != (r.category, r.name, r.list, r.comment)
            ]
            removed = [h for h in old if h not in new]
            db.executemany(
                "DELETE FROM entries WHERE origin = ? AND host = ?", ((origin, h) for h in removed)
            )
            db.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((origin, r.host, r.category, r.name, r.list, r.comment, stamp) for r in added),
            )
            db.executemany(
                "UPDATE entries SET category = ?, name = ?, list = ?, comment = ?"
                " WHERE origin = ? AND host = ?",
                ((r.category, r.name, r.list, r.comment, origin, r.host) for r in changed),
            )
            report = ImportReport(origin, version, len(added), len(removed), len(changed),
                                  len(new) - len(added) - len(changed))
            db.execute(
                "INSERT OR REPLACE INTO origins VALUES (?, ?, ?, ?, ?, ?, ?)",
                (origin, kind, location, version, priority, stamp, len(new)),
            )
            db.execute(
                "INSERT INTO imports (origin, kind, location, version, finished_at, added,"
                " removed, changed, unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (origin, kind, location, version, stamp, report.added, report.removed,
                 report.changed, report.unchanged),
            )
        return report

    def iter_entries(self) -> Iterator[tuple[str, str, str | None, str, str | None]]:
        """``(host, category, name, origin, list)``, highest-priority origin first per host."""
        return iter(self._db.execute(
            "SELECT e.host, e.category, e.name, e.origin, e.list FROM entries e"
            " JOIN origins o USING (origin) ORDER BY o.priority, e.origin"
        ))

    def entries_for(self, host: str) -> list[dict[str, object]]:
        cursor = self._db.execute(
            "SELECT e.host, e.origin, e.list, e.category, e.name, e.comment, e.added_at,"
            " o.version, o.location, o.imported_at FROM entries e JOIN origins o USING (origin)"
            # substr, not LIKE: '_' is a LIKE wildcard and a valid host character
            " WHERE e.host = ? OR substr(e.host, -?) = ? ORDER BY o.priority, e.host",
            (host, len(host) + 1, f".{host}"),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def origins(self) -> list[dict[str, object]]:
        cursor = self._db.execute("SELECT * FROM origins ORDER BY priority, origin")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def imports(self, limit: int = 50) -> list[dict[str, object]]:
        cursor = self._db.execute("SELECT * FROM imports ORDER BY id DESC LIMIT ?", (limit,))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    # -- curator overlay ---------------------------------------------------

    def set_curated(self, host: str, action: str, reason: str,
                    category: str | None = None, name: str | None = None) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO curated VALUES (?, ?, ?, ?, ?, ?)",
                (host, action, reason, category, name, now()),
            )

    def remove_curated(self, host: str) -> bool:
        with self._transaction() as db:
            return db.execute("DELETE FROM curated WHERE host = ?", (host,)).rowcount > 0

    def curated(self) -> list[CuratedEntry]:
        return [CuratedEntry(*row) for row in self._db.execute(
            "SELECT host, action, reason, category, name, created_at FROM curated ORDER BY host"
        )]
