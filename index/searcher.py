"""Answer queries: lenient parsing, BM25 with field boosts, filters, snippets, facets.

A :class:`Searcher` is cheap to keep for the life of a process and safe to
share between threads.  It notices new commits by the writer (a ``stat`` of
``meta.json`` per search) and reloads, so no restart is needed.  On a
sharded index (``index.shards``) it searches every shard in parallel threads
and merges their pages (``index.shard_search``); each query is planned
selectively first (``index.plan``).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal

import tantivy

from index import analysis, legal, shards, snippets
from index import collapse as collapse_
from index import schema as f
from index.analysis import fold
from index.errors import SearchIndexError
from index.features import QueryContext
from index.fuzzy import Corrector
from index.legal_query import LegalScoring
from index.plan import QueryPlan, every_word, narrowed
from index.query import ParsedQuery, normalize_site, parse
from index.querybuild import QueryBuilder
from index.rerank import Reranker
from index.rescoring import rescored, verbatim_first
from index.results import Hit, Ranked, SearchResults
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
#: documents read beyond the page, so that a near copy merged away still leaves it full
NEAR_COPY_SPARE = 1
#: the most body words whose analysed term is kept for snippets (about 100 bytes each)
ANALYSED_WORDS = 50_000
Sort = Literal["relevance", "date"]
Hits = list[tuple[float, tantivy.DocAddress]]


class Searcher:
    """Read side of the index at ``path`` (sharded or not).

    ``threads`` searches that many shards at once (default: one per shard, at most one per core);
    ``plan`` is how queries are planned (``index.plan``).
    """

    def __init__(self, path: Path, *, tuning: SearchTuning | None = None, plan: QueryPlan | None = None,
                 threads: int | None = None) -> None:
        self.path = Path(path)
        self.tuning = tuning or SearchTuning()
        self.plan = plan or QueryPlan()
        dirs = shards.shard_dirs(self.path)
        # on a sharded index this searcher is the first shard's, and also answers for all of them
        self._index = f.open_index(dirs[0], create=False)
        self._index.config_reader(reload_policy="manual")
        self._schema = self._index.schema
        self._builder = QueryBuilder(self._schema, analysis.french_analyzer(), self.tuning)
        self._legal = LegalScoring(self._schema, self._builder, self.tuning)
        #: the learnt re-ranker (its model read once, here), or ``None``; public: training sets its sink
        self.reranker = Reranker.load(self._schema, self._builder, self.tuning)
        self._suggest_analyzer = analysis.suggest_analyzer()
        self._corrector = Corrector(self._schema, analysis.french_analyzer(), self._suggest_analyzer)
        self._suggester = Suggester(self._schema, self._suggest_analyzer, analysis.french_analyzer())
        self._expand = expand_query  # an attribute: tests give it other phrasings
        #: body words -> the term the index holds for them (snippets' passages), shared by every search
        self._analysed_words: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self._meta = dirs[0] / "meta.json"
        self._meta_stamp: tuple[int, int, int] | None = None
        self._searcher = self._fresh_searcher()
        self._shards: ShardSet | None = None
        if len(dirs) > 1:
            others = [Searcher(d, tuning=self.tuning, plan=self.plan) for d in dirs[1:]]
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
        every = self._every_word(searcher, parsed, sort, [*site_filters, *category_filters], excluded)
        if every is not None:
            # enough pages hold every word: only they are scored (index.plan), by the same query
            main = narrowed(every, main)
        full = _combine(main, [*site_filters, *category_filters], excluded)
        offset = (page - 1) * limit
        load = _DocLoader(searcher)  # a page read by the verbatim rule is not read again for its hit
        known: dict[str, int] | None = None  # the facets, when counted with the total
        if sort == "date":
            result = searcher.search(full, limit, count=True, order_by_field=f.PUBLISHED, offset=offset)
            # the "score" tantivy gives is the date itself: not a relevance score
            total, ranked = result.count, [(0.0, address) for _, address in result.hits]  # type: ignore[attr-defined]  # not in tantivy's stub
            copies: list[list[tantivy.DocAddress]] = [[] for _ in ranked]
        else:
            ranker = self._ranker(searcher, full, typed, alternatives, verbatim, load,
                                  legal_query=reference is not None)
            if collapse:
                # without a category filter, the facets count the same matches as the total
                total, ranked, copies, known = self._collapsed(searcher, full, ranker, offset, limit,
                                                               facets=facets and not categories)
            else:
                total, ranked = ranker(offset, limit)
                copies = [[] for _ in ranked]
        docs = [load(address) for _, address in ranked]
        hits = [_hit(doc, score) for doc, (score, _) in zip(docs, ranked, strict=True)]
        for hit, others in zip(hits, copies, strict=True):
            hit.duplicates = [str(load(a).get_first(f.URL) or "") for a in others]
        if collapse and sort != "date":
            hits, docs = _merge_near_copies(hits, docs, limit)
        stems = partial(self._stems, parsed, alternatives)

        def add_snippets(picked: Sequence[int]) -> None:
            chosen = list(picked)
            if chosen:
                self._add_snippets(searcher, full, [docs[i] for i in chosen], [hits[i] for i in chosen],
                                   stems)
        counts: dict[str, int] = {}
        distinct = collapse and sort != "date" and total <= collapse_.DISTINCT_EXACT
        if facets and distinct and known is not None:
            counts = known
        elif facets:
            facet_query = _combine(main, site_filters, excluded) if categories else full
            counts = self._facets(searcher, facet_query, distinct=distinct)
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
        parts = self._shards.map(lambda s: s._own_stats())
        by_category: dict[str, int] = {}
        for part in parts:
            for key, value in part["by_category"].items():
                by_category[key] = by_category.get(key, 0) + value
        return {
            "documents": sum(p["documents"] for p in parts),
            "by_category": by_category,
            "size_bytes": sum(p["size_bytes"] for p in parts),
            "segments": sum(p["segments"] for p in parts),
            "shards": [{"shard": n, **p} for n, p in enumerate(parts)],
        }

    def count(self) -> int:
        if self._shards is not None:
            return sum(self._shards.map(lambda s: int(s.searcher().num_docs)))
        return int(self.searcher().num_docs)

    def _own_stats(self) -> dict[str, Any]:
        searcher = self.searcher()
        by_category = self._facets(searcher, tantivy.Query.all_query())
        folder = self._meta.parent
        size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
        return {
            "documents": searcher.num_docs,
            "by_category": by_category,
            "size_bytes": size,
            "segments": searcher.num_segments,
        }

    def searcher(self) -> tantivy.Searcher:
        """The tantivy searcher on the latest commit (reloaded when ``meta.json`` changed)."""
        stamp = self._stamp()
        if stamp != self._meta_stamp:
            with self._lock:
                if stamp != self._meta_stamp:
                    self._searcher = self._fresh_searcher()
        return self._searcher

    # -- internals -----------------------------------------------------------

    def _stamp(self) -> tuple[int, int, int] | None:
        """Identity of the current ``meta.json`` (tantivy replaces it atomically on commit)."""
        try:
            st = self._meta.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ino, st.st_size)

    def _fresh_searcher(self) -> tantivy.Searcher:
        stamp = self._stamp()
        try:
            self._index.reload()
        except ValueError as exc:
            raise SearchIndexError(f"cannot reload the index at {self.path}: {exc}") from None
        self._meta_stamp = stamp
        return self._index.searcher()

    def _every_word(self, searcher: tantivy.Searcher, parsed: ParsedQuery, sort: Sort,
                    filters: list[tantivy.Query], excluded: list[tantivy.Query]) -> tantivy.Query | None:
        """The pages holding every plain word (``index.plan``), when at least ``min_matches`` of them
        pass the filters; ``None`` when the plan does not apply (few words, a small index, sorting by
        date) or they are too few (the full query answers)."""
        plan = self.plan
        if not plan.conjunctive_first or sort != "relevance" or searcher.num_docs < plan.min_docs:
            return None
        tokens = list(dict.fromkeys(token for _, token in self._builder.terms(" ".join(parsed.words))))
        if not plan.min_words <= len(tokens) <= plan.max_words:
            return None
        every = every_word(self._schema, tokens)
        # counting the conjunction costs a fraction of scoring the union it spares (about 1/4 over 1M pages)
        found = searcher.search(_combine(every, filters, excluded), 1, count=True).count  # type: ignore[attr-defined]  # not in tantivy's stub
        return every if int(found or 0) >= plan.min_matches else None

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

    def _ranker(self, searcher: tantivy.Searcher, query: tantivy.Query, parsed: ParsedQuery,
                alternatives: list[str], verbatim: bool,
                load: Callable[[tantivy.DocAddress], tantivy.Document], *, legal_query: bool = False
                ) -> Callable[[int, int], tuple[int, Hits]]:
        """``(offset, limit) -> (total, one page of BM25 hits)``, the best ``rescore_window`` re-scored
        with the phrase bonuses, then the best ``rerank_depth`` ordered by the learnt re-ranker
        (built once per search, however many pages collapsing reads)."""
        pays = verbatim or self._phrase_pays(searcher, parsed)  # a copied span of common words pays
        bonus = self._builder.proximity(parsed, alternatives) if pays else []
        recall = None
        # only for what may be a copied span (4+ words): over 1M pages, matching the phrase of a
        # few very common words on every page that holds them took "title words" queries' p99 to 150 ms
        exact = self._builder.exact(parsed) if bonus and self.tuning.phrase_recall and verbatim else []
        if exact:
            # the pages holding the words as a phrase, within what the query matches (filters too)
            Q, Occur = tantivy.Query, tantivy.Occur
            phrase = exact[0] if len(exact) == 1 else Q.boolean_query([(Occur.Should, q) for q in exact])
            recall = Q.boolean_query([(Occur.Must, Q.const_score_query(query, 0.0)), (Occur.Must, phrase)])
        text = " ".join(parsed.words)
        reranker = self.reranker
        depth = reranker.depth if reranker is not None else 0
        context = QueryContext(text, tuple(alternatives), legal_query, verbatim)

        def ranked(offset: int, limit: int) -> tuple[int, Hits]:
            if (not bonus and not depth) or offset >= max(self.tuning.rescore_window if bonus else 0, depth):
                result = searcher.search(query, limit, count=True, offset=offset)
                return int(result.count or 0), list(result.hits)  # type: ignore[attr-defined]  # not in tantivy's stub
            if bonus:
                window = max(self.tuning.rescore_window, offset + limit)
                total, hits = rescored(searcher, self._schema, query, bonus, window, recall)
                if verbatim:
                    hits = verbatim_first(load, hits, text, self.tuning.verbatim_window,
                                          self.tuning.verbatim_boost)
            else:
                result = searcher.search(query, max(depth, offset + limit), count=True)
                total, hits = int(result.count or 0), list(result.hits)  # type: ignore[attr-defined]  # not in tantivy's stub
            if reranker is not None:
                hits = reranker.rerank(searcher, context, hits)
            return total, hits[offset:offset + limit]

        return ranked

    def _phrase_pays(self, searcher: tantivy.Searcher, parsed: ParsedQuery) -> bool:
        """Whether the phrase bonus is worth its cost: not when every word is in most pages.

        "Article Code travail" over 1M pages: 80 ms of CPU with the bonus, 31 without, and a short
        phrase of words that common tells no page from another (a copied span of 4+ words always
        pays: skipping those took the copied phrases from 0.93 to 0.81).
        """
        tuning = self.tuning
        total = searcher.num_docs
        if tuning.common_word_share <= 0 or total * self._builder.shards < tuning.common_word_min_docs:
            return True
        terms = {token for _, token in self._builder.terms(" ".join(parsed.words))}
        limit = tuning.common_word_share * total
        return not terms or any(searcher.doc_freq(f.BODY, token) <= limit for token in terms)

    def _stems(self, parsed: ParsedQuery, alternatives: list[str]) -> set[str]:
        """The analysed terms of the query's words, phrases and alternatives (where snippets look)."""
        texts = [*parsed.words, *parsed.required, *parsed.phrases, *alternatives]
        return {token for text in texts for _, token in self._builder.terms(text)}

    def _add_snippets(self, searcher: tantivy.Searcher, query: tantivy.Query,
                      docs: list[tantivy.Document], hits: list[Hit],
                      stems: Callable[[], set[str]]) -> None:
        generator = tantivy.SnippetGenerator.create(searcher, query, self._schema, f.BODY)
        generator.set_max_num_chars(self.tuning.snippet_chars)
        terms: set[str] | None = None  # only analysed for a long body
        weights: dict[str, float] | None = None  # ... and weighed as tantivy's fragments weigh them
        analysed = self._analysed_words
        if len(analysed) > ANALYSED_WORDS:
            analysed.clear()  # a bound, not an LRU: the words of one search are looked up again at once
        for hit, doc in zip(hits, docs, strict=True):
            body = str(doc.get_first(f.BODY) or "")
            found = None
            if len(body) > snippets.PASSAGE_MIN_CHARS:
                terms = stems() if terms is None else terms
                if weights is None:
                    frequencies = {t: searcher.doc_freq(f.BODY, t) for t in terms}
                    weights = {t: 1.0 / (1 + n) for t, n in frequencies.items() if n > 0}
                cut = snippets.passage(body, weights, self.tuning.snippet_chars,
                                       lambda w: analysed[w] if w in analysed else
                                       analysed.setdefault(w, self._analysed(w)))
                if cut is not None:
                    source = _body(cut)
                    found = generator.snippet_from_doc(source)
                    found = found if found.highlighted() else None  # only another form of a word matched
            if found is None:
                source = doc
                if len(body) > snippets.EXCERPT_CHARS:
                    terms = stems() if terms is None else terms
                    source = _body(snippets.excerpt(body, terms))
                found = generator.snippet_from_doc(source)
            if snippets.has_junk(found.fragment()):
                # codes, dates or menu text in the best passage: the passage of the cleaned text
                # (cleaning only then: it costs more than the snippet itself on a long page)
                source = _body(snippets.clean(str(source.get_first(f.BODY) or "")))
                found = generator.snippet_from_doc(source)
            hit.snippet = snippets.render(found, partial(_summary, doc), self.tuning.snippet_chars)

    def _analysed(self, word: str) -> str | None:
        """The term the index holds for one word (``None``: a stop word)."""
        terms = self._builder.terms(word)
        return terms[0][1] if len(terms) == 1 else None

    def _corrected(self, searcher: tantivy.Searcher, query: str,
                   parsed: ParsedQuery) -> tuple[ParsedQuery, str | None]:
        """``parsed`` with its unknown words corrected (``index.fuzzy``), and the corrected query text."""
        if not parsed.words:
            return parsed, None
        correction = self._corrector.correct(searcher, " ".join(parsed.words))
        if correction is None:
            return parsed, None
        shown = query
        for original, better in correction.replaced:
            shown = re.sub(rf"(?<!\w){re.escape(original)}(?!\w)", better, shown, count=1)
        return replace(parsed, words=tuple(correction.text.split())), shown

    def _collapsed(self, searcher: tantivy.Searcher, query: tantivy.Query,
                   ranker: Callable[[int, int], tuple[int, Hits]], offset: int, limit: int, *,
                   facets: bool = False
                   ) -> tuple[int, Hits, list[list[tantivy.DocAddress]], dict[str, int] | None]:
        """One page of documents (copies under several URLs grouped), how many documents match, and
        with ``facets`` their counts per category when counted in the same pass (else ``None``)."""
        count = read = 0

        def top(size: int) -> Hits:
            nonlocal count, read
            count, hits = ranker(0, size)
            read = len(hits)
            return hits

        # one spare document: a near copy merged away on the page leaves it full
        groups, share = collapse_.grouped(searcher, top, offset + limit + NEAR_COPY_SPARE)
        groups = groups[offset:]
        total: int | None = round(count * share)
        counts = None
        # every match read: their documents are counted already (an aggregation costs ~1 ms even then)
        if 0 < count <= collapse_.DISTINCT_EXACT and (facets or count > read):
            both = collapse_.distinct_total_and_facets(searcher, query) if facets else None
            if both is None:
                total = collapse_.distinct_total(searcher, query)
            else:
                total, counts = both
        return (count if total is None else total, [(g.score, g.address) for g in groups],
                [g.copies for g in groups], counts)

    def _facets(self, searcher: tantivy.Searcher, query: tantivy.Query, *,
                distinct: bool = False) -> dict[str, int]:
        if distinct:
            counts = collapse_.distinct_facets(searcher, query)
            if counts is not None:
                return counts
        agg = {"categories": {"terms": {"field": f.CATEGORY, "size": 100}}}
        try:
            buckets = searcher.aggregate(query, agg)["categories"]["buckets"]
        except (ValueError, KeyError):
            return {}
        return {b["key"]: int(b["doc_count"]) for b in buckets if b.get("key")}


