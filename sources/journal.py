"""Who changed what: the registry's generation, audit log, curators, reports and purge queue.

These tables live in ``registry.sqlite3`` next to the entries (one file to back
up, one transaction for a change and its log line):

* ``meta``: the registry ``generation``, bumped by every write that can change a
  verdict, so that a reader (a service worker, the CLI's compiled cache) tells
  in one indexed read whether what it compiled is still current;
* ``audit``: append-only (SQLite triggers refuse UPDATE and DELETE) log of every
  curator action and import, with who, when, what and why;
* ``curators``: named curators, each with the SHA-256 of a token (the token is
  shown once and never stored);
* ``reports``: agents' reports of a wrong verdict, until a curator action closes them;
* ``purges``: hosts whose pages must leave the index (a deny, an import removal),
  taken by whoever holds the index writer next.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,          -- curator name, 'cli:<user>', 'import'
    action   TEXT NOT NULL,          -- allow, deny, forget, import, curator-add, report-close...
    target   TEXT NOT NULL,          -- host, origin or curator name
    reason   TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS curators (
    name         TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE TABLE IF NOT EXISTS reports (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    url        TEXT NOT NULL,
    host       TEXT,
    expected   TEXT NOT NULL CHECK (expected IN ('trusted', 'untrusted')),
    comment    TEXT NOT NULL DEFAULT '',
    verdict    TEXT NOT NULL,         -- the verdict shown when it was reported (JSON)
    closed_at  TEXT,
    closed_by  TEXT,
    closing    INTEGER                -- the audit line of the curator action that closed it
);
CREATE TABLE IF NOT EXISTS import_hosts (
    import_id INTEGER NOT NULL,
    change    TEXT NOT NULL CHECK (change IN ('added', 'removed')),
    host      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS import_hosts_id ON import_hosts (import_id);
CREATE TABLE IF NOT EXISTS origin_files (
    origin TEXT NOT NULL,
    file   TEXT NOT NULL,
    PRIMARY KEY (origin, file)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS purges (
    host      TEXT PRIMARY KEY,
    queued_at TEXT NOT NULL,
    why       TEXT NOT NULL
);
"""


def token_hash(token: str) -> str:
    # tokens are 32 random bytes: a plain SHA-256 is enough, no password stretching needed
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditLine:
    id: int
    at: str
    actor: str
    action: str
    target: str
    reason: str
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
                "target": self.target, "reason": self.reason, "detail": self.detail}


def bump_generation(db: sqlite3.Connection) -> None:
    # no row is written when a registry is opened: opening must never take the write lock
    db.execute("INSERT INTO meta VALUES ('generation', 1)"
               " ON CONFLICT (key) DO UPDATE SET value = value + 1")


def generation(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def read_generation(path: Path) -> int:
    """The generation of the registry file at ``path``, read-only (0: none yet).

    About 0.1 ms: what a service worker polls every second to notice a change made
    by another worker, another machine or the CLI. Unlike the file's size and
    time, it ignores writes that change no verdict (a report, the audit log, a purge)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return 0
    try:
        return generation(db)
    except sqlite3.Error:  # no meta table yet (a registry older than the journal)
        return 0
    finally:
        db.close()


def read_pending_purges(path: Path, limit: int = 100) -> list[str]:
    """Hosts queued for purge whose pages may still be in the index, read-only (``[]``: none).

    What the service counts out of its totals until the purge round has run."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return []
    try:
        return [h for (h,) in db.execute("SELECT host FROM purges ORDER BY queued_at LIMIT ?", (limit,))]
    except sqlite3.Error:  # no purges table yet
        return []
    finally:
        db.close()


def append_audit(db: sqlite3.Connection, at: str, actor: str, action: str, target: str,
                 reason: str = "", detail: dict[str, Any] | None = None) -> int:
    cursor = db.execute(
        "INSERT INTO audit (at, actor, action, target, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (at, actor, action, target, reason, json.dumps(detail or {}, ensure_ascii=False)),
    )
    return int(cursor.lastrowid or 0)


def read_audit(db: sqlite3.Connection, limit: int, target: str | None = None,
               before: int | None = None) -> list[AuditLine]:
    query = "SELECT id, at, actor, action, target, reason, detail FROM audit WHERE 1 = 1"
    args: list[Any] = []
    if target:
        query += " AND target = ?"
        args.append(target)
    if before:
        query += " AND id < ?"
        args.append(before)
    query += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    # mypy cannot count the six columns of a slice
    return [AuditLine(*row[:6], json.loads(row[6])) for row in db.execute(query, args)]  # type: ignore[call-arg]


def queue_purges(db: sqlite3.Connection, at: str, hosts: list[str], why: str) -> None:
    db.executemany("INSERT OR REPLACE INTO purges VALUES (?, ?, ?)", ((h, at, why) for h in hosts))


def row_dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def close_report(db: sqlite3.Connection, report: int, at: str, actor: str, line: int) -> None:
    """Close an open report with the audit line of the curator action that answers it."""
    cursor = db.execute("UPDATE reports SET closed_at = ?, closed_by = ?, closing = ?"
                        " WHERE id = ? AND closed_at IS NULL", (at, actor, line, report))
    if cursor.rowcount == 0:
        from sources.errors import NotFoundError

        raise NotFoundError(f"no open report #{report}")
