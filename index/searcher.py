"""Answer queries: lenient parsing, BM25 with field boosts, filters, snippets, facets.

A :class:`Searcher` is cheap to keep for the life of a process and safe to
share between threads.  It notices new commits by the writer (a ``stat`` of
``meta.json`` per search) and reloads, so no restart is needed.  On a
sharded index (``index.shards``) it searches every shard in parallel threads
and merges their pages (``index.shard_search``); each query is planned
selectively first (``index.plan``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, Literal

import tantivy

from index import analysis, index_stats, legal, shards
from index import collapse as collapse_
from index import schema as f
from index.analysis import fold
from index.fuzzy import Corrector
from index.highlight import Highlighter
from index.hits import DocLoader, hit_of, merge_near_copies
from index.legal_query import LegalScoring
from index.plan import QueryPlan, combined, narrowed, selective
from index.query import ParsedQuery, normalize_site, parse
from index.querybuild import QueryBuilder
from index.ranker import Ranking
from index.reloading import LatestSearcher
from index.rerank import Reranker
from index.results import Ranked, SearchResults
from index.shard_search import ShardSet
from index.suggest import Suggester
from index.synonyms import expand_query
from index.tuning import SearchTuning

#: the library's hard bounds: ``Searcher.search`` clamps ``limit`` and ``page`` to them whatever the
#: caller asks. They bound the work one call can cost, not what a product shows: the service publishes
#: its own, smaller, API limits (``service.models.API_MAX_PAGE``/``API_MAX_LIMIT``), and a test
#: (tests/service/test_service_bounds.py) keeps those within these.
MAX_LIMIT = 100
MAX_PAGE = 1000
Sort = Literal["relevance", "date"]
Hits = list[tuple[float, tantivy.DocAddress]]


class Searcher:
    """Read side of the index at ``path`` (sharded or not).

    ``threads`` searches that many shards at once (default: one per shard, at most one per core);
    ``plan`` is how queries are planned (``index.plan``).
    """

    def __init__(self, path: Path, *, tuning: SearchTuning | None = None, plan: QueryPlan | None = None,
                 threads: int | None = None, expand: Callable[[str], list[str]] = expand_query) -> None:
        self.path = Path(path)
        self.tuning = tuning or SearchTuning()
        self.plan = plan or QueryPlan()
        dirs = shards.shard_dirs(self.path)
        # on a sharded index this searcher is the first shard's, and also answers for all of them
        index = f.open_index(dirs[0], create=False)
        self._schema = index.schema
        self._builder = QueryBuilder(self._schema, analysis.french_analyzer(), self.tuning)
        self._legal = LegalScoring(self._schema, self._builder, self.tuning)
        #: the learnt re-ranker (its model read once, here), or ``None``; public: training sets its sink
        self.reranker = Reranker.load(self._schema, self._builder, self.tuning)
        self._suggest_analyzer = analysis.suggest_analyzer()
        self._corrector = Corrector(self._schema, analysis.french_analyzer(), self._suggest_analyzer)
        self._suggester = Suggester(self._schema, self._suggest_analyzer, analysis.french_analyzer())
        #: the other phrasings of a query's words (``index.synonyms``; tests and trials give others)
        self._expand = expand
        self._ranking = Ranking(self._schema, self._builder, self.tuning)
        self._highlighter = Highlighter(self._schema, self._builder, self.tuning)
        self._latest = LatestSearcher(index, dirs[0])
        self._shards: ShardSet | None = None
        if len(dirs) > 1:
            others = [Searcher(d, tuning=self.tuning, plan=self.plan, expand=expand) for d in dirs[1:]]
            for searcher in (self, *others):
                searcher._builder.shards = len(dirs)
            self._shards = ShardSet([self, *others], threads)

    # -- public API ----------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        category: str | Sequence[str] | None = None,
        site: str | None = None,
        page: int = 1,
        limit: int = 10,
        sort: Sort = "relevance",
        snippets: bool = True,
        facets: bool = True,
        fuzzy: bool = True,
        collapse: bool = True,
        kind: str | None = None,
    ) -> SearchResults:
        """One page of results; ``fuzzy`` corrects unknown words, ``collapse`` shows a page's copies once;
        ``kind`` keeps one kind of document (``news``: the items of the sites' feeds)."""
        page = min(max(1, int(page)), MAX_PAGE)
        limit = min(max(1, int(limit)), MAX_LIMIT)
        if self._shards is not None:
            return self._shards.search(query, category=category, site=site, page=page, limit=limit,
                                       sort=sort, snippets=snippets, facets=facets, fuzzy=fuzzy,
                                       collapse=collapse, kind=kind)
        found = self.rank(query, category=category, site=site, page=page, limit=limit, sort=sort,
                          facets=facets, fuzzy=fuzzy, collapse=collapse, kind=kind)
        if snippets:
            found.add_snippets(range(len(found.results.results)))
            found.results.took_ms = _ms(found.started)
        return found.results

    def corrected_query(self, query: str) -> str | None:
        """``query`` with its unknown words corrected (``index.fuzzy``), ``None`` when nothing changes."""
        if self._shards is not None:
            return self._shards.corrected_query(query)  # every shard's words
        return self._corrected(self.searcher(), query or "", parse(query or ""))[1]

    def rank(
        self,
        query: str,
        *,
        category: str | Sequence[str] | None = None,
        site: str | None = None,
        page: int = 1,
        limit: int = 10,
        sort: Sort = "relevance",
        facets: bool = True,
        fuzzy: bool = True,
        collapse: bool = True,
        kind: str | None = None,
    ) -> Ranked:
        """:meth:`search` of this index (or shard) alone, the snippets left to fill in; ``limit`` is not
        clamped here (the shards of a sharded index are asked for every page up to the one shown)."""
        started = time.perf_counter()
        page, limit = max(1, int(page)), max(1, int(limit))
        parsed = parse(query or "")
        categories = [*parsed.categories, *_as_list(category)]
        sites = [*parsed.sites, *_as_list(site)]
        categories = [fold(c).strip() for c in categories if c and c.strip()]
        sites = [s for s in (normalize_site(s) for s in sites) if s]
        searcher = self.searcher()
        parsed, corrected = self._corrected(searcher, query or "", parsed) if fuzzy else (parsed, None)

        # a query naming the law scores without its marker words ("article", "code du travail")
        typed = parsed  # the words as written: what the phrase and proximity bonuses look for
        reference = legal.reference(parsed)
        if reference is not None:
            parsed = reference.parsed
        # a span copied from a page is raised when found as written; a query that only cites an
        # article ("Article L3131-1 du Code du travail") is not such a span
        verbatim = len(parsed.words) >= self.tuning.verbatim_min_words
        if reference is not None and not verbatim:
            typed = parsed  # its phrase is the article's words, not "Article L3131-1 du Code du travail"
        alternatives = self._alternatives(parsed)
        main = self._main_query(parsed, alternatives, searcher)
        if main is not None and reference is not None:
            main = self._legal.wrap(main, reference)
        if main is None:
            return Ranked(SearchResults(query, 0, _ms(started), page, limit, corrected_query=corrected),
                          [], lambda _: None, started)
        excluded = self._builder.excluded(parsed)
        site_filters = self._builder.filters(sites, [])
        category_filters = self._builder.filters([], categories)
        if sort == "date":
            site_filters.append(tantivy.Query.exists_query(f.PUBLISHED))
        if kind:
            site_filters.append(tantivy.Query.term_query(self._schema, f.KIND, kind))
        every = None
        if self.plan.conjunctive_first and sort == "relevance":
            tokens = list(dict.fromkeys(token for _, token in self._builder.terms(" ".join(parsed.words))))
            every = selective(self.plan, searcher, self._schema, tokens, [*site_filters, *category_filters],
                              excluded)
        if every is not None:
            # enough pages hold every word: only they are scored (index.plan), by the same query
            main = narrowed(every, main)
        full = combined(main, [*site_filters, *category_filters], excluded)
        offset = (page - 1) * limit
        load = DocLoader(searcher)  # a page read by the verbatim rule is not read again for its hit
        known: dict[str, int] | None = None  # the facets, when counted with the total
        if sort == "date":
            result = searcher.search(full, limit, count=True, order_by_field=f.PUBLISHED, offset=offset)
            # the "score" tantivy gives is the date itself: not a relevance score
            total, ranked = result.count, [(0.0, address) for _, address in result.hits]  # type: ignore[attr-defined]  # not in tantivy's stub
            copies: list[list[tantivy.DocAddress]] = [[] for _ in ranked]
        else:
            pager = self._ranking.pager(searcher, full, typed, alternatives, verbatim, load, self.reranker,
                                        legal_query=reference is not None)
            if collapse:
                # without a category filter, the facets count the same matches as the total
                total, ranked, copies, known = collapse_.collapsed_page(
                    searcher, full, pager, offset, limit, facets=facets and not categories)
            else:
                total, ranked = pager(offset, limit)
                copies = [[] for _ in ranked]
        docs = [load(address) for _, address in ranked]
        hits = [hit_of(doc, score) for doc, (score, _) in zip(docs, ranked, strict=True)]
        for hit, others in zip(hits, copies, strict=True):
            hit.duplicates = [str(load(a).get_first(f.URL) or "") for a in others]
        if collapse and sort != "date":
            hits, docs = merge_near_copies(hits, docs, limit)
        stems = partial(self._stems, parsed, alternatives)

        def add_snippets(picked: Sequence[int]) -> None:
            chosen = list(picked)
            if chosen:
                self._highlighter.add(searcher, full, [docs[i] for i in chosen], [hits[i] for i in chosen],
                                      stems)
        counts: dict[str, int] = {}
        distinct = collapse and sort != "date" and total <= collapse_.DISTINCT_EXACT
        if facets and distinct and known is not None:
            counts = known
        elif facets:
            facet_query = combined(main, site_filters, excluded) if categories else full
            counts = collapse_.category_counts(searcher, facet_query, distinct=distinct)
        return Ranked(SearchResults(query, int(total or 0), _ms(started), page, limit, hits, counts,
                                    corrected_query=corrected), docs, add_snippets, started)

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Completions for a search box: a few words of the titles, ranked by the pages they find."""
        if self._shards is not None:
            return self._shards.suggest(prefix, limit)  # every shard's titles and pages
        text = prefix.lstrip()
        if not text.strip() or limit <= 0:
            return []
        return self._suggester.suggest(self.searcher(), text, limit)

    def stats(self) -> dict[str, Any]:
        """Documents, by category, size on disk and segments; on a sharded index the same per shard
        under ``shards`` and the sums at the top."""
        if self._shards is None:
            return self._own_stats()
        return index_stats.summed(self._shards.map(lambda s: s._own_stats()))

    def _own_stats(self) -> dict[str, Any]:
        return index_stats.of_one(self.searcher(), self._latest.folder)  # a shard's own folder

    def count(self) -> int:
        if self._shards is not None:
            return sum(self._shards.map(lambda s: int(s.searcher().num_docs)))
        return int(self.searcher().num_docs)

    def searcher(self) -> tantivy.Searcher:
        """The tantivy searcher on the latest commit (reloaded when ``meta.json`` changed)."""
        return self._latest.get()

    # -- internals -----------------------------------------------------------

    def _alternatives(self, parsed: ParsedQuery) -> list[str]:
        """Other phrasings of the plain words (``index.synonyms``), at most ``max_synonyms``."""
        if not parsed.words or self.tuning.synonym_weight <= 0:
            return []
        try:
            found = [a for a in self._expand(" ".join(parsed.words)) if a.strip()]
        except Exception:  # noqa: BLE001 - a synonym bug must not break search
            return []
        return found[: self.tuning.max_synonyms]

    def _main_query(self, parsed: ParsedQuery, alternatives: list[str],
                    searcher: tantivy.Searcher) -> tantivy.Query | None:
        if not parsed.has_terms:
            return tantivy.Query.all_query()
        return self._builder.scoring(parsed, alternatives, searcher)

    def _stems(self, parsed: ParsedQuery, alternatives: list[str]) -> set[str]:
        """The analysed terms of the query's words, phrases and alternatives (where snippets look)."""
        texts = [*parsed.words, *parsed.required, *parsed.phrases, *alternatives]
        return {token for text in texts for _, token in self._builder.terms(text)}

    def _corrected(self, searcher: tantivy.Searcher, query: str,
                   parsed: ParsedQuery) -> tuple[ParsedQuery, str | None]:
        """``parsed`` with its unknown words corrected (``index.fuzzy``), and the corrected query text."""
        if not parsed.words:
            return parsed, None
        correction = self._corrector.correct(searcher, " ".join(parsed.words))
        if correction is None:
            return parsed, None
        return replace(parsed, words=tuple(correction.text.split())), correction.shown(query)


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
