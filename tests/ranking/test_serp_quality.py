"""Quality on the engines' result pages of tests/fixtures/serp (real registry)."""

from __future__ import annotations

import pytest

from ranking import EngineResult, Mode, TrustTable, rerank, result_key
from sources import Classifier

Serps = dict[str, list[EngineResult]]

pytestmark = pytest.mark.shared


def test_trusted_count_equals_the_classifiers(full_classifier: Classifier, serps: Serps) -> None:
    table = TrustTable(full_classifier)
    for name, items in serps.items():
        distinct: dict[str, bool] = {}
        for item in items:
            distinct.setdefault(result_key(item.url), full_classifier.classify(item.url).trusted)
        ranked = rerank(items, table, Mode.ANNOTATE)
        assert ranked.trusted_count == sum(distinct.values()), name
        assert ranked.total == len(distinct), name
        for result in ranked.results:
            verdict = full_classifier.classify(result.url).verdict
            assert result.trusted == verdict.trusted
            assert result.category == (verdict.category.value if verdict.category else None)


def test_merged_and_boosted_views_put_a_trusted_result_first(full_classifier: Classifier,
                                                             serps: Serps) -> None:
    table = TrustTable(full_classifier)
    with_trusted = 0
    for name, items in serps.items():
        any_trusted = any(full_classifier.classify(i.url).trusted for i in items)
        with_trusted += any_trusted
        for mode in (Mode.MERGE, Mode.BOOST, Mode.FILTER):
            ranked = rerank(items, table, mode)
            if any_trusted:
                assert ranked.results[0].trusted, (name, mode)
            elif mode is not Mode.BOOST:
                assert ranked.results == []
    assert with_trusted >= 6


def test_known_answers(full_classifier: Classifier, serps: Serps) -> None:
    by_name = serps
    table = TrustTable(full_classifier)
    impots = rerank(by_name["bing-impots"], table, Mode.MERGE)
    assert impots.duplicates == 1  # http://impots.gouv.fr/accueil/ and https://www.…/accueil
    assert impots.results[0].url == "https://www.impots.gouv.fr/accueil"
    assert not any("facebook.com" in r.url for r in impots.results)
    crepes = rerank(by_name["qwant-recette-crepes"], table, Mode.ANNOTATE)
    assert crepes.trusted_count == 0 and crepes.total == 3