class _DocLoader:
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


def _merge_near_copies(hits: list[Hit], docs: list[tantivy.Document],
                       limit: int) -> tuple[list[Hit], list[tantivy.Document]]:
    """Hits whose page repeats a better one (same title, near-identical text) go under it."""
    merged = collapse_.near_copies(docs)
    for copy, kept in merged.items():
        hits[kept].duplicates += [hits[copy].url, *hits[copy].duplicates]
    pairs = [(h, d) for i, (h, d) in enumerate(zip(hits, docs, strict=True)) if i not in merged][:limit]
    return [h for h, _ in pairs], [d for _, d in pairs]


def _hit(doc: tantivy.Document, score: Any) -> Hit:
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


def _body(text: str) -> tantivy.Document:
    """A document of ``text`` alone, as the body (what the snippet generator reads)."""
    doc = tantivy.Document()
    doc.add_text(f.BODY, text)
    return doc


def _summary(doc: tantivy.Document) -> str:
    return str(doc.get_first(f.DESCRIPTION) or doc.get_first(f.BODY) or "")


def _combine(main: tantivy.Query, filters: list[tantivy.Query],
             excluded: list[tantivy.Query]) -> tantivy.Query:
    if not filters and not excluded:
        return main
    clauses = [(tantivy.Occur.Must, main)]
    clauses += [(tantivy.Occur.Must, tantivy.Query.const_score_query(q, 0.0)) for q in filters]
    clauses += [(tantivy.Occur.MustNot, q) for q in excluded]
    return tantivy.Query.boolean_query(clauses)


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)]


def _as_date(value: Any) -> date | None:
    return value if isinstance(value, date) else None


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
