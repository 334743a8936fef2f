"""The query plan: the selective form of a query first, the full one only when it finds too little.

tantivy-py collects every search through a ``MultiCollector`` (hits and
count), so tantivy's block-max WAND never skips a document: a query costs
every page its union of words matches.  Most agents' queries are answered
by pages holding all their words.  The searcher first counts the pages
holding every word (each in some text field: a conjunction, which visits
the rarest word's postings and seeks the others); when at least
``min_matches`` pages pass, the query is that conjunction (at a constant
score of 0) with the scoring query as an optional clause, so the pages
keep the full query's own scores and only they are scored.  Fewer (a word
missing from the best page, a synonym the page uses rather than the typed
word): the full query answers, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import tantivy

from index import schema as f

Occur = tantivy.Occur
Query = tantivy.Query


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """How :class:`index.searcher.Searcher` plans a query (bench/bench_scale.py measures each knob)."""

    #: search the pages holding every word first (off: the full query at once, as before issue 18).
    #: Off by default: it halves the main search of a 2-3-word query (one 2,500,000-page shard: raw
    #: p50 3.5 + 1.9 ms for the count, against 7.5 ms), but the whole query's CPU p50 did not fall
    #: (shard of 2.5M pages: 13.5 against 11.8 ms; 12.5 against 12.1 with exact totals up to 1,000
    #: only), nor over 1M pages, and the hand-written set's held-out MRR@10 lost 0.008 (bench/bench_scale.py,
    #: bench/scale_relevance.py, docs/index.md)
    conjunctive_first: bool = False
    #: ... and keep that answer when it matches at least this many pages
    min_matches: int = 50
    #: ... on queries of at least this many distinct analysed words (one word: nothing to narrow)
    min_words: int = 2
    #: ... and at most this many: a copied span of 4+ words already matches few pages through its
    #: rare words, and counting its conjunction first made them slower (CPU p50 0.7-0.8x over 1M pages)
    max_words: int = 3
    #: ... on indexes (or shards) of at least this many pages: small ones gain nothing
    min_docs: int = 50_000


def every_word(schema: tantivy.Schema, tokens: Iterable[str]) -> Query:
    """The pages holding every analysed word, each in some text field (a conjunction of unions)."""
    anywhere = [
        Query.boolean_query([(Occur.Should, Query.term_query(schema, name, token)) for name in f.TEXT_FIELDS])
        for token in dict.fromkeys(tokens)
    ]
    return Query.boolean_query([(Occur.Must, query) for query in anywhere])


def narrowed(every: Query, scoring: Query) -> Query:
    """The pages of ``every``, each scored by ``scoring`` alone (an optional clause: seeked, not unioned)."""
    return Query.boolean_query([(Occur.Must, Query.const_score_query(every, 0.0)), (Occur.Should, scoring)])


def combined(main: Query, filters: list[Query], excluded: list[Query]) -> Query:
    """``main`` within the ``filters`` (scoring nothing) and without the ``excluded`` pages."""
    if not filters and not excluded:
        return main
    clauses = [(Occur.Must, main)]
    clauses += [(Occur.Must, Query.const_score_query(q, 0.0)) for q in filters]
    clauses += [(Occur.MustNot, q) for q in excluded]
    return Query.boolean_query(clauses)


def selective(plan: QueryPlan, searcher: tantivy.Searcher, schema: tantivy.Schema, tokens: list[str],
              filters: list[Query], excluded: list[Query]) -> Query | None:
    """The pages holding every analysed word of ``tokens``, when at least ``min_matches`` of them pass
    the filters; ``None`` when the plan does not apply (off, too few or too many words, a small index)
    or they are too few (the full query answers)."""
    if not plan.conjunctive_first or searcher.num_docs < plan.min_docs:
        return None
    if not plan.min_words <= len(tokens) <= plan.max_words:
        return None
    every = every_word(schema, tokens)
    # counting the conjunction costs a fraction of scoring the union it spares (about 1/4 over 1M pages)
    found = searcher.search(combined(every, filters, excluded), 1, count=True).count  # type: ignore[attr-defined]  # not in tantivy's stub
    return every if int(found or 0) >= plan.min_matches else None
