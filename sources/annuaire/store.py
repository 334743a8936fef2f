"""The Annuaire on disk: ``annuaire.sqlite3`` under the data directory, with an FTS5 table.

One import replaces the whole Annuaire inside one transaction (readers see the old or the new
one, never half), and reports what it added, changed and removed against the previous import
by a digest of each office.  The version, the upstream's date and the location are kept in
``meta``.  The FTS5 table holds normalised text (:mod:`sources.annuaire.text`); ranking is
:mod:`index.offices`' job.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from sources.annuaire.departments import DEPARTMENTS
from sources.annuaire.errors import AnnuaireStoreError
from sources.annuaire.model import Hours, Office
from sources.annuaire.text import normalize
from sources.annuaire.types import label
from sources.sqlite_tx import write_transaction

FILENAME = "annuaire.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS offices (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, postcode TEXT, commune_key TEXT, insee TEXT,
    department TEXT, website TEXT, digest TEXT NOT NULL, data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS offices_commune ON offices (commune_key);
CREATE INDEX IF NOT EXISTS offices_postcode ON offices (postcode);
CREATE VIRTUAL TABLE IF NOT EXISTS offices_fts USING fts5(
    name, kind, commune, codes, department, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""


@dataclass(frozen=True, slots=True)
class AnnuaireReport:
    location: str
    version: str
    date: str | None
    total: int
    added: int
    changed: int
    removed: int

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location, "version": self.version, "date": self.date,
                "offices": self.total, "added": self.added, "changed": self.changed,
                "removed": self.removed}


def encode(office: Office) -> bytes:
    data = office.to_dict()
    data.pop("source_url")
    data.pop("source_is_page")
    data.pop("department")
    data["hours"] = [[h.first, h.last, [list(s) for s in h.spans], h.comment] for h in office.hours]
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def decode(blob: bytes) -> Office:
    d = orjson.loads(blob)
    a = d["address"]
    return Office(
        id=d["id"], name=d["name"], type=d["type"], types=tuple(d["types"]), street=a["street"],
        postcode=d["postcode"], commune=d["commune"], insee=d["insee"], phone=d["phone"],
        email=d["email"], website=d["website"],
        hours=tuple(Hours(f, la, tuple((s[0], s[1]) for s in spans), c) for f, la, spans, c in d["hours"]),
        updated=d["updated"], latitude=a["latitude"], longitude=a["longitude"],
        accessibility=a["accessibility"], page_url=d.get("page_url", ""))


def fts_row(office: Office) -> tuple[str, str, str, str, str]:
    kinds = " ".join(dict.fromkeys((*office.types, office.type)))
    dept = DEPARTMENTS.get(office.department, "")
    return (normalize(office.name), normalize(f"{kinds} {' '.join(label(k) for k in office.types)}"),
            normalize(office.commune), f"{office.postcode} {office.insee}", normalize(dept))


class AnnuaireStore:
    """``annuaire.sqlite3``: one instance per thread."""

    def __init__(self, data_dir: Path, *, readonly: bool = False) -> None:
        self.path = Path(data_dir) / FILENAME
        try:
            if readonly:
                if not self.path.exists():
                    raise AnnuaireStoreError(f"no Annuaire at {self.path}: run `sdc annuaire import`")
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise AnnuaireStoreError(f"cannot open the Annuaire at {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> AnnuaireStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return write_transaction(self.db, AnnuaireStoreError, "Annuaire write failed")

    def replace(self, offices: Iterable[Office], location: str, version: str | None = None,
                progress: Callable[[int], None] | None = None) -> AnnuaireReport:
        """Make ``offices`` the whole Annuaire; an error midway leaves the previous one intact."""
        with self._transaction() as db:
            old = dict(db.execute("SELECT id, digest FROM offices"))
            db.execute("DELETE FROM offices")
            db.execute("DELETE FROM offices_fts")
            added = changed = total = 0
            content = hashlib.sha256()
            latest: str | None = None
            for office in offices:
                blob = encode(office)
                digest = hashlib.sha256(blob).hexdigest()[:16]
                before = old.pop(office.id, None)
                if before is None:
                    added += 1
                elif before != digest:
                    changed += 1
                cur = db.execute(
                    "INSERT OR IGNORE INTO offices (id, type, postcode, commune_key, insee, department,"
                    " website, digest, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (office.id, office.type, office.postcode, normalize(office.commune), office.insee,
                     office.department, office.website, digest, blob))
                if cur.rowcount:
                    db.execute("INSERT INTO offices_fts (rowid, name, kind, commune, codes, department)"
                               " VALUES (last_insert_rowid(), ?, ?, ?, ?, ?)", fts_row(office))
                    total += 1
                    content.update(digest.encode())
                if office.updated and (latest is None or office.updated > latest):
                    latest = office.updated
                if progress and total % 1000 == 0:
                    progress(total)
            if total == 0:
                raise AnnuaireStoreError(f"{location}: no office found; the Annuaire is left as it was")
            report = AnnuaireReport(location, version or content.hexdigest()[:12], latest, total, added,
                                    changed, len(old))
            meta = {"location": location, "version": report.version, "date": latest or "",
                    "imported_at": datetime.now(UTC).isoformat(timespec="seconds"), "offices": str(total)}
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        return report

    def meta(self) -> dict[str, str]:
        try:
            return dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as exc:
            raise AnnuaireStoreError(f"Annuaire read failed: {exc}") from None

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM offices").fetchone()[0])

    def get(self, office_id: str) -> Office | None:
        row = self.db.execute("SELECT data FROM offices WHERE id = ?", (office_id,)).fetchone()
        return decode(row[0]) if row else None

    def by_rowids(self, rowids: Iterable[int]) -> dict[int, Office]:
        ids = list(rowids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT rowid, data FROM offices WHERE rowid IN ({marks})", ids)
        return {rowid: decode(data) for rowid, data in rows}

    def match(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """``(rowid, bm25)`` of the FTS5 expression's best matches (lower bm25 is better)."""
        try:
            return list(self.db.execute(
                "SELECT rowid, bm25(offices_fts, 4.0, 3.0, 5.0, 6.0, 1.0) AS r FROM offices_fts"
                " WHERE offices_fts MATCH ? ORDER BY r LIMIT ?", (expression, limit)))
        except sqlite3.Error as exc:
            raise AnnuaireStoreError(f"Annuaire search failed: {exc}") from None

    def websites_all(self) -> Iterator[tuple[str, str, str, str]]:
        """``(id, type, name, website)`` of every office (``website`` may be empty)."""
        for office_id, kind, blob in self.db.execute("SELECT id, type, data FROM offices ORDER BY id"):
            data = orjson.loads(blob)
            yield office_id, kind, data["name"], data["website"]

    def websites(self) -> Iterator[tuple[str, str, str, str]]:
        """``(id, type, name, website)`` of every office with a website."""
        for office_id, kind, name, website in self.websites_all():
            if website:
                yield office_id, kind, name, website
