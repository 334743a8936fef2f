"""What the registry's database holds and what an import reports, as plain values.

:class:`Row` is what every importer yields; :class:`ImportReport` what an
import changed (or would change, in a dry run); :class:`ImportGuard` what an
import may do to its origin; :class:`CuratedEntry` one line of the curators'
overlay.  :mod:`sources.store` reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    added_hosts: tuple[str, ...] = ()
    removed_hosts: tuple[str, ...] = ()
    changed_hosts: tuple[str, ...] = ()
    #: how many hosts the origin held before
    before: int = 0
    dry_run: bool = False
    import_id: int | None = None
    #: a dry run's verdict: why the real import would be refused (None: it would pass)
    refused: str | None = None

    @property
    def total(self) -> int:
        return self.added + self.changed + self.unchanged


@dataclass(frozen=True, slots=True)
class ImportGuard:
    """What an import may do to its origin (``sdc sources import --allow-shrink``, ``--dry-run``)."""

    #: refuse when more than this share of the origin's hosts would go (0.02: 2 %)
    max_shrink: float = 0.02
    allow_shrink: bool = False
    dry_run: bool = False
    #: files this import read, and files the previous import read that it did not find
    files: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    actor: str = "import"


@dataclass(frozen=True, slots=True)
class CuratedEntry:
    host: str
    action: str
    reason: str
    category: str | None
    name: str | None
    created_at: str
