"""Search the shards of an index (``index.shards``) in parallel threads and merge their answers.

tantivy-py releases the GIL while it searches, so the shards of one process
are searched at once on as many cores as ``threads``.  Each shard ranks the
query alone, without snippets; the pages are merged by score (BM25 with
each shard's own statistics: pages are spread by URL hash, so a word's
share of pages is near-equal in every shard, and bench/bench_scale.py
measures the ranking against the single index), copies of one page across
shards are grouped under the best as a single index groups them, and the
snippets are made for the page shown only, each by its shard.

Totals and facets are the sums of the shards' (a page's copies in two
shards count twice: beyond ``collapse.DISTINCT_EXACT`` matches, totals are
estimates anyway).  Typos are corrected once, by the first shard, and the
corrected words searched in every shard.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from index import collapse as collapse_
from index import schema as f
from index.results import Hit, SearchResults

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

    def map(self, call: Callable[[Searcher], T]) -> list[T]:
        """``call`` on every shard, in parallel threads, results in shard order."""
        if self._pool is None:
            return [call(searcher) for searcher in self.searchers]
        return list(self._pool.map(call, self.searchers))

    def search(self, query: str, *, page: int, limit: int, sort: Sort, snippets: bool, fuzzy: bool,
               collapse: bool, **options: Any) -> SearchResults:
        """One page of the merged results (``options``: category, site, facets, as ``Searcher.search``)."""
        started = time.perf_counter()
        corrected = self.searchers[0].corrected_query(query) if fuzzy else None
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
    for entry in entries:
        hit, doc = entry[0], entry[1]
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
