"""Search the shards of an index (``index.shards``) in parallel threads and merge their answers.

tantivy-py releases the GIL while it searches, so the shards of one process
are searched at once on as many cores as ``threads``.  Each shard ranks the
query alone, without snippets; the pages are merged by score (BM25 with
each shard's own statistics: pages are spread by a hash, so a word's share
of pages is near-equal in every shard, and bench/scale_relevance.py measures
the ranking against the single index), copies of one page across shards
(a layout routed by URL) are grouped under the best as a single index groups
them, and the snippets are made for the page shown only, each by its shard.

Totals and facets are the sums of the shards'.  Each shard counts its
documents once (``index.collapse``) and, in a layout routed by copy key
(``index.shards.ROUTE_COPY``), no document is in two shards, so the sums
count each document once; in the older layout routed by URL a page's copies
in two shards count twice.  Typos are corrected and suggestions drawn from
every shard's terms at once (:class:`ShardTerms`), the corrected words
searched in every shard.
"""

from __future__ import annotations

import heapq
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

import tantivy

from index import analysis
from index import collapse as collapse_
from index import schema as f
from index.fuzzy import Corrector
from index.query import parse
from index.results import Hit, SearchResults
from index.suggest import Suggester

if TYPE_CHECKING:
    from index.searcher import Searcher, Sort

T = TypeVar("T")


def default_threads(shards: int) -> int:
    """One thread per shard, at most one per core this process may run on."""
    return max(1, min(shards, len(os.sched_getaffinity(0))))


class ShardSet:
    """The searchers of every shard (the first is the owning :class:`Searcher` itself)."""

    def __init__(self, searchers: Sequence[Searcher], threads: int | None = None) -> None:
        self.searchers = list(searchers)
        self.threads = max(1, threads or default_threads(len(self.searchers)))
        self._pool = (ThreadPoolExecutor(self.threads, thread_name_prefix="shard")
                      if self.threads > 1 else None)
        folding, french = analysis.suggest_analyzer(), analysis.french_analyzer()
        schema = f.build_schema()
        self._corrector = Corrector(schema, french, folding)
        self._suggester = Suggester(schema, folding, french)
        self._terms: ShardTerms | None = None

    def map(self, call: Callable[[Searcher], T]) -> list[T]:
        """``call`` on every shard, in parallel threads, results in shard order."""
        if self._pool is None:
            return [call(searcher) for searcher in self.searchers]
        return list(self._pool.map(call, self.searchers))

    def search(self, query: str, *, page: int, limit: int, sort: Sort, snippets: bool, fuzzy: bool,
               collapse: bool, **options: Any) -> SearchResults:
        """One page of the merged results (``options``: category, site, facets, as ``Searcher.search``)."""
        started = time.perf_counter()
        corrected = self.corrected_query(query) if fuzzy else None
        text = corrected or query
        depth = page * limit
        parts = self.map(lambda s: s.rank(text, page=1, limit=depth, sort=sort, fuzzy=False,
                                          collapse=collapse, **options))
        entries = [(hit, doc, n, i) for n, part in enumerate(parts)
                   for i, (hit, doc) in enumerate(zip(part.results.results, part.docs, strict=True))]
        if sort == "date":
            entries.sort(key=lambda e: e[0].published or date.min, reverse=True)
        else:
            entries.sort(key=lambda e: -e[0].score)
        if collapse and sort != "date":
            entries = _grouped(entries)
        chosen = entries[(page - 1) * limit:page * limit]
        if snippets and chosen:
            wanted: dict[int, list[int]] = {}
            for _, _, n, i in chosen:
                wanted.setdefault(n, []).append(i)
            if len(wanted) > 1 and self._pool is not None:
                list(self._pool.map(lambda n: parts[n].add_snippets(wanted[n]), wanted))
            else:
                for n, positions in wanted.items():
                    parts[n].add_snippets(positions)
        facets: dict[str, int] = {}
        for part in parts:
            for key, value in part.results.facets.items():
                facets[key] = facets.get(key, 0) + value
        return SearchResults(query, sum(p.results.total for p in parts),
                             round((time.perf_counter() - started) * 1000, 3), page, limit,
                             [hit for hit, _, _, _ in chosen], facets, corrected_query=corrected)

    def corrected_query(self, query: str) -> str | None:
        """``query`` with its unknown words corrected from every shard's terms (``index.fuzzy``: a word
        one shard lacks but another holds is known), ``None`` when nothing changes."""
        words = parse(query or "").words
        if not words:
            return None
        # the corrector reads doc_freq, terms_with_prefix, search and doc, which ShardTerms answers
        correction = self._corrector.correct(cast(tantivy.Searcher, self.terms()), " ".join(words))
        return None if correction is None else correction.shown(query)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Completions drawn from every shard's titles, ranked by the pages of all shards they find."""
        text = prefix.lstrip()
        if not text.strip() or limit <= 0:
            return []
        return self._suggester.suggest(self.terms(), text, limit)

    def terms(self) -> ShardTerms:
        """The shards' current tantivy searchers as one (the same object until a shard reloads: the
        corrector keeps its candidate lists per searcher)."""
        current = [searcher.searcher() for searcher in self.searchers]
        held = self._terms
        if held is None or any(a is not b for a, b in zip(held.searchers, current, strict=True)):
            held = self._terms = ShardTerms(current)
        return held

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)


