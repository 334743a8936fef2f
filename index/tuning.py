"""Every number that shapes ranking, in one place.

The relevance evaluation (``tests/index/test_relevance_set.py`` and the
benchmark in ``docs/benchmarks.md``) measures changes to these defaults; change
them here only, with the measured MRR@10 in the commit message.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


def _default_boosts() -> dict[str, float]:
    # measured on bench/relevance (docs/relevance.md): 3.0/1.5 let titles swamp the body text
    return {"title": 1.5, "headings": 1.2, "description": 1.2, "name": 1.0, "body": 1.0}


@dataclass(frozen=True)
class SearchTuning:
    """BM25 field boosts, proximity and synonym weights used by :class:`index.searcher.Searcher`."""

    #: multiplier of each text field's BM25 score (title > headings/description > body)
    field_boosts: dict[str, float] = field(default_factory=_default_boosts)
    #: dis-max tie breaker: 0 scores a word by its best field only, 1 sums every field
    #: (1 is also the fast path: a flat union, p50 over 1M pages about 30% lower, MRR@10 0.853 -> 0.833)
    tie_breaker: float = 0.3
    #: extra weight when all the query's words (or those of a synonym alternative, weighted
    #: ``synonym_weight``) appear close together (0 disables).  Off by default: 0.25 gave the same
    #: MRR@10 (0.853; tuning half 0.884 against 0.881, within noise) and costs 0.4 ms of p50 over
    #: 1M pages (5.3 -> 4.9 ms), the difference between missing and meeting the 5 ms target
    proximity_boost: float = 0.0
    #: weight of the query's words found as an exact phrase (stop words' gaps kept) in ``phrase_fields``,
    #: for every query of two words or more, among the best ``rescore_window`` results (0 disables).
    #: Tuning parts (docs/relevance.md), with the recall and verbatim rules: 2 -> hand 0.903,
    #: copied phrases 0.938, titles 0.993; 4 -> 0.896, 0.958, 0.993 (the hand set must not lose)
    phrase_boost: float = 2.0
    #: the exact-phrase weight is ``phrase_boost`` times the phrase's words minus one
    phrase_per_word: bool = False
    #: the pages holding the exact phrase are candidates too, however their words alone rank them
    phrase_recall: bool = True
    #: a query of at least ``verbatim_min_words`` words found as written (stop words, case aside) in the
    #: body of one of the best ``verbatim_window`` results gains ``verbatim_boost`` times the best score
    verbatim_boost: float = 1.0
    verbatim_min_words: int = 4
    verbatim_window: int = 20
    #: fields the exact-phrase bonus looks at
    phrase_fields: tuple[str, ...] = ("title", "body")
    #: how far apart (in words) the query's words may be for the proximity bonus
    proximity_slop: int = 3
    #: the proximity bonus also applies to each synonym alternative, weighted ``synonym_weight``
    proximity_synonyms: bool = True
    #: fields the proximity bonus looks at (title only: same MRR@10 as title + body on the
    #: evaluation set, p99 over 1M pages 44 -> 29 ms on the "title words" queries)
    proximity_fields: tuple[str, ...] = ("title",)
    #: the phrase and proximity bonuses re-score this many best BM25 results (phrase matching on
    #: every match of a common word is what made queries over 1M pages slow); with the exact-phrase
    #: bonus, 50 rather than 20 took the copied phrases' tuning part from 0.68 to 0.78 (weight 2)
    rescore_window: int = 50
    #: weight of each alternative phrasing given by ``index.synonyms.expand_query``
    synonym_weight: float = 0.5
    #: at most this many alternative phrasings are added to a query
    max_synonyms: int = 4
    #: share of the plain words a document must contain (0 = any word, 1 = every word)
    minimum_should_match: float = 0.0
    #: a word in more than this share of the pages only scores pages holding a rarer word of
    #: the query (0 disables); 0.05 to 0.3 gave the same MRR@10 on the evaluation set (0.03: 0.843),
    #: and 0.05 rather than 0.1 takes about 3% off the agent queries' p50 over 1M pages
    common_word_share: float = 0.05
    #: ... on indexes of at least this many pages (small indexes gain nothing)
    common_word_min_docs: int = 10_000
    #: when the pages holding a rarer word are at most this share of the index, each common word
    #: is looked up in those pages only, scored as a sum over fields (``QueryBuilder._lookups``; 0
    #: disables): MRR@10 0.853 -> 0.854, agent queries' p50 over 1M pages 12% lower; 0.05 and 0.1
    #: gave MRR@10 0.852 (more queries scored with the sum)
    sparse_share: float = 0.02
    #: snippet length in characters
    snippet_chars: int = 200
    #: sites whose pages are legal texts (codes, Journal officiel): what a query naming the law wants
    legal_sites: tuple[str, ...] = ("legifrance.gouv.fr", "journal-officiel.gouv.fr")
    #: when the query names the law (``index.legal``), legal pages score this many times more (1 disables);
    #: chosen on the tuning half of the evaluation set: x2 0.869, x3 0.876, x4 to x8 0.881
    legal_boost: float = 4.0
    #: weight of the title phrase of an article number the query cites ("article L3121-27"): with
    #: 10, each of 300 sampled articles of the corpus comes first for "L1234-5", "article L1234-5",
    #: "R. 1234-5" and "Article L1234-5 du code du travail"
    article_boost: float = 10.0
    #: among legal pages, for a query naming the law: weight of each two consecutive query words
    #: found within ``legal_pair_slop`` positions in the body (the article stating the rule uses
    #: them together; its neighbours in passing).  Tuning half: 0 0.891, 0.5 0.894, 1 0.898, 2 0.894
    legal_pair_boost: float = 1.0
    #: how far apart (in words) the two words of a pair may be; tuning half: 2 0.894, 3 0.898, 5 0.891
    legal_pair_slop: int = 3
    #: for a query naming the law (and citing no R or D article), legal pages whose title holds
    #: a legislative article number (``L1234-5``) also score this many times their words' score
    #: (0 disables): the law states the rule, regulatory articles its details.  Tuning half
    #: (with the pairs): 0 0.887, 1 0.889, 2 and 3 0.898
    legislative_boost: float = 2.0
    #: the learnt re-ranker (``index.rerank``) orders the first stage's best this many pages (0: off;
    #: ``index.rerank.DEPTH``, 30, is what its model was trained for).  Off: on the held-out parts it
    #: raised every set but the titles (hand-written 0.834 -> 0.843, copied phrases 0.928 -> 0.940,
    #: typos 0.888 -> 0.902, titles 0.994 -> 0.992), but two hand-written kinds lost more than the
    #: issue's 0.01 (keywords 0.793 -> 0.778, questions 0.562 -> 0.528), so by its rule it is not kept
    rerank_depth: int = 0
    #: its LightGBM model, a file of ``index/data/`` written by ``python -m bench.relevance.train``
    #: ("" with a depth: the features are computed, the first stage's order is kept)
    rerank_model: str = "rerank.txt"
    #: title words of the pages that are tools rather than answers (a form, an online service, a
    #: template, a simulator): a feature of the re-ranker, which learns how much they count
    tool_title_words: tuple[str, ...] = ("formulaire", "téléservice", "modèle", "simulateur", "outil")

    def __post_init__(self) -> None:
        # tantivy's bindings take only floats where a weight is expected: SearchTuning(tie_breaker=0)
        # must not raise a TypeError deep inside a search
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.type == "float" and isinstance(value, int) and not isinstance(value, bool):
                object.__setattr__(self, spec.name, float(value))
        object.__setattr__(self, "field_boosts", {k: float(v) for k, v in self.field_boosts.items()})
