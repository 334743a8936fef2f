"""Curators, their tokens, agents' reports, the audit log and the purge queue.

Used by the CLI (``sdc curators``, ``sdc sources log|reports``) and the service
(``/api/curator/*``, ``POST /api/reports``) over one :class:`sources.store.Store`.
Tokens are 32 random bytes shown once; only their SHA-256 is kept.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sources import journal
from sources.errors import InvalidHostError, NotFoundError
from sources.store import Store, now

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
#: the curator name under which the single ``SDC_CURATOR_TOKEN`` acts
SHARED_TOKEN_CURATOR = "curator-token"
MAX_COMMENT = 1000


class Curation:
    """The journal side of the registry: who may curate, what they did, what agents reported."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- curators ------------------------------------------------------------

    def add_curator(self, name: str, actor: str = "cli") -> str:
        """Create curator ``name`` and return its token (the only time it is shown)."""
        if not _NAME.fullmatch(name) or name == SHARED_TOKEN_CURATOR:
            raise InvalidHostError(f"curator name {name!r}: letters, digits, '.', '_', '@', '-'"
                                   " (at most 64), not the reserved name")
        token = "sdc_" + secrets.token_urlsafe(32)
        stamp = now()
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM curators WHERE name = ?", (name,)).fetchone():
                raise InvalidHostError(f"curator {name!r} already exists (revoke it first)")
            db.execute("INSERT INTO curators VALUES (?, ?, ?, NULL)",
                       (name, journal.token_hash(token), stamp))
            journal.append_audit(db, stamp, actor, "curator-add", name)
        return token

    def revoke_curator(self, name: str, actor: str = "cli") -> None:
        stamp = now()
        with self.store.transaction() as db:
            # a revoked curator's name stays taken: the log must keep naming one person
            cursor = db.execute("UPDATE curators SET revoked_at = ?, token_sha256 = ?"
                                " WHERE name = ? AND revoked_at IS NULL",
                                (stamp, f"revoked:{name}", name))
            if cursor.rowcount == 0:
                raise NotFoundError(f"no active curator named {name!r}")
            journal.append_audit(db, stamp, actor, "curator-revoke", name)

    def curators(self) -> list[dict[str, Any]]:
        return journal.row_dicts(self.store.db.execute(
            "SELECT name, created_at, revoked_at FROM curators ORDER BY name"))

    def curator_for(self, token: str) -> str | None:
        """The active curator whose token this is, or None."""
        if not token or len(token) > 200:
            return None
        row = self.store.db.execute(
            "SELECT name FROM curators WHERE token_sha256 = ? AND revoked_at IS NULL",
            (journal.token_hash(token),)).fetchone()
        return str(row[0]) if row else None

    def has_curators(self) -> bool:
        return self.store.db.execute(
            "SELECT 1 FROM curators WHERE revoked_at IS NULL LIMIT 1").fetchone() is not None

    # -- audit log -----------------------------------------------------------

    def log(self, limit: int = 50, target: str | None = None,
            before: int | None = None) -> list[dict[str, Any]]:
        return [line.to_dict() for line in journal.read_audit(self.store.db, limit, target, before)]

    # -- reports -------------------------------------------------------------

    def add_report(self, url: str, host: str | None, expected: str, comment: str,
                   verdict: dict[str, Any]) -> int:
        import json

        with self.store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO reports (at, url, host, expected, comment, verdict)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (now(), url, host, expected, comment[:MAX_COMMENT],
                 json.dumps(verdict, ensure_ascii=False)))
            return int(cursor.lastrowid or 0)

    def reports(self, status: str = "open", limit: int = 100) -> list[dict[str, Any]]:
        import json

        where = {"open": "closed_at IS NULL", "closed": "closed_at IS NOT NULL"}.get(status, "1 = 1")
        rows = journal.row_dicts(self.store.db.execute(
            f"SELECT * FROM reports WHERE {where} ORDER BY id DESC LIMIT ?", (limit,)))  # noqa: S608
        for row in rows:
            row["verdict"] = json.loads(row["verdict"])
        return rows

    def open_reports(self) -> int:
        row = self.store.db.execute("SELECT count(*) FROM reports WHERE closed_at IS NULL").fetchone()
        return int(row[0])

    def close_report(self, report: int, actor: str, reason: str) -> int:
        """Close a report without changing the registry (the verdict was right); returns the log line."""
        stamp = now()
        with self.store.transaction() as db:
            line = journal.append_audit(db, stamp, actor, "report-close", f"report:{report}", reason,
                                        {"report": report})
            journal.close_report(db, report, stamp, actor, line)
        return line

    # -- purge queue ---------------------------------------------------------

    def pending_purges(self, limit: int = 100) -> list[str]:
        return [h for (h,) in self.store.db.execute(
            "SELECT host FROM purges ORDER BY queued_at LIMIT ?", (limit,))]

    def purged(self, host: str, deleted: int, actor: str = "purger") -> None:
        stamp = now()
        with self.store.transaction() as db:
            db.execute("DELETE FROM purges WHERE host = ?", (host,))
            if deleted:
                journal.append_audit(db, stamp, actor, "purge", host,
                                     f"{deleted} pages removed from the index", {"pages": deleted})
