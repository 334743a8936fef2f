"""Errors of the Annuaire: a file that is not one of the formats read, a store that cannot be opened."""

from __future__ import annotations

from sources.errors import SourcesError


class AnnuaireError(SourcesError):
    """Base class of the Annuaire's errors (a user error: CLI exit 2, HTTP 4xx/503)."""


class AnnuaireFormatError(AnnuaireError):
    """The file is neither the 2019 CSV nor DILA's JSON (file, .gz or .tar.bz2)."""


class AnnuaireStoreError(AnnuaireError):
    """The Annuaire's SQLite file cannot be opened, read or written."""
