"""What the learnt re-ranker (:mod:`index.rerank`) knows of each candidate page of a query.

Every value comes from the index, never from a stored document: reading 50
documents (decompressing their blocks) cost about 1.5 ms on the 19,256-page
corpus, more than the whole search.  Each feature group is one tantivy search
restricted to the candidates (their ``uid`` terms, as :mod:`index.rescoring`
does), so its cost grows with the candidates, not with the index.

The features, in the order the model reads them (:data:`FEATURES`):

* the first stage's verdict: the page's rank, its score over the best score;
* the share of the query's words the title holds, the body holds, and of the
  synonym alternatives' own words the title holds;
* the share of the query's consecutive word pairs found as phrases in the body;
* 0/1: the query's words as an exact phrase in the title, in the body, within
  ``NEAR_SLOP`` positions in the title, in the body; a page of a legal site
  (``SearchTuning.legal_sites``); a tool page (a title word of
  ``SearchTuning.tool_title_words``: a form, an online service...);
* the query: its analysed words, whether it names the law, its alternatives,
  whether it may be a copied span (``verbatim_min_words`` words or more).

One search gives them all: the counts and the 0/1 features are packed into
the digits of its score (:meth:`FeatureBuilder._packed`).  Per-field BM25
scores of the words, the score of the query without its phrase bonus, the word
pairs in the title and the synonym alternatives' pairs were tried as features
too (more searches): the same MRR@10 in cross-validation (within 0.005 on every
set), at two to three times the cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import tantivy

from index import schema as f
from index.querybuild import QueryBuilder
from index.tuning import SearchTuning

Occur = tantivy.Occur
Query = tantivy.Query
Hits = list[tuple[float, tantivy.DocAddress]]
Key = tuple[int, int]

FEATURES: tuple[str, ...] = (
    "rank", "score_share",
    "title_share", "body_share", "alt_title_share", "body_pairs",
    "phrase_title", "phrase_body", "near_title", "near_body", "legal_page", "tool_page",
    "terms", "legal_query", "alternatives", "long_query",
)
#: the 0/1 features, in the order of their bits
_FLAGS = ("phrase_title", "phrase_body", "near_title", "near_body", "legal_page", "tool_page")
#: every feature but the rank and score is read in one search: each count is a digit of base
#: ``DIGIT`` (its clauses score ``DIGIT**i`` each), the 0/1 features bits above them; a tantivy
#: score (f32, 24 bits of mantissa) holds the four counts and six bits (22 bits) exactly.  Counts
#: stop at ``DIGIT - 1``: the words beyond the 15th of a query are not counted
DIGIT = 16
COUNTS = 4
#: how far apart the words may be for the ``near_*`` features
NEAR_SLOP = 3


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What the re-ranker knows of the query: its words as searched, their alternatives."""

    text: str
    alternatives: tuple[str, ...] = ()
    legal: bool = False
    verbatim: bool = False


def key(address: tantivy.DocAddress) -> Key:
    return (address.segment_ord, address.doc)


