"""Scoring for a query that names the law: legal pages first, the cited article above all.

:mod:`index.legal` reads the intent from the words (which code, which article numbers);
this module turns it into tantivy clauses around the generic scoring query of
:class:`~index.querybuild.QueryBuilder`, with the tuning's legal weights
(``legal_sites``, ``legal_boost``, ``article_boost``, ``legal_pair_*``, ``legislative_boost``).
The generic builder knows nothing of legal texts; everything specific to them is here.
"""

from __future__ import annotations

import tantivy

from index import schema as f
from index.legal import LEGISLATIVE_TITLE_TERM, LegalReference
from index.querybuild import QueryBuilder
from index.tuning import SearchTuning

Occur = tantivy.Occur
Query = tantivy.Query


class LegalScoring:
    """Wraps a scoring query for a :class:`~index.legal.LegalReference` (terms analysed by ``builder``)."""

    def __init__(self, schema: tantivy.Schema, builder: QueryBuilder, tuning: SearchTuning) -> None:
        self._schema = schema
        self._builder = builder
        self._tuning = tuning

    def wrap(self, scoring: Query, reference: LegalReference) -> Query:
        """``scoring`` for a query that names the law: legal pages first, the cited article above all.

        Pages of ``legal_sites`` (of the named code, when the query names
        one: its name is in their title) score ``legal_boost`` times as much;
        a multiplier rather than a constant, because BM25 scores grow with
        the length of the query.  The title phrase of each cited article
        number ranks that article first ("L1234-9" is the phrase ``l1234 9``:
        a shorter title, "L1234-9" rather than "L1234-9-1", scores higher).
        """
        clauses = [(Occur.Should, scoring)]
        sites = list(dict.fromkeys(self._tuning.legal_sites))
        if sites and self._tuning.legal_boost > 1.0:
            on_legal_site = Query.term_set_query(self._schema, f.SITE, sites)
            in_code = [(Occur.Must, Query.const_score_query(on_legal_site, 0.0))]
            code = self._builder.phrase(f.TITLE, reference.code) if reference.code else None
            if code is not None:
                in_code.append((Occur.Must, Query.const_score_query(code, 0.0)))
            legal = [(Occur.Must, scoring), *in_code]
            clauses.append((Occur.Should, Query.boost_query(Query.boolean_query(legal),
                                                            self._tuning.legal_boost - 1.0)))
            clauses += self._among_articles(scoring, in_code, reference)
        for number in reference.articles:
            title = self._builder.phrase(f.TITLE, number)
            if title is not None and self._tuning.article_boost > 0:
                clauses.append((Occur.Should, Query.boost_query(title, self._tuning.article_boost)))
        return clauses[0][1] if len(clauses) == 1 else Query.boolean_query(clauses)

    def _among_articles(self, scoring: Query, in_code: list[tuple[Occur, Query]],
                        reference: LegalReference) -> list[tuple[Occur, Query]]:
        """Clauses that rank the legal pages among themselves (only the pages ``in_code`` score them).

        An article's title is only its number, so the articles of a section
        compete on their text alone, and a neighbour that repeats the query's
        words more often comes first.  Two signals, both general to legal texts:

        * *pairs*: each two consecutive words of the query found within
          ``legal_pair_slop`` positions of each other in the body
          (``repos quotidien ... onze heures consécutives``): the article
          that states the rule uses the agent's words together, a neighbour
          that mentions them in passing does not;
        * *legislative part*: unless the query cites a regulatory number
          (R, D), the articles of the legislative part (title ``L1234-5``)
          score ``legislative_boost`` times more of ``scoring``: the law
          states the rule, the regulatory articles its details.
        """
        out: list[tuple[Occur, Query]] = []
        pairs = self._pairs(" ".join(reference.parsed.words))
        if pairs and self._tuning.legal_pair_boost > 0:
            found = Query.boolean_query([(Occur.Should, q) for q in pairs])
            query = Query.boolean_query([*in_code, (Occur.Must, found)])
            out.append((Occur.Should, Query.boost_query(query, self._tuning.legal_pair_boost)))
        regulatory = any(number[0] in "RD" for number in reference.articles)
        if self._tuning.legislative_boost > 0 and not regulatory:
            legislative = Query.regex_query(self._schema, f.TITLE, LEGISLATIVE_TITLE_TERM)
            query = Query.boolean_query([(Occur.Must, scoring), *in_code,
                                         (Occur.Must, Query.const_score_query(legislative, 0.0))])
            out.append((Occur.Should, Query.boost_query(query, self._tuning.legislative_boost)))
        return out

    def _pairs(self, text: str) -> list[Query]:
        """A sloppy body phrase for each two consecutive distinct words of ``text``."""
        terms = self._builder.terms(text)
        out: list[Query] = []
        seen: set[tuple[str, str]] = set()
        for (first, one), (second, other) in zip(terms, terms[1:], strict=False):
            if one == other or (one, other) in seen:
                continue
            seen.add((one, other))
            # the analyzer's positions keep the gap a dropped stop word left ("durée du travail")
            out.append(Query.phrase_query(self._schema, f.BODY, [(0, one), (second - first, other)],
                                          slop=self._tuning.legal_pair_slop))
        return out
