"""The registry's SQLite database: imported entries, curator overlay, import history.

One file, ``registry.sqlite3`` under ``SDC_DATA_DIR``, in WAL mode: an import
replaces an origin's entries inside one transaction, so readers (the service,
a crawl) keep seeing the previous snapshot until it commits, and a failed or
interrupted import leaves the previous entries intact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sources import journal
from sources.errors import ImportRefusedError, StoreError
from sources.records import CuratedEntry, ImportGuard, ImportReport, Row
from sources.sqlite_tx import write_transaction

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
            self._db.executescript(journal.SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the registry at {self.path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), rolled back on any error."""
        return write_transaction(self._db, StoreError, "registry write failed")

    # -- imports -----------------------------------------------------------

    def replace_origin(
        self, origin: str, kind: str, location: str, version: str, priority: int,
        rows: Iterable[Row], guard: ImportGuard | None = None,
    ) -> ImportReport:
        """Make ``rows`` the whole content of ``origin``, keeping ``added_at`` of kept hosts.

        Refused (:class:`ImportRefusedError`, nothing changed) when the guard says the
        origin would shrink too much or a file the previous import read is missing;
        a dry run computes the same report and changes nothing.
        """
        guard = guard or ImportGuard()
        stamp = now()
        with self.transaction() as db:
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
            removed = sorted(h for h in old if h not in new)
            report = ImportReport(origin, version, len(added), len(removed), len(changed),
                                  len(new) - len(added) - len(changed),
                                  tuple(sorted(r.host for r in added)), tuple(removed),
                                  tuple(sorted(r.host for r in changed)), len(old), guard.dry_run)
            try:
                self._check_guard(db, origin, report, guard)
            except ImportRefusedError as exc:
                if not guard.dry_run:
                    raise
                return replace(report, refused=str(exc))
            if guard.dry_run:
                return report  # nothing written: the transaction commits empty
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
            db.execute(
                "INSERT OR REPLACE INTO origins VALUES (?, ?, ?, ?, ?, ?, ?)",
                (origin, kind, location, version, priority, stamp, len(new)),
            )
            cursor = db.execute(
                "INSERT INTO imports (origin, kind, location, version, finished_at, added,"
                " removed, changed, unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (origin, kind, location, version, stamp, report.added, report.removed,
                 report.changed, report.unchanged),
            )
            import_id = int(cursor.lastrowid or 0)
            db.executemany("INSERT INTO import_hosts VALUES (?, ?, ?)",
                           [(import_id, "added", h) for h in report.added_hosts]
                           + [(import_id, "removed", h) for h in removed])
            if guard.files:
                db.execute("DELETE FROM origin_files WHERE origin = ?", (origin,))
                db.executemany("INSERT INTO origin_files VALUES (?, ?)",
                               ((origin, f) for f in guard.files))
            journal.queue_purges(db, stamp, removed, f"removed by the {origin} import #{import_id}")
            journal.append_audit(db, stamp, guard.actor, "import", origin,
                                 f"{location} (version {version})",
                                 {"import": import_id, "added": report.added,
                                  "removed": report.removed, "changed": report.changed,
                                  "allow_shrink": guard.allow_shrink,
                                  "missing": list(guard.missing)})
            if added or removed or changed:
                journal.bump_generation(db)
        return replace(report, import_id=import_id)

    @staticmethod
    def _check_guard(db: sqlite3.Connection, origin: str, report: ImportReport,
                     guard: ImportGuard) -> None:
        if guard.allow_shrink:
            return
        before = {f for (f,) in db.execute("SELECT file FROM origin_files WHERE origin = ?",
                                           (origin,))}
        lost = sorted(before & set(guard.missing)) if before else []
        if lost:
            raise ImportRefusedError(
                f"{origin}: refused, {', '.join(lost)} read by the previous import"
                f" {'is' if len(lost) == 1 else 'are'} missing (nothing changed; --allow-shrink"
                " to import anyway)")
        if report.before and report.removed > guard.max_shrink * report.before:
            raise ImportRefusedError(
                f"{origin}: refused, it would remove {report.removed} of {report.before} hosts"
                f" ({report.removed / report.before:.1%}, more than {guard.max_shrink:.0%};"
                " nothing changed; --dry-run lists them, --allow-shrink imports anyway)")

    def previous_files(self, origin: str) -> set[str]:
        return {f for (f,) in self._db.execute("SELECT file FROM origin_files WHERE origin = ?",
                                               (origin,))}

    def import_hosts(self, import_id: int) -> dict[str, list[str]]:
        changes: dict[str, list[str]] = {"added": [], "removed": []}
        for change, host in self._db.execute(
                "SELECT change, host FROM import_hosts WHERE import_id = ? ORDER BY host",
                (import_id,)):
            changes[change].append(host)
        return changes

    def iter_entries(self, precedence: dict[str, int] | None = None,
                     ) -> Iterator[tuple[str, str, str | None, str, str | None]]:
        """``(host, category, name, origin, list)``, highest-priority origin first per host;
        ``precedence`` (origin -> rank) overrides the priority an origin was imported with."""
        cases = " ".join(f"WHEN ? THEN {int(rank)}" for rank in (precedence or {}).values())
        order = f"CASE e.origin {cases} ELSE o.priority END" if cases else "o.priority"
        return iter(self._db.execute(
            "SELECT e.host, e.category, e.name, e.origin, e.list FROM entries e"
            f" JOIN origins o USING (origin) ORDER BY {order}, e.origin",  # noqa: S608 - ints only
            tuple(precedence or ()),
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
                    category: str | None = None, name: str | None = None, *,
                    actor: str = "cli", report: int | None = None) -> int:
        """Record a curator's allow or deny (replacing an earlier one: the log keeps it)."""
        stamp = now()
        with self.transaction() as db:
            previous = db.execute("SELECT action, reason FROM curated WHERE host = ?",
                                  (host,)).fetchone()
            db.execute(
                "INSERT OR REPLACE INTO curated VALUES (?, ?, ?, ?, ?, ?)",
                (host, action, reason, category, name, stamp),
            )
            detail: dict[str, object] = {"category": category, "name": name}
            if previous:
                detail["replaces"] = {"action": previous[0], "reason": previous[1]}
            if report is not None:
                detail["report"] = report
            line = journal.append_audit(db, stamp, actor, action, host, reason, detail)
            if action == "deny":
                journal.queue_purges(db, stamp, [host], f"denied by {actor}: {reason}")
            if report is not None:
                journal.close_report(db, report, stamp, actor, line)
            journal.bump_generation(db)
        return line

    def remove_curated(self, host: str, *, actor: str = "cli", reason: str = "",
                       report: int | None = None) -> bool:
        stamp = now()
        with self.transaction() as db:
            previous = db.execute("SELECT action, reason FROM curated WHERE host = ?",
                                  (host,)).fetchone()
            if previous is None:
                return False
            db.execute("DELETE FROM curated WHERE host = ?", (host,))
            line = journal.append_audit(db, stamp, actor, "forget", host, reason,
                                        {"replaces": {"action": previous[0], "reason": previous[1]},
                                         "report": report})
            if report is not None:
                journal.close_report(db, report, stamp, actor, line)
            journal.bump_generation(db)
            return True

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, for :mod:`sources.journal`'s readers and writers."""
        return self._db


    def generation(self) -> int:
        """Bumped by every change that can alter a verdict: one indexed read."""
        return journal.generation(self._db)

    def curated(self) -> list[CuratedEntry]:
        return [CuratedEntry(*row) for row in self._db.execute(
            "SELECT host, action, reason, category, name, created_at FROM curated ORDER BY host"
        )]
