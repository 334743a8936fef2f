"""From ranked addresses to results: stored documents read once, hits built, near copies merged."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import tantivy

from index import collapse
from index import schema as f
from index.results import Hit


class DocLoader:
    """``searcher.doc``, each stored document read (decompressed) once per search."""

    def __init__(self, searcher: tantivy.Searcher) -> None:
        self._searcher = searcher
        self._docs: dict[tuple[int, int], tantivy.Document] = {}

    def __call__(self, address: tantivy.DocAddress) -> tantivy.Document:
        key = (address.segment_ord, address.doc)
        doc = self._docs.get(key)
        if doc is None:
            doc = self._docs[key] = self._searcher.doc(address)
        return doc


def hit_of(doc: tantivy.Document, score: Any) -> Hit:
    """The result shown for a stored page (its snippet filled in later)."""
    published = doc.get_first(f.PUBLISHED)
    return Hit(
        url=doc.get_first(f.URL) or "",
        title=doc.get_first(f.TITLE) or "",
        snippet="",
        domain=doc.get_first(f.DOMAIN) or "",
        category=doc.get_first(f.CATEGORY) or "",
        name=doc.get_first(f.NAME) or "",
        score=float(score) if isinstance(score, (int, float)) else 0.0,
        published=published.date() if isinstance(published, datetime) else _as_date(published),
        host=doc.get_first(f.HOST) or "",
    )


def merge_near_copies(hits: list[Hit], docs: list[tantivy.Document],
                      limit: int) -> tuple[list[Hit], list[tantivy.Document]]:
    """Hits whose page repeats a better one (same title, near-identical text) go under it."""
    merged = collapse.near_copies(docs)
    for copy, kept in merged.items():
        hits[kept].duplicates += [hits[copy].url, *hits[copy].duplicates]
    pairs = [(h, d) for i, (h, d) in enumerate(zip(hits, docs, strict=True)) if i not in merged][:limit]
    return [h for h, _ in pairs], [d for _, d in pairs]


def _as_date(value: Any) -> date | None:
    return value if isinstance(value, date) else None
