"""Reading the Annuaire from either upstream format, streamed (DILA's dump is about 270 MB of JSON).

* the 2019 CSV of ``okfnfr/dada-france-authorities`` (``#id,name,request_email,notes,home_page,
  tag_string``), plain or gzipped;
* DILA's JSON dump ``{"service": [...]}`` (``data.gouv_local.json``, format v4), plain, gzipped,
  or inside the ``all_latest.tar.bz2`` archive DILA publishes: the archive is read as a stream
  and its JSON member parsed item by item with ``ijson``, so memory stays flat.

:func:`read_offices` opens a path or an http(s) URL (downloaded to a temporary file while
streaming) and yields :class:`Office` objects; ``progress(n)`` is called every 1,000 offices.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import ijson

from sources.annuaire.errors import AnnuaireFormatError
from sources.annuaire.model import DAYS, Hours, Office, annuaire_page
from sources.importers.fetch import download, is_url

Progress = Callable[[int], None]

_NOTES = re.compile(r"Adresse\s*:\s*(?P<address>.*?)\s*\|\s*Tél\s*:\s*(?P<phone>.*?)\s*\|\s*Fax\s*:",
                    re.S)
#: the CSV's names end with the commune's pivot suffix: "Mairie - Apremont 85006-01"
_PIVOT_SUFFIX = re.compile(r"\s+\d[\dAB]\d{3}-\d{2}$")
_CSV_HEADER = "#id,name,request_email"
#: the 2019 file keeps some Windows-1252 characters as C1 controls ("d\x92information")
_C1 = {c: bytes([c]).decode("cp1252", errors="ignore") for c in range(0x80, 0xA0)}
_CEDEX = re.compile(r"\s+cedex(\s+\d+)?\s*$", re.I)


def _text(value: str | None) -> str:
    return " ".join((value or "").translate(_C1).split())


def clean_website(value: str) -> str:
    """Trim, add the scheme, repair the 2019 file's missing ``/`` between host and path."""
    url = value.strip().replace(" ", "")
    if not url:
        return ""
    if not re.match(r"^https?://", url, re.I):
        url = "http://" + url.lstrip("/")
    # "http://www.ville.frcontact" cannot be repaired; "http://www.ville.fr" is kept as is
    return url


def _split_address(address: str) -> tuple[str, str, str]:
    """``26 rue du Penher,56190,Billiers`` -> street, postcode, commune (the street may hold commas)."""
    parts = [p.strip() for p in address.split(",")]
    for i in range(len(parts) - 1, -1, -1):
        if re.fullmatch(r"\d{4,5}", parts[i]):
            postcode = parts[i].zfill(5)  # the 2019 file drops leading zeros ("9008" for Foix)
            commune = _CEDEX.sub("", ", ".join(p for p in parts[i + 1:] if p))
            return ", ".join(p for p in parts[:i] if p), postcode, commune
    return address.strip(), "", ""


def _csv_office(row: dict[str, str]) -> Office | None:
    pivot = _text(row.get("#id"))
    name = _text(row.get("name"))
    if not pivot or not name:
        return None
    kind, _, rest = pivot.partition("-")
    insee = rest.split("-")[0] if rest else ""
    notes = _NOTES.search(_text(row.get("notes")))
    street, postcode, commune = _split_address(notes["address"]) if notes else ("", "", "")
    tags = tuple((row.get("tag_string") or "").split())
    return Office(
        id=pivot, name=_PIVOT_SUFFIX.sub("", name), type=kind, types=tags or (kind,), street=street,
        postcode=postcode, commune=commune, insee=insee, phone=notes["phone"].strip() if notes else "",
        email=(row.get("request_email") or "").strip(),
        website=clean_website(row.get("home_page") or ""),
        page_url=annuaire_page(row.get("home_page") or ""))  # 18 rows give their Annuaire page


def read_csv(stream: IO[str], progress: Progress | None = None) -> Iterator[Office]:
    seen: set[str] = set()
    for n, row in enumerate(csv.DictReader(stream), 1):
        office = _csv_office(row)
        if office is not None and office.id not in seen:  # a few ids appear twice: first kept
            seen.add(office.id)
            yield office
        if progress and n % 1000 == 0:
            progress(n)


def _day(name: str) -> int | None:
    try:
        return DAYS.index(name.strip().lower())
    except ValueError:
        return None


def _hours(ranges: list[dict[str, Any]]) -> tuple[Hours, ...]:
    out = []
    for r in ranges or ():
        first, last = _day(str(r.get("nom_jour_debut", ""))), _day(str(r.get("nom_jour_fin", "")))
        if first is None:
            continue
        spans = []
        for i in (1, 2):
            start = str(r.get(f"valeur_heure_debut_{i}") or "")
            end = str(r.get(f"valeur_heure_fin_{i}") or "")
            if start and end:
                spans.append((start[:5], end[:5]))
        out.append(Hours(first, last if last is not None and last >= first else first, tuple(spans),
                         str(r.get("commentaire") or "").strip()))
    return tuple(out)


