"""Turn a :class:`~index.query.ParsedQuery` into tantivy queries, with the tuning's weights.

Shape of the scoring query::

    words   = Should( DisMax(title^b, headings^b, ...)^w for each distinct word
                      of the query and of its synonym alternatives )
              (w = 1 for the query's words, + synonym_weight per alternative using it)
              on large indexes, words in more than common_word_share of the pages
              only score the pages holding a rarer word; when those are few
              (sparse_share), each such word is a sum of per-field terms, one
              nested optional clause per term (see :meth:`QueryBuilder._lookups`)
    Must    each +word and each "phrase" (in any text field); the words are then
            a Should clause that only ranks what those match
    MustNot each -word / -"phrase" (in any text field)          (searcher)
    Must    filters (site, category) with a constant score of 0  (searcher)

A query that names the law is wrapped by :class:`index.legal_query.LegalScoring`; this builder
knows nothing of legal texts.

The proximity bonus (a sloppy phrase of all the words on ``proximity_fields``) is
a separate query, :meth:`QueryBuilder.proximity`: the searcher applies it
only to the best ``rescore_window`` results, because matching phrases on
every page holding a common word is what made queries over a million
pages slow.

Every term goes through the same French analyzer as the documents, so
what the analyzer drops (stop words, elided articles) is dropped here too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import tantivy

from index import schema as f
from index.query import ParsedQuery
from index.tuning import SearchTuning

Occur = tantivy.Occur
Query = tantivy.Query
Terms = list[tuple[int, str]]  # (position, token)


class QueryBuilder:
    def __init__(self, schema: tantivy.Schema, analyzer: tantivy.TextAnalyzer, tuning: SearchTuning) -> None:
        self._schema = schema
        self._analyzer = analyzer
        self._tuning = tuning
        self._boosts = {name: tuning.field_boosts.get(name, 1.0) for name in f.TEXT_FIELDS}
        #: the shards of the index this builder's searcher is one of: the common-word rule applies
        #: from the whole index's size, not one shard's (each shard's own share decides the words)
        self.shards = 1

    def terms(self, text: str) -> Terms:
        return [(t.position, t.text) for t in self._analyzer.pre_tokenize(text).tokens]

    def scoring(self, parsed: ParsedQuery, alternatives: Sequence[str] = (),
                searcher: tantivy.Searcher | None = None) -> Query | None:
        """The query that matches and scores; ``None`` when the text analyses to nothing.

        With a ``searcher``, words found in more than ``common_word_share`` of
        a large index only add to the score of pages that hold a rarer word
        of the query (see :meth:`_split_common`).
        """
        alternatives = alternatives[: self._tuning.max_synonyms]
        words: Query | None
        if self._tuning.minimum_should_match > 0:
            words = self._words_query(" ".join(parsed.words))
            if words is not None and alternatives:
                shoulds = [(Occur.Should, words)]
                for alternative in alternatives:
                    alt = self._words_query(alternative)
                    if alt is not None:
                        shoulds.append((Occur.Should, Query.boost_query(alt, self._tuning.synonym_weight)))
                words = Query.boolean_query(shoulds)
        else:
            words = self._weighted_words_query(" ".join(parsed.words), alternatives, searcher)
        must = [q for q in (self._anywhere(text, slop=0) for text in (*parsed.required, *parsed.phrases))
                if q is not None]
        if not must:
            return words
        # with +words or "phrases" required, the plain words only rank what those match
        clauses = [(Occur.Must, q) for q in must]
        if words is not None:
            clauses.append((Occur.Should, words))
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    def proximity(self, parsed: ParsedQuery, alternatives: Sequence[str] = ()) -> list[Query]:
        """Bonus queries for pages where the words appear close together (may be empty).

        Each alternative phrasing of the words gets the same bonus, weighted
        ``synonym_weight`` as its words are: without it, the bonus pushed back
        the pages that match through a synonym.
        """
        tuning = self._tuning
        if tuning.proximity_boost <= 0 and tuning.phrase_boost <= 0:
            return []
        out = self._exact(" ".join(parsed.words))
        if tuning.proximity_synonyms:  # a page matching through a synonym gets its phrase too
            for text in alternatives[: tuning.max_synonyms]:
                out += self._exact(text, tuning.synonym_weight)
        if tuning.proximity_boost <= 0:
            return out
        phrasings = [(" ".join(parsed.words), 1.0)]
        if self._tuning.proximity_synonyms:
            weight = self._tuning.synonym_weight
            phrasings += [(text, weight) for text in alternatives[: self._tuning.max_synonyms]]
        for text, weight in phrasings:
            terms = self.terms(text)
            if weight <= 0 or len({token for _, token in terms}) < 2:
                continue
            for name in self._tuning.proximity_fields:
                phrase = Query.phrase_query(self._schema, name, terms, slop=self._tuning.proximity_slop)  # type: ignore[arg-type]  # tantivy's stub: any list
                boost = self._tuning.proximity_boost * self._boosts.get(name, 1.0) * weight
                out.append(Query.boost_query(phrase, boost))
        return out

    def exact(self, parsed: ParsedQuery) -> list[Query]:
        """The words as an exact phrase in each ``phrase_fields`` (empty for fewer than two words)."""
        return self._exact(" ".join(parsed.words))

    def _exact(self, text: str, weight: float = 1.0) -> list[Query]:
        """The words as an exact phrase (the gaps of dropped stop words kept) in each ``phrase_fields``.

        A span copied from a page ("le délai de prévenance ne peut être") is
        found as it is written; the words alone, most of them common, rank
        every page that repeats them apart.
        """
        terms = self.terms(text)
        if self._tuning.phrase_boost <= 0 or len(terms) < 2:
            return []
        start = terms[0][0]
        terms = [(position - start, token) for position, token in terms]
        # a longer phrase found as it is written is stronger evidence: weight grows with its words
        weight *= self._tuning.phrase_boost * (len(terms) - 1 if self._tuning.phrase_per_word else 1)
        return [Query.boost_query(Query.phrase_query(self._schema, name, terms),  # type: ignore[arg-type]  # tantivy's stub: any list
                                  weight * self._boosts.get(name, 1.0))
                for name in self._tuning.phrase_fields]

    def excluded(self, parsed: ParsedQuery) -> list[Query]:
        found = (self._anywhere(text, slop=0, boosted=False) for text in parsed.excluded)
        return [q for q in found if q is not None]

    def filters(self, sites: Sequence[str], categories: Sequence[str]) -> list[Query]:
        out: list[Query] = []
        if sites:
            out.append(Query.term_set_query(self._schema, f.SITE, list(dict.fromkeys(sites))))
        if categories:
            out.append(Query.term_set_query(self._schema, f.CATEGORY, list(dict.fromkeys(categories))))
        return out

    # -- pieces ------------------------------------------------------------

    def _weighted_words_query(self, text: str, alternatives: Sequence[str],
                              searcher: tantivy.Searcher | None) -> Query | None:
        """The words and their alternatives, each distinct term queried once.

        Scores exactly as ``Should(words, alternative^w, ...)`` would (a sum is
        a sum), but a word shared by the query and its alternatives
        ("remboursement" in "remboursement sonotone" and "remboursement
        prothèses auditives") reads its postings once: half the time on
        a million pages.
        """
        originals = list(dict.fromkeys(token for _, token in self.terms(text)))
        weights: dict[str, float] = dict.fromkeys(originals, 1.0)
        if not weights:
            return None
        for alternative in alternatives:
            for token in dict.fromkeys(token for _, token in self.terms(alternative)):
                weights[token] = weights.get(token, 0.0) + self._tuning.synonym_weight
        rare, common, rare_pages = self._split_common(weights, searcher, originals)
        if common and rare:
            if searcher is not None and rare_pages <= self._tuning.sparse_share * searcher.num_docs:
                return self._lookups(self._union(rare), common)
            return Query.boolean_query([(Occur.Must, self._union(rare)), (Occur.Should, self._union(common))])
        return self._union(weights)

    def _lookups(self, required: Query, common: dict[str, float]) -> Query:
        """``required`` plus each very common word, looked up field by field in the pages it matches.

        A union (of fields in a dis-max, of words) scores every page of its
        postings in 4,096-document windows, even as the optional part of a
        query: a common word then cost its whole postings (``travail`` is in
        61% of the synthetic titles) for a few thousand matching pages.  One
        term per nested optional clause is looked up page by page through the
        skip lists instead (``plomb saturnisme travail``: 3.8 -> 1.0 ms over
        1M pages).  A term query cannot take a maximum over fields, so a
        common word scores here as the sum of its fields; on many matching
        pages the nested lookups cost more than the union, hence ``sparse_share``.
        """
        query = required
        for token, weight in common.items():
            for name, boost in self._boosts.items():
                if boost > 0:
                    term = Query.boost_query(Query.term_query(self._schema, name, token), boost * weight)
                    query = Query.boolean_query([(Occur.Must, query), (Occur.Should, term)])
        return query

    def _split_common(self, weights: dict[str, float], searcher: tantivy.Searcher | None,
                      originals: Sequence[str]) -> tuple[dict[str, float], dict[str, float], int]:
        """Split the words into rare and very common ones (by document frequency in the body).

        A word in most pages (``travail`` among the Code du travail's
        articles) barely moves BM25 but its postings cost most of a query's
        time over a million pages.  When the query itself has a rarer word
        that some page holds, the common words are only looked up in the
        pages matching a rarer word (of the query or of its alternatives).
        The third value is the sum of the rare words' document frequencies
        (an upper bound of the pages holding one in their body).
        """
        share = self._tuning.common_word_share
        if searcher is None or share <= 0 or len(weights) < 2:
            return weights, {}, 0
        total = searcher.num_docs
        if total * self.shards < self._tuning.common_word_min_docs:
            return weights, {}, 0
        limit = share * total
        frequency = {token: searcher.doc_freq(f.BODY, token) for token in weights}
        if not any(0 < frequency[token] <= limit for token in originals):
            return weights, {}, 0
        rare = {t: w for t, w in weights.items() if frequency[t] <= limit}
        common = {t: w for t, w in weights.items() if frequency[t] > limit}
        return rare, common, sum(frequency[t] for t in rare)

    def _union(self, weights: dict[str, float]) -> Query:
        clauses = []
        for token, weight in weights.items():
            if self._tuning.tie_breaker >= 1.0:
                # a dis-max that sums every field is a plain sum: one flat union of term
                # queries, which tantivy scores about twice as fast as nested dis-maxes
                clauses += [(Occur.Should, Query.boost_query(Query.term_query(self._schema, name, token),
                                                             boost * weight))
                            for name, boost in self._boosts.items() if boost > 0]
                continue
            query = self._term_everywhere(token)
            clauses.append((Occur.Should, query if weight == 1.0 else Query.boost_query(query, weight)))
        return Query.boolean_query(clauses)

    def _words_query(self, text: str) -> Query | None:
        terms = self.terms(text)
        distinct = list(dict.fromkeys(token for _, token in terms))
        if not distinct:
            return None
        clauses = [(Occur.Should, self._term_everywhere(token)) for token in distinct]
        needed = math.ceil(self._tuning.minimum_should_match * len(distinct))
        if needed > 1:
            return Query.boolean_query(clauses, minimum_number_should_match=needed)
        return Query.boolean_query(clauses)

    def _term_everywhere(self, token: str) -> Query:
        per_field = [
            Query.boost_query(Query.term_query(self._schema, name, token), boost)
            for name, boost in self._boosts.items() if boost > 0
        ]
        return Query.disjunction_max_query(per_field, tie_breaker=self._tuning.tie_breaker)

    def phrase(self, name: str, text: str) -> Query | None:
        """``text`` as a phrase (or a single term) in field ``name``, analysed as the documents are."""
        terms = self.terms(text)
        if not terms:
            return None
        if len(terms) == 1:
            return Query.term_query(self._schema, name, terms[0][1])
        return Query.phrase_query(self._schema, name, terms)  # type: ignore[arg-type]  # tantivy's stub: any list

    def _anywhere(self, text: str, *, slop: int, boosted: bool = True) -> Query | None:
        """``text`` as a phrase (or a single term) in any text field."""
        terms = self.terms(text)
        if not terms:
            return None
        if len(terms) == 1:
            if boosted:
                return self._term_everywhere(terms[0][1])
            return Query.boolean_query(
                [(Occur.Should, Query.term_query(self._schema, n, terms[0][1])) for n in f.TEXT_FIELDS]
            )
        per_field = []
        for name in f.TEXT_FIELDS:
            phrase = Query.phrase_query(self._schema, name, terms, slop=slop)  # type: ignore[arg-type]  # tantivy's stub: any list
            per_field.append(Query.boost_query(phrase, self._boosts[name]) if boosted else phrase)
        return Query.disjunction_max_query(per_field, tie_breaker=self._tuning.tie_breaker)
