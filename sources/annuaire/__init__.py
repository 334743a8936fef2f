"""The Annuaire de l'administration (Service-Public.fr / DILA): offices, their import and storage.

:func:`import_annuaire` reads the 2019 CSV or DILA's JSON (file, .gz, .tar.bz2, path or URL)
into ``annuaire.sqlite3``; :mod:`sources.annuaire.origin` makes the offices' websites a registry
origin and measures the registry's coverage of them.  The search is :mod:`index.offices`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sources.annuaire.errors import AnnuaireError, AnnuaireFormatError, AnnuaireStoreError
from sources.annuaire.model import Hours, Office
from sources.annuaire.parse import read_offices
from sources.annuaire.store import FILENAME, AnnuaireReport, AnnuaireStore

__all__ = [
    "FILENAME",
    "AnnuaireError",
    "AnnuaireFormatError",
    "AnnuaireReport",
    "AnnuaireStore",
    "AnnuaireStoreError",
    "Hours",
    "Office",
    "import_annuaire",
    "read_offices",
]


def import_annuaire(data_dir: Path, location: str, version: str | None = None,
                    progress: Callable[[int], None] | None = None) -> AnnuaireReport:
    """Replace the Annuaire under ``data_dir`` with the offices read from ``location``."""
    fresh = not (Path(data_dir) / FILENAME).exists()
    try:
        with AnnuaireStore(data_dir) as store:
            return store.replace(read_offices(location), location, version, progress)
    except BaseException:
        if fresh:  # a first import that failed leaves no empty Annuaire behind
            for suffix in ("", "-wal", "-shm"):
                (Path(data_dir) / (FILENAME + suffix)).unlink(missing_ok=True)
        raise
