"""Re-score the best BM25 results with bonus queries (the proximity of the query's words).

Matching a sloppy phrase on every page that holds a common word is what
made queries over a million pages slow; a bonus only matters among the
best candidates, so it is computed for them alone.  A second query,
restricted to the candidates by their URL digest (``uid``, a fast field,
read without loading the documents), gives each candidate its bonus, which
is added to its BM25 score before sorting again, as Elasticsearch's
``rescore`` does with a window.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import tantivy

from index import schema as f
from index.analysis import accent_pattern, fold_bytes

Occur = tantivy.Occur
Query = tantivy.Query


Hits = list[tuple[float, tantivy.DocAddress]]
#: what ``\s`` matches in a text, once folded to bytes (``fold_bytes``: beyond Latin-1, a "?")
_SPACES = rb"[\s\x1c-\x1f\x85\xa0?]+"


def rescored(searcher: tantivy.Searcher, schema: tantivy.Schema, query: tantivy.Query,
             bonus: Sequence[tantivy.Query], window: int,
             recall: tantivy.Query | None = None) -> tuple[int, Hits]:
    """The total of ``query`` and its best ``window`` hits, each plus its ``bonus`` score, best first.

    ``recall`` (the exact phrase of a copied span) adds its own best ``window``
    pages to the candidates: a page holding the span can rank far down on its
    words alone.  Those are scored by ``query`` too, so every candidate has
    the same score: ``query`` plus its bonus.
    """
    first = searcher.search(query, window, count=True)
    total = int(first.count or 0)  # type: ignore[attr-defined]  # not in tantivy's stub
    hits = [(float(score), address) for score, address in first.hits]
    extra_pages: list[tantivy.DocAddress] = []
    if recall is not None and hits:
        known = {(a.segment_ord, a.doc) for _, a in hits}
        extra_pages = [a for _, a in searcher.search(recall, window, count=False).hits
                       if (a.segment_ord, a.doc) not in known]
    if len(hits) + len(extra_pages) < 2 or not bonus:
        return total, hits
    ids = searcher.fast_field_values(f.UID, [address for _, address in hits] + extra_pages)
    # a union of one-document term queries: far faster than a term set query here
    candidates = Query.boolean_query(
        [(Occur.Should, Query.term_query(schema, f.UID, uid)) for uid in ids if uid is not None]
    )
    scored = [(Occur.Should, q) for q in bonus]
    if extra_pages:
        scored.append((Occur.Should, query))
    bonus_query = Query.boolean_query([(Occur.Must, Query.const_score_query(candidates, 0.0)), *scored])
    extra = {
        (address.segment_ord, address.doc): float(score)
        for score, address in searcher.search(bonus_query, len(hits) + len(extra_pages), count=False).hits
    }
    if extra_pages:  # the scores include the query's own: they replace the first pass's
        hits = [(extra.get((a.segment_ord, a.doc), score), a) for score, a in hits]
        hits += [(extra.get((a.segment_ord, a.doc), 0.0), a) for a in extra_pages]
    else:
        hits = [(score + extra.get((a.segment_ord, a.doc), 0.0), a) for score, a in hits]
    hits.sort(key=lambda pair: -pair[0])
    return total, hits


def verbatim_first(load: Callable[[tantivy.DocAddress], tantivy.Document], hits: Hits, text: str,
                   window: int, weight: float) -> Hits:
    """``hits`` with those of the best ``window`` whose title or body holds ``text`` as written raised.

    A span copied from a page ("ne peut être refusée.") is found as typed,
    stop words and all, which the analysed phrase cannot tell ("peut _
    refus"): each page of the window holding it (case, accents and spacing
    aside: a corrected typo comes back unaccented) gains ``weight`` times
    the best score.  ``load`` reads a page's stored document (``searcher.doc``, or a cache of it).
    """
    words = text.split()
    if not words or not hits or weight <= 0:
        return hits
    needle = re.compile(r"\s+".join(accent_pattern(word) for word in words), re.IGNORECASE)
    # the same words in the folded bytes of the page (any space, any letter beyond Latin-1): found
    # wherever the needle is, by a literal search (the needle is then only tried where it is found)
    quick = re.compile(_SPACES.join(re.escape(fold_bytes(word)) for word in words))
    top = max(score for score, _ in hits)
    out = []
    for rank, (score, address) in enumerate(hits):
        if rank < window:
            doc = load(address)
            text = f"{doc.get_first(f.TITLE) or ''}\n{doc.get_first(f.BODY) or ''}"
            if _holds(text, quick, needle):
                score += weight * top
        out.append((score, address))
    out.sort(key=lambda pair: -pair[0])
    return out


def _holds(text: str, quick: re.Pattern[bytes], needle: re.Pattern[str]) -> bool:
    """Whether ``needle`` is in ``text``, tried only where ``quick`` (looser) is in its folded bytes."""
    folded = fold_bytes(text)
    found = quick.search(folded)
    while found is not None:
        if needle.match(text, found.start()):
            return True
        found = quick.search(folded, found.start() + 1)
    return False
