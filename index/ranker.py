"""The first stage's order of one query: BM25F, then the phrase bonuses and the verbatim rule on the
best candidates, then (when on) the learnt re-ranker.

A search asks for pages by ``(offset, limit)`` (collapsing copies may ask
for more than one page); the bonuses and the re-ranker apply to the best
``rescore_window`` / ``rerank_depth`` candidates, pages beyond them keep
their BM25 order.
"""

from __future__ import annotations

from collections.abc import Callable

import tantivy

from index import schema as f
from index.features import QueryContext
from index.query import ParsedQuery
from index.querybuild import QueryBuilder
from index.rerank import Reranker
from index.rescoring import rescored, verbatim_first
from index.tuning import SearchTuning

Hits = list[tuple[float, tantivy.DocAddress]]
#: ``(offset, limit) -> (how many pages match, that page of hits)``
Pager = Callable[[int, int], tuple[int, Hits]]


class Ranking:
    """How the pages matching a query are ordered (one per searcher: it holds no search's state)."""

    def __init__(self, schema: tantivy.Schema, builder: QueryBuilder, tuning: SearchTuning) -> None:
        self._schema = schema
        self._builder = builder
        self._tuning = tuning

    def pager(self, searcher: tantivy.Searcher, query: tantivy.Query, parsed: ParsedQuery,
              alternatives: list[str], verbatim: bool, load: Callable[[tantivy.DocAddress], tantivy.Document],
              reranker: Reranker | None, *, legal_query: bool = False) -> Pager:
        """The pages of ``query``, the best ``rescore_window`` re-scored with the phrase bonuses, then
        the best ``rerank_depth`` ordered by ``reranker`` (built once per search, however many pages
        collapsing reads); ``load`` reads a stored page (the verbatim rule looks into them)."""
        tuning = self._tuning
        pays = verbatim or self.phrase_pays(searcher, parsed)  # a copied span of common words pays
        bonus = self._builder.proximity(parsed, alternatives) if pays else []
        recall = None
        # only for what may be a copied span (4+ words): over 1M pages, matching the phrase of a
        # few very common words on every page that holds them took "title words" queries' p99 to 150 ms
        exact = self._builder.exact(parsed) if bonus and tuning.phrase_recall and verbatim else []
        if exact:
            # the pages holding the words as a phrase, within what the query matches (filters too)
            Q, Occur = tantivy.Query, tantivy.Occur
            phrase = exact[0] if len(exact) == 1 else Q.boolean_query([(Occur.Should, q) for q in exact])
            recall = Q.boolean_query([(Occur.Must, Q.const_score_query(query, 0.0)), (Occur.Must, phrase)])
        text = " ".join(parsed.words)
        depth = reranker.depth if reranker is not None else 0
        context = QueryContext(text, tuple(alternatives), legal_query, verbatim)

        def ranked(offset: int, limit: int) -> tuple[int, Hits]:
            if (not bonus and not depth) or offset >= max(tuning.rescore_window if bonus else 0, depth):
                result = searcher.search(query, limit, count=True, offset=offset)
                return int(result.count or 0), list(result.hits)  # type: ignore[attr-defined]  # not in tantivy's stub
            if bonus:
                window = max(tuning.rescore_window, offset + limit)
                total, hits = rescored(searcher, self._schema, query, bonus, window, recall)
                if verbatim:
                    hits = verbatim_first(load, hits, text, tuning.verbatim_window, tuning.verbatim_boost)
            else:
                result = searcher.search(query, max(depth, offset + limit), count=True)
                total, hits = int(result.count or 0), list(result.hits)  # type: ignore[attr-defined]  # not in tantivy's stub
            if reranker is not None:
                hits = reranker.rerank(searcher, context, hits)
            return total, hits[offset:offset + limit]

        return ranked

    def phrase_pays(self, searcher: tantivy.Searcher, parsed: ParsedQuery) -> bool:
        """Whether the phrase bonus is worth its cost: not when every word is in most pages.

        "Article Code travail" over 1M pages: 80 ms of CPU with the bonus, 31 without, and a short
        phrase of words that common tells no page from another (a copied span of 4+ words always
        pays: skipping those took the copied phrases from 0.93 to 0.81).
        """
        tuning = self._tuning
        total = searcher.num_docs
        if tuning.common_word_share <= 0 or total * self._builder.shards < tuning.common_word_min_docs:
            return True
        terms = {token for _, token in self._builder.terms(" ".join(parsed.words))}
        limit = tuning.common_word_share * total
        return not terms or any(searcher.doc_freq(f.BODY, token) <= limit for token in terms)
