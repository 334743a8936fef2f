"""Etalab's public-sector domain lists (noms-de-domaine-organismes-secteur-public).

Upstream: https://github.com/etalab/noms-de-domaine-organismes-secteur-public,
Licence Ouverte 2.0.  One file per category (``communes.txt``...), lines
``host  # comment``; plus ``urls.txt`` (``https://host`` per line), whose hosts
that no category file names are imported as ``autre-public``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sources.categories import Category
from sources.errors import FormatError
from sources.importers.fetch import (
    content_version,
    decode_text,
    fetch_url,
    is_url,
)
from sources.importers.plain import parse_host_lines
from sources.store import Row

#: upstream file stem -> category
ETALAB_CATEGORIES: dict[str, Category] = {
    "academies": Category.ACADEMIE,
    "ambassades": Category.AMBASSADE,
    "aphp": Category.SANTE,
    "centre-de-gestion": Category.COLLECTIVITE,
    "collectivites": Category.COLLECTIVITE,
    "communes": Category.COMMUNE,
    "conseils-departementaux": Category.DEPARTEMENT,
    "conseils-regionaux": Category.REGION,
    "epci": Category.INTERCOMMUNALITE,
    "etablissements-scolaires": Category.ETABLISSEMENT_SCOLAIRE,
    "gouvfr-divers": Category.ETAT,
    "hopitaux": Category.SANTE,
    "mdph-mda": Category.DEPARTEMENT,
    "nongouvfr-divers": Category.AUTRE_PUBLIC,
    "prefectures": Category.PREFECTURE,
    "sante-fr": Category.SANTE,
    "universites": Category.ENSEIGNEMENT_SUPERIEUR,
}
URLS_FILE = "urls"


@dataclass
class EtalabLists:
    rows: list[Row]
    version: str
    files: list[str]
    missing: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def _load(location: str, stem: str) -> bytes | None:
    if is_url(location):
        return fetch_url(f"{location.rstrip('/')}/{stem}.txt", missing_ok=True)
    path = Path(location) / f"{stem}.txt"
    return path.read_bytes() if path.is_file() else None


#: called after each file with its name and the number of hosts it gave
Progress = Callable[[str, int], None]


def read_etalab(location: str, progress: Progress | None = None) -> EtalabLists:
    """Read every known category file and ``urls.txt`` from a directory or URL base."""
    if not is_url(location) and not Path(location).is_dir():
        raise FormatError(f"{location} is not a directory of Etalab lists")
    rows: list[Row] = []
    rejected: list[str] = []
    files: list[str] = []
    missing: list[str] = []
    blobs: list[bytes] = []
    named: set[str] = set()
    for stem, category in ETALAB_CATEGORIES.items():
        data = _load(location, stem)
        if data is None:
            missing.append(f"{stem}.txt")
            continue
        blobs.append(data)
        files.append(f"{stem}.txt")
        before = len(rows)
        for row in parse_host_lines(decode_text(data, f"{stem}.txt"), category, stem, rejected):
            if row.host not in named:
                named.add(row.host)
                rows.append(row)
        if progress:
            progress(f"{stem}.txt", len(rows) - before)
    data = _load(location, URLS_FILE)
    if data is None:
        missing.append(f"{URLS_FILE}.txt")
    else:
        blobs.append(data)
        files.append(f"{URLS_FILE}.txt")
        before = len(rows)
        for row in parse_host_lines(decode_text(data, "urls.txt"), Category.AUTRE_PUBLIC,
                                    URLS_FILE, rejected):
            if row.host not in named:
                named.add(row.host)
                rows.append(row)
        if progress:
            progress(f"{URLS_FILE}.txt", len(rows) - before)
    if not files:
        raise FormatError(f"no Etalab list found at {location} (expected communes.txt, urls.txt...)")
    return EtalabLists(rows, content_version(*blobs), files, missing, rejected)
