"""Etalab's public-sector domain lists (noms-de-domaine-organismes-secteur-public).

Upstream: https://github.com/etalab/noms-de-domaine-organismes-secteur-public
(since 2025 maintained at gitlab.adullact.net/dinum/...), Licence Ouverte 2.0.
Two layouts are read, found by what the location holds:

* **today's** (since January 2023): at the repository root, ``domains.csv``
  (``name,http_status,https_status,SIREN,type,sources,script``) and ``urls.txt``
  (``https://host`` per line);
* **the 2023 one**: one file per category under ``sources/`` (``communes.txt``...,
  lines ``host  # comment``), with ``urls.txt`` at the repository root (the parent
  of ``sources/``), or beside the category files in a local copy.

Hosts that no category file names are imported as ``autre-public`` (or by the
CSV's ``type`` column where it says more).
"""

from __future__ import annotations

import csv
import io
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
from sources.records import Row

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
DOMAINS_CSV = "domains.csv"
#: words of domains.csv's free-text ``type`` column -> category (first match wins)
CSV_TYPES: tuple[tuple[str, Category], ...] = (
    ("gouvernement", Category.ETAT), ("prefecture", Category.PREFECTURE),
    ("commune", Category.COMMUNE), ("mairie", Category.COMMUNE),
    ("intercommunal", Category.INTERCOMMUNALITE), ("epci", Category.INTERCOMMUNALITE),
    ("departement", Category.DEPARTEMENT), ("région", Category.REGION), ("region", Category.REGION),
    ("ambassade", Category.AMBASSADE), ("universit", Category.ENSEIGNEMENT_SUPERIEUR),
    ("academie", Category.ACADEMIE), ("lycée", Category.ETABLISSEMENT_SCOLAIRE),
    ("college", Category.ETABLISSEMENT_SCOLAIRE), ("hôpital", Category.SANTE),
    ("hopital", Category.SANTE), ("santé", Category.SANTE),
)


@dataclass
class EtalabLists:
    rows: list[Row]
    version: str
    files: list[str]
    missing: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def _load(location: str, name: str) -> bytes | None:
    if is_url(location):
        return fetch_url(f"{location.rstrip('/')}/{name}", missing_ok=True)
    path = Path(location) / name
    return path.read_bytes() if path.is_file() else None


def _parent(location: str) -> str | None:
    """Where ``urls.txt`` is in the 2023 layout: the parent of a ``sources`` folder."""
    trimmed = location.rstrip("/")
    if is_url(trimmed):
        return trimmed.rsplit("/", 1)[0] if trimmed.endswith("/sources") else None
    path = Path(trimmed)
    return str(path.parent) if path.name == "sources" else None


#: called after each file with its name and the number of hosts it gave
Progress = Callable[[str, int], None]


def csv_category(kind: str) -> Category:
    lowered = kind.strip().lower()
    for word, category in CSV_TYPES:
        if word in lowered:
            return category
    return Category.AUTRE_PUBLIC


def parse_domains_csv(text: str, rejected: list[str]) -> list[Row]:
    """Rows of today's ``domains.csv`` (every known domain, reachable or not)."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise FormatError(f"{DOMAINS_CSV} has no 'name' column (header: {reader.fieldnames})")
    lines = "\n".join(f"{row.get('name') or ''}  # {csv_category(row.get('type') or '').value}"
                      for row in reader)
    rows = []
    for row in parse_host_lines(lines, Category.AUTRE_PUBLIC, "domains", rejected):
        category = row.comment or Category.AUTRE_PUBLIC.value
        rows.append(Row(row.host, category, None, "domains", None))
    return rows


def read_etalab(location: str, progress: Progress | None = None) -> EtalabLists:
    """Read the lists from a directory or URL base, in whichever layout it holds."""
    if not is_url(location) and not Path(location).is_dir():
        raise FormatError(f"{location} is not a directory of Etalab lists")
    rows: list[Row] = []
    rejected: list[str] = []
    files: list[str] = []
    missing: list[str] = []
    blobs: list[bytes] = []
    named: set[str] = set()

    def take(name: str, new_rows: list[Row]) -> None:
        before = len(rows)
        for row in new_rows:
            if row.host not in named:
                named.add(row.host)
                rows.append(row)
        if progress:
            progress(name, len(rows) - before)

    table = _load(location, DOMAINS_CSV)
    if table is not None:  # today's layout
        blobs.append(table)
        files.append(DOMAINS_CSV)
        take(DOMAINS_CSV, parse_domains_csv(decode_text(table, DOMAINS_CSV), rejected))
    else:
        for stem, category in ETALAB_CATEGORIES.items():
            data = _load(location, f"{stem}.txt")
            if data is None:
                missing.append(f"{stem}.txt")
                continue
            blobs.append(data)
            files.append(f"{stem}.txt")
            take(f"{stem}.txt", list(parse_host_lines(decode_text(data, f"{stem}.txt"), category,
                                                      stem, rejected)))
    data = _load(location, f"{URLS_FILE}.txt")
    parent = _parent(location)
    if data is None and parent is not None:
        data = _load(parent, f"{URLS_FILE}.txt")
    if data is None:
        missing.append(f"{URLS_FILE}.txt")
    else:
        blobs.append(data)
        files.append(f"{URLS_FILE}.txt")
        take(f"{URLS_FILE}.txt", list(parse_host_lines(decode_text(data, "urls.txt"),
                                                       Category.AUTRE_PUBLIC, URLS_FILE, rejected)))
    if not files:
        raise FormatError(f"no Etalab list found at {location} (expected domains.csv and urls.txt,"
                          " or communes.txt...)")
    return EtalabLists(rows, content_version(*blobs), files, missing, rejected)