class FeatureBuilder:
    """The rows of :data:`FEATURES` for a query's candidates."""

    def __init__(self, schema: tantivy.Schema, builder: QueryBuilder, tuning: SearchTuning) -> None:
        self._schema = schema
        self._builder = builder
        # unions of term queries: a term set query costs more than the whole rest on 30 candidates
        self._legal_sites = _union(schema, f.SITE, tuning.legal_sites)
        self._tools = _union(schema, f.TITLE, [token for word in tuning.tool_title_words
                                               for _, token in builder.terms(word)])
        self._long = tuning.verbatim_min_words

    def rows(self, searcher: tantivy.Searcher, context: QueryContext, hits: Hits) -> list[list[float]]:
        """One row per hit of ``hits`` (the first stage's order, best first), in that order."""
        if not hits:
            return []
        addresses = [address for _, address in hits]
        ids = searcher.fast_field_values(f.UID, addresses)
        candidates = Query.const_score_query(Query.boolean_query(
            [(Occur.Should, Query.term_query(self._schema, f.UID, uid)) for uid in ids if uid is not None]
        ), 0.0)

        terms = self._builder.terms(context.text)[: DIGIT - 1]
        words = list(dict.fromkeys(token for _, token in terms))
        extra = list(dict.fromkeys(token for text in context.alternatives
                                   for _, token in self._builder.terms(text) if token not in words))
        extra = extra[: DIGIT - 1]
        pairs = [terms[i:i + 2] for i in range(len(terms) - 1)]
        counts = [
            [self._term(f.TITLE, w) for w in words],
            [self._term(f.BODY, w) for w in words],
            [self._term(f.TITLE, w) for w in extra],
            [self._phrase(f.BODY, pair, 0) for pair in pairs],
        ]
        # each clause nested as the optional part of the one before: looked up page by page through
        # its skip lists (a union of them scored whole 4,096-page windows of every posting list)
        restricted = candidates
        for clause, unit in self._packed(counts, self._flags(terms)):
            restricted = Query.boolean_query([(Occur.Must, restricted),
                                              (Occur.Should, Query.const_score_query(clause, unit))])
        packed = {key(a): float(s) for s, a in searcher.search(restricted, len(hits), count=False).hits}
        best = max(score for score, _ in hits) or 1.0
        per_query = [float(len(words)), float(context.legal), float(len(context.alternatives)),
                     float(len(terms) >= self._long)]
        rows = []
        for rank, (score, address) in enumerate(hits):
            at = key(address)
            title_n, body_n, alt_n, body_p, bits = _digits(packed.get(at, 0.0), COUNTS)
            rows.append([
                float(rank), score / best,
                title_n / max(1, len(words)), body_n / max(1, len(words)), alt_n / max(1, len(extra)),
                body_p / max(1, len(pairs)),
                *(float(bits >> bit & 1) for bit in range(len(_FLAGS))),
                *per_query,
            ])
        return rows

    def _term(self, name: str, word: str) -> tantivy.Query:
        return Query.term_query(self._schema, name, word)

    def _phrase(self, name: str, terms: Sequence[tuple[int, str]], slop: int) -> tantivy.Query:
        """``terms`` as a phrase in field ``name``, the gaps of dropped stop words kept."""
        start = terms[0][0]
        shifted = [(position - start, token) for position, token in terms]
        return Query.phrase_query(self._schema, name, shifted, slop=slop)  # type: ignore[arg-type]  # tantivy's stub: any list

    def _flags(self, terms: Sequence[tuple[int, str]]) -> list[tantivy.Query]:
        """The queries of :data:`_FLAGS` (an empty query where the flag cannot hold)."""
        empty = Query.empty_query()
        if len(terms) < 2:
            phrases = [empty] * 4
        else:
            phrases = [self._phrase(name, terms, slop)
                       for slop in (0, NEAR_SLOP) for name in (f.TITLE, f.BODY)]
        return [*phrases, self._legal_sites or empty, self._tools or empty]

    def _packed(self, counts: Sequence[Sequence[tantivy.Query]],
                flags: Sequence[tantivy.Query]) -> list[tuple[tantivy.Query, float]]:
        """Each clause and its score: ``DIGIT**i`` for count ``i``, ``DIGIT**COUNTS * 2**j`` for flag
        ``j``."""
        clauses = [(q, float(DIGIT ** i)) for i, queries in enumerate(counts) for q in queries]
        return clauses + [(q, float(DIGIT ** len(counts) * 2 ** j)) for j, q in enumerate(flags)]


def _union(schema: tantivy.Schema, name: str, terms: Sequence[str]) -> tantivy.Query | None:
    """Any of ``terms`` in field ``name`` (a flag's constant score counts a page once, whatever it holds)."""
    if not terms:
        return None
    return Query.boolean_query([(Occur.Should, Query.term_query(schema, name, term))
                                for term in dict.fromkeys(terms)])


def _digits(value: float, count: int) -> list[int]:
    """The ``count`` base-``DIGIT`` digits of a packed score, lowest first, and what is above them."""
    number = int(value + 0.5)
    out = []
    for _ in range(count):
        number, digit = divmod(number, DIGIT)
        out.append(digit)
    return [*out, number]