Entry = tuple[Hit, Any, int, int]


def _grouped(entries: list[Entry]) -> list[Entry]:
    """``entries`` (best first) with the copies of a page in other shards under its best copy:
    the same content digest, or (as a single index merges them on a page) the same title and a
    near-identical body."""
    kept: list[Entry] = []
    by_digest: dict[str, Hit] = {}
    urls: set[str] = set()
    for entry in entries:
        hit, doc = entry[0], entry[1]
        if hit.url in urls:
            continue  # a page left in its former shard by a crash between two shards' commits
        urls.add(hit.url)
        digest = str(doc.get_first(f.HASH) or "")
        first = by_digest.get(digest) if digest else None
        if first is not None:
            first.duplicates += [hit.url, *hit.duplicates]
            continue
        if digest:
            by_digest[digest] = hit
        kept.append(entry)
    merged = collapse_.near_copies([doc for _, doc, _, _ in kept])
    for copy, original in merged.items():
        kept[original][0].duplicates += [kept[copy][0].url, *kept[copy][0].duplicates]
    return [entry for i, entry in enumerate(kept) if i not in merged]


class ShardAddress(NamedTuple):
    shard: int
    address: tantivy.DocAddress


@dataclass(slots=True)
class ShardHits:
    """What :meth:`ShardTerms.search` finds: the best hits of every shard, and how many pages match."""

    hits: list[tuple[float, ShardAddress]]
    count: int | None


class ShardTerms:
    """The shards' tantivy searchers read as one index by what looks up terms and counts pages
    (typo correction, suggestions): document frequencies and counts summed, hits merged by score.

    ``terms_with_prefix`` gives, as tantivy does, the ``limit`` most frequent terms: from each shard's
    ``limit`` most frequent, their frequencies summed (a term just outside one shard's list misses
    that shard's share; shards hold near-equal shares of every word)."""

    def __init__(self, searchers: Sequence[tantivy.Searcher]) -> None:
        self.searchers = list(searchers)

    @property
    def num_docs(self) -> int:
        return sum(int(searcher.num_docs) for searcher in self.searchers)

    def doc_freq(self, field_name: str, field_value: Any) -> int:
        return sum(int(searcher.doc_freq(field_name, field_value)) for searcher in self.searchers)

    def terms_with_prefix(self, field_name: str, prefix: str, filter_query: tantivy.Query | None = None,
                          limit: int | None = None) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for searcher in self.searchers:
            for term, pages in searcher.terms_with_prefix(field_name, prefix, filter_query=filter_query,
                                                         limit=limit):
                counts[term] = counts.get(term, 0) + int(pages)
        ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
        return ranked if limit is None else ranked[:limit]

    def search(self, query: tantivy.Query, limit: int = 10, count: bool = True) -> ShardHits:
        hits: list[tuple[float, ShardAddress]] = []
        total: int | None = 0 if count else None
        for n, searcher in enumerate(self.searchers):
            found = searcher.search(query, limit, count=count)
            hits += [(float(score), ShardAddress(n, address)) for score, address in found.hits]
            if total is not None:
                total += int(found.count or 0)  # type: ignore[attr-defined]  # not in tantivy's stub
        return ShardHits(heapq.nlargest(limit, hits, key=lambda hit: hit[0]), total)

    def doc(self, address: ShardAddress) -> tantivy.Document:
        return self.searchers[address.shard].doc(address.address)
