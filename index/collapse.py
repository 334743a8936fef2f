"""One result per document: the copies of a page under several URLs are shown once, at the best rank.

service-public.fr publishes many fiches under two audience paths
(``/particuliers/vosdroits/F10999`` and ``/professionnels-entreprises/...``)
with the same title and text.  The writer stores 64 bits of each page's
content digest in the ``same`` fast field; the copies share it.  Results
are collapsed on it without loading a document (as Elasticsearch's
``collapse`` does on a keyword field): the best-ranked copy stands for the
document, the others are listed under it.  Copies whose text differs a
little (a date, a link) have different digests; :func:`near_copies` merges
those found on the page shown by title and body words.

Totals and facets count documents, not URLs: a cardinality aggregation on
``same`` (exact for small sets, HyperLogLog beyond a few thousand) up to
``DISTINCT_EXACT`` matching pages, an estimate beyond (see there).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tantivy

from index import schema as f

Hits = list[tuple[float, tantivy.DocAddress]]
Counts = dict[str, int]
#: up to this many matching pages, totals and facets count distinct documents (a cardinality
#: aggregation); beyond, it cost more than the search itself over 1M pages (agent queries' CPU p50
#: 11 -> 25 ms), so the total is the count of pages times the share of documents among the
#: results read, and the facets count pages
DISTINCT_EXACT = 20_000
#: documents read beyond the page, so that a near copy merged away still leaves it full
NEAR_COPY_SPARE = 1
#: Jaccard similarity of the word sets above which two bodies under the same title are one document
NEAR = 0.9
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Group:
    score: float
    address: tantivy.DocAddress
    copies: list[tantivy.DocAddress] = field(default_factory=list)


def grouped(searcher: tantivy.Searcher, top: Callable[[int], Hits],
            wanted: int) -> tuple[list[Group], float]:
    """The first ``wanted`` documents of ``top(n)`` (the best ``n`` hits), copies grouped under each,
    and the share of documents among the hits read (1.0: no copies).

    Reads twice as many hits as documents wanted, more when copies fill them.
    """
    size = max(2 * wanted, 20)
    while True:
        hits = top(size)
        groups: dict[float, Group] = {}  # tantivy types fast-field values int | float
        keys = searcher.fast_field_values(f.SAME, [address for _, address in hits]) if hits else []
        for (score, address), key in zip(hits, keys, strict=True):
            if key is None:  # a page indexed before the field existed: its own document
                key = -(address.segment_ord << 32 | address.doc) - 1
            group = groups.get(key)
            if group is None:
                groups[key] = Group(score, address)
            else:
                group.copies.append(address)
        if len(groups) >= wanted or len(hits) < size or size >= 4096:
            return list(groups.values())[:wanted], (len(groups) / len(hits) if hits else 1.0)
        size *= 4


def near_copies(docs: list[tantivy.Document]) -> dict[int, int]:
    """Which of ``docs`` (best first) repeat an earlier one: same title, near-identical body.

    Returns ``{index of the copy: index of the document it repeats}``.
    """
    by_title: dict[str, list[int]] = {}
    out: dict[int, int] = {}
    bodies = [str(doc.get_first(f.BODY) or "") for doc in docs]
    words: dict[int, set[str]] = {}

    def words_of(k: int) -> set[str]:
        # lowercase words as written (folding accents cost 10x more over a page of results); each
        # body's set made once (a page compared with several others of its title)
        found = words.get(k)
        if found is None:
            found = words[k] = set(_WORD.findall(bodies[k].lower()))
        return found

    for i, doc in enumerate(docs):
        # lowercase, accents kept: the copies of a page have one title (folding cost ~0.7 ms a search)
        title = " ".join(str(doc.get_first(f.TITLE) or "").lower().split())
        body = bodies[i]
        for j in by_title.get(title, []):
            other = bodies[j]
            if min(len(body), len(other)) < NEAR * max(len(body), len(other)):
                continue  # lengths too far apart to be near-identical: no word sets needed
            a, b = words_of(j), words_of(i)
            if a and b and len(a & b) >= NEAR * len(a | b):
                out[i] = j
                break
        else:
            by_title.setdefault(title, []).append(i)
    return out


def collapsed_page(searcher: tantivy.Searcher, query: tantivy.Query,
                   pager: Callable[[int, int], tuple[int, Hits]], offset: int, limit: int, *,
                   facets: bool = False) -> tuple[int, Hits, list[list[tantivy.DocAddress]], Counts | None]:
    """One page of documents (copies under several URLs grouped) of what ``pager`` ranks, how many
    documents match ``query``, and with ``facets`` their counts per category when counted in the same
    pass (else ``None``)."""
    count = read = 0

    def top(size: int) -> Hits:
        nonlocal count, read
        count, hits = pager(0, size)
        read = len(hits)
        return hits

    groups, share = grouped(searcher, top, offset + limit + NEAR_COPY_SPARE)
    groups = groups[offset:]
    total: int | None = round(count * share)
    counts = None
    # every match read: their documents are counted already (an aggregation costs ~1 ms even then)
    if 0 < count <= DISTINCT_EXACT and (facets or count > read):
        both = distinct_total_and_facets(searcher, query) if facets else None
        if both is None:
            total = distinct_total(searcher, query)
        else:
            total, counts = both
    return (count if total is None else total, [(g.score, g.address) for g in groups],
            [g.copies for g in groups], counts)


def category_counts(searcher: tantivy.Searcher, query: tantivy.Query, *, distinct: bool = False) -> Counts:
    """Pages (``distinct``: documents) matching ``query`` per category."""
    if distinct:
        counts = distinct_facets(searcher, query)
        if counts is not None:
            return counts
    agg = {"categories": {"terms": {"field": f.CATEGORY, "size": 100}}}
    try:
        buckets = searcher.aggregate(query, agg)["categories"]["buckets"]
    except (ValueError, KeyError):
        return {}
    return {b["key"]: int(b["doc_count"]) for b in buckets if b.get("key")}


_DOCUMENTS = {"cardinality": {"field": f.SAME}}
_CATEGORIES = {"terms": {"field": f.CATEGORY, "size": 100}, "aggs": {"documents": _DOCUMENTS}}


def distinct_total(searcher: tantivy.Searcher, query: tantivy.Query) -> int | None:
    """How many documents (not URLs) match ``query``; ``None`` when the aggregation fails."""
    try:
        value = searcher.aggregate(query, {"n": _DOCUMENTS})["n"]["value"]
    except (ValueError, KeyError, TypeError):
        return None
    return int(round(value or 0))


def distinct_facets(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, int] | None:
    """Documents (not URLs) matching ``query`` per category; ``None`` when the aggregation fails."""
    try:
        buckets = searcher.aggregate(query, {"categories": _CATEGORIES})["categories"]["buckets"]
    except (ValueError, KeyError, TypeError):
        return None
    return _per_category(buckets)


def distinct_total_and_facets(searcher: tantivy.Searcher,
                              query: tantivy.Query) -> tuple[int, dict[str, int]] | None:
    """:func:`distinct_total` and :func:`distinct_facets` of one query in one pass over its matches."""
    try:
        found = searcher.aggregate(query, {"n": _DOCUMENTS, "categories": _CATEGORIES})
        value, buckets = found["n"]["value"], found["categories"]["buckets"]
    except (ValueError, KeyError, TypeError):
        return None
    return int(round(value or 0)), _per_category(buckets)


def _per_category(buckets: list[dict[str, Any]]) -> dict[str, int]:
    return {b["key"]: int(round(b["documents"]["value"] or 0)) for b in buckets if b.get("key")}