def _iso_date(value: str) -> str | None:
    """DILA's ``03/12/2021 07:55:01`` -> ``2021-12-03``."""
    try:
        return datetime.strptime(value.strip()[:10], "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def dila_office(item: dict[str, Any]) -> Office | None:
    """One record of DILA's dump (format v4) as an :class:`Office`."""
    uid, name = str(item.get("id") or "").strip(), str(item.get("nom") or "").strip()
    if not uid or not name:
        return None
    pivots = item.get("pivot") or []
    types = tuple(str(p.get("type_service_local")) for p in pivots if p.get("type_service_local"))
    addresses = item.get("adresse") or []
    main = next((a for a in addresses if a.get("type_adresse") == "Adresse"),
                addresses[0] if addresses else {})
    street = ", ".join(str(main.get(k) or "").strip() for k in ("complement1", "complement2", "numero_voie",
                                                                 "service_distribution")
                       if str(main.get(k) or "").strip())
    phones = item.get("telephone") or []
    emails = item.get("adresse_courriel") or []
    sites = item.get("site_internet") or []
    return Office(
        id=uid, name=name, type=types[0] if types else str(item.get("type_organisme") or "autre"),
        types=types, street=street, postcode=str(main.get("code_postal") or "").strip(),
        commune=str(main.get("nom_commune") or "").strip(),
        insee=str(item.get("code_insee_commune") or (pivots[0].get("code_insee_commune") if pivots else "")
                  or "").strip(),
        phone=str(phones[0].get("valeur") or "").strip() if phones else "",
        email=str(emails[0]).strip() if emails else "",
        website=clean_website(str(sites[0].get("valeur") or "")) if sites else "",
        hours=_hours(item.get("plage_ouverture") or []),
        updated=_iso_date(str(item.get("date_modification") or "")),
        latitude=_float(main.get("latitude")), longitude=_float(main.get("longitude")),
        accessibility=str(main.get("accessibilite") or "").strip(),
        # the API's and export's records name the office's page; the daily dump's do not
        page_url=annuaire_page(str(item.get("url_service_public") or "")))


def read_dila(stream: IO[bytes], progress: Progress | None = None) -> Iterator[Office]:
    try:
        for n, item in enumerate(ijson.items(stream, "service.item", use_float=True), 1):
            if isinstance(item, dict):
                office = dila_office(item)
                if office is not None:
                    yield office
            if progress and n % 1000 == 0:
                progress(n)
    except ijson.JSONError as exc:
        raise AnnuaireFormatError(f"DILA JSON: {exc}") from None


def _sniff(head: bytes) -> str:
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"BZh"):
        return "bzip2"
    text = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if text.startswith(b"{"):
        return "json"
    if text.startswith(_CSV_HEADER.encode()):
        return "csv"
    return "?"


def read_stream(raw: IO[bytes], name: str, progress: Progress | None = None) -> Iterator[Office]:
    """Offices of a byte stream in any accepted format (sniffed from its first bytes)."""
    if not hasattr(raw, "peek"):
        wrapper = io.BufferedReader(raw)  # type: ignore[type-var]
        try:
            yield from read_stream(wrapper, name, progress)
        finally:
            wrapper.detach()  # the caller closes the file
        return
    buffered = raw
    kind = _sniff(buffered.peek(64)[:64])
    if kind == "gzip":
        yield from read_stream(gzip.GzipFile(fileobj=buffered), name, progress)  # type: ignore[arg-type]
    elif kind == "bzip2":
        yield from _read_tar(buffered, name, progress)
    elif kind == "json":
        yield from read_dila(buffered, progress)
    elif kind == "csv":
        text = io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")
        try:
            yield from read_csv(text, progress)
        finally:
            text.detach()  # the caller closes the file; a wrapper closing it later would fail
    else:
        raise AnnuaireFormatError(f"{name}: neither the Annuaire's CSV nor DILA's JSON "
                                  "(plain, .gz or .tar.bz2)")


def _read_tar(stream: IO[bytes], name: str, progress: Progress | None) -> Iterator[Office]:
    try:
        with tarfile.open(fileobj=stream, mode="r|bz2") as archive:  # "|": a stream, never seeked
            for member in archive:
                if member.isfile() and member.name.endswith(".json"):
                    extracted = archive.extractfile(member)
                    if extracted is not None:
                        yield from read_dila(extracted, progress)
                        return
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise AnnuaireFormatError(f"{name}: unreadable archive: {exc}") from None
    raise AnnuaireFormatError(f"{name}: no .json file in the archive")


@contextmanager
def open_location(location: str, timeout: float = 60.0) -> Iterator[IO[bytes]]:
    """A local file, or an http(s) URL streamed to a temporary file (deleted after)."""
    if not is_url(location):
        try:
            with open(Path(location), "rb") as f:
                yield f
        except FileNotFoundError:
            raise AnnuaireFormatError(f"{location}: no such file") from None
        return
    with tempfile.TemporaryFile() as tmp:
        download(location, tmp.write, timeout=timeout)
        tmp.seek(0)
        yield tmp


def read_offices(location: str, progress: Progress | None = None) -> Iterator[Office]:
    with open_location(location) as raw:
        try:
            yield from read_stream(raw, location, progress)
        except (EOFError, gzip.BadGzipFile, UnicodeDecodeError, csv.Error) as exc:
            raise AnnuaireFormatError(f"{location}: {exc}") from None
