"""The embedded demo: 500 real public pages that ``sdc run`` indexes when it has no network.

``pages.jsonl.gz`` is built by ``scripts/build_demo.py`` from SocialGouv's npm packages of
service-public.fr, travail-emploi.gouv.fr and legifrance.gouv.fr pages (``PROVENANCE.md``,
``LICENCE.md``).  The index is written beside the target and renamed into place once committed,
so an interrupted build never leaves a half-written index.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sources import Classifier, Registry
from sources.records import Row

PAGES = Path(__file__).with_name("pages.jsonl.gz")
#: the demo's sites; their pages are trusted through the registry origin ``demo``
SITES = ("www.service-public.fr", "www.legifrance.gouv.fr", "travail-emploi.gouv.fr")
ORIGIN = "demo"


def register(registry: Registry) -> None:
    """Trust the demo's sites (origin ``demo``, replaced by a later import of the same origin)."""
    rows = [Row(host, "etat", None, ORIGIN, "embedded demo") for host in SITES]
    registry.import_rows(ORIGIN, "list", str(PAGES), "demo", rows)


def build_index(index_dir: Path, classifier: Classifier) -> int:
    """Index the demo's pages at ``index_dir`` (which must not exist); the number of pages indexed."""
    from index.jsonl import InvalidLine, read_documents
    from index.writer import IndexWriter

    building = index_dir.with_name(index_dir.name + ".demo-building")
    shutil.rmtree(building, ignore_errors=True)  # a build interrupted earlier
    with IndexWriter(building, classifier, commit_seconds=0) as writer:
        for _, item in read_documents(PAGES):
            if not isinstance(item, InvalidLine):
                writer.add(item)
        added = writer.counts["added"]
    building.rename(index_dir)
    return added
