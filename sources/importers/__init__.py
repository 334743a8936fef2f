"""Importers: each reads one upstream format and yields :class:`sources.records.Row`.

Every importer reads a local path or an http(s) URL, records where and which
version it read, and replaces its origin's entries as a whole (idempotent).
"""

from sources.importers.etalab import ETALAB_CATEGORIES, read_etalab
from sources.importers.plain import read_plain_list
from sources.importers.universities import read_universities

__all__ = ["ETALAB_CATEGORIES", "read_etalab", "read_plain_list", "read_universities"]
