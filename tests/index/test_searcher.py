from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.documents import PageDocument
from index.errors import IndexOpenError
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Classifier


def urls(results) -> list[str]:  # noqa: ANN001
    return [hit.url for hit in results.results]


@pytest.mark.parametrize(("query", "expected"), [
    ("prefecture", "https://www.ain.gouv.fr/demarches"),
    ("PRÉFECTURE", "https://www.ain.gouv.fr/demarches"),
    ("allocation familiale", "https://www.service-public.fr/particuliers/vosdroits/F13213"),
    ("l'etat", "https://www.service-public.fr/particuliers/vosdroits/F1"),
    ("l’État", "https://www.service-public.fr/particuliers/vosdroits/F1"),
    ("election", "https://www.service-public.fr/particuliers/vosdroits/F1"),
])
def test_french_matching(searcher: Searcher, query: str, expected: str) -> None:
    assert urls(searcher.search(query))[0] == expected


def test_title_outranks_body(searcher: Searcher) -> None:
    # "carte grise" is in two bodies; the title boost is checked with "stationnement" (title + body)
    assert urls(searcher.search("stationnement carte grise"))[0] == "https://www.paris.fr/pages/stationnement"


def test_phrase_and_exclusion(searcher: Searcher) -> None:
    assert searcher.search('"congé parental"').total == 1
    assert searcher.search('"parental congé"').total == 0
    assert searcher.search("carte grise").total == 2
    assert urls(searcher.search("carte grise -stationnement")) == ["https://www.ain.gouv.fr/demarches"]
    assert searcher.search('congé -"période d\'essai"').total == 0
    # plain words next to a required phrase only rank what the phrase matches
    assert urls(searcher.search('"carte grise" stationnement'))[0] == "https://www.paris.fr/pages/stationnement"
    assert searcher.search('"carte grise" stationnement').total == 2
    assert searcher.search("+grise prefecture").total == 2


def test_site_and_category_filters(searcher: Searcher) -> None:
    assert urls(searcher.search("carte site:paris.fr")) == ["https://www.paris.fr/pages/stationnement"]
    assert urls(searcher.search("carte", site="www.ain.gouv.fr")) == ["https://www.ain.gouv.fr/demarches"]
    assert searcher.search("site:gouv.fr").total == 2
    assert urls(searcher.search("carte categorie:commune")) == ["https://www.paris.fr/pages/stationnement"]
    assert searcher.search("carte", category=["commune", "prefecture"]).total == 2
    assert searcher.search("carte", category="etat").total == 0
    assert searcher.search("carte categorie:inconnue").total == 0


def test_facets_count_the_result_set_by_category(searcher: Searcher) -> None:
    results = searcher.search("carte")
    assert results.facets == {"commune": 1, "prefecture": 1}
    # the category filter narrows the results, not the facets (tabs show every count)
    filtered = searcher.search("carte", category="commune")
    assert filtered.total == 1 and filtered.facets == {"commune": 1, "prefecture": 1}


def test_pagination(searcher: Searcher) -> None:
    everything = urls(searcher.search("", limit=100))
    pages = [urls(searcher.search("", page=p, limit=2)) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == sorted(everything)
    assert searcher.search("", page=9, limit=2).results == []


def test_sort_by_date_keeps_dated_pages_newest_first(searcher: Searcher) -> None:
    results = searcher.search("", sort="date")
    assert [h.published for h in results.results] == [
        date(2025, 9, 1), date(2024, 3, 1), date(2023, 1, 15), date(2022, 6, 30)]
    assert results.total == 4
    assert {h.score for h in results.results} == {0.0}


def test_snippets_are_escaped_and_marked(searcher: Searcher) -> None:
    hit = searcher.search("stationnement cher").results[0]
    assert "<mark>stationnement</mark>" in hit.snippet
    assert "&lt;<mark>cher</mark>&gt; &amp;" in hit.snippet
    assert "<cher>" not in hit.snippet
    assert searcher.search("stationnement", snippets=False).results[0].snippet == ""


def test_snippet_falls_back_to_description_when_body_lacks_terms(searcher: Searcher) -> None:
    hit = searcher.search("démarches administratives").results[0]
    assert hit.snippet.startswith("<mark>") or "Démarches administratives" in hit.snippet


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.sampled_from([*'ab "()-+:*^~[]{}!\\/\'’«»', "site:", "categorie:", " AND ", " OR "]),
                max_size=20).map("".join))
def test_user_input_never_raises(searcher: Searcher, query: str) -> None:
    results = searcher.search(query, page=3, limit=5)
    assert results.total >= 0


def test_strict_parser_rejects_are_answered(searcher: Searcher) -> None:
    for query in ['"congé', "congé)", "title:", "congé AND", "*", "^2", "carte~", "[a TO"]:
        results = searcher.search(query)
        assert results.total >= 0
    assert searcher.search('"congé parental').total == 1
    assert searcher.search("le la les de").total == 0


def test_hits_carry_display_fields(searcher: Searcher) -> None:
    hit = searcher.search("allocations familiales").results[0]
    assert hit.title == "Allocations familiales"
    assert hit.published == date(2023, 1, 15)
    assert hit.score > 0
    assert set(hit.to_dict()) == {"url", "title", "snippet", "domain", "category", "name", "score",
                                  "published", "host", "duplicates"}


def test_suggest(searcher: Searcher) -> None:
    assert searcher.suggest("allocations fam")[0] == "allocations familiales"
    assert searcher.suggest("statio") == ["stationnement", "stationnement à paris"]  # never "stationnement à"
    assert searcher.suggest("") == []
    assert len(searcher.suggest("l", limit=2)) <= 2


def test_stats(searcher: Searcher) -> None:
    stats = searcher.stats()
    assert stats["documents"] == 5
    assert stats["by_category"] == {"etat": 3, "commune": 1, "prefecture": 1}
    assert stats["size_bytes"] > 0 and stats["segments"] >= 1


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexOpenError, match="no index"):
        Searcher(tmp_path / "nothing")


def test_synonym_alternatives_are_ored(index_dir: Path, classifier: Classifier) -> None:
    with IndexWriter(index_dir, classifier) as writer:
        writer.add(PageDocument("https://www.service-public.fr/audition", "Prothèses auditives",
                                "Remboursement des prothèses auditives."))
    assert Searcher(index_dir).search("appareils auditifs -remboursement").total == 0
    searcher = Searcher(index_dir, expand=lambda text: ["prothèses auditives"])
    assert urls(searcher.search("appareils auditifs")) == ["https://www.service-public.fr/audition"]


def test_common_words_only_score_pages_with_a_rarer_word(index_dir: Path) -> None:
    from index.tuning import SearchTuning

    # "carte" is in 2 of the 5 pages, "stationnement" in 1: with a 30% threshold "carte" is common
    split = Searcher(index_dir, tuning=SearchTuning(common_word_share=0.3, common_word_min_docs=0))
    plain = Searcher(index_dir, tuning=SearchTuning(common_word_share=0.0))
    assert urls(split.search("carte stationnement")) == ["https://www.paris.fr/pages/stationnement"]
    assert plain.search("carte stationnement").total == 2
    assert split.search("carte grise").total == 2  # only common words: nothing to split
    # small indexes are left alone by default
    assert Searcher(index_dir).search("carte stationnement").total == 2


def test_common_words_looked_up_in_few_pages_match_and_rank_as_the_union(index_dir: Path) -> None:
    from index.tuning import SearchTuning

    # sparse_share: a common word ("carte", "grise": 2 of the 5 pages) scored by per-field lookups
    # in the pages of the rare one ("stationnement") keeps the matches and, here, the order
    common = {"common_word_min_docs": 0, "common_word_share": 0.3}
    lookups = Searcher(index_dir, tuning=SearchTuning(**common, sparse_share=1.0))
    union = Searcher(index_dir, tuning=SearchTuning(**common, sparse_share=0.0))
    for query in ("carte stationnement", "carte grise stationnement", "stationnement carte -grise"):
        a, b = lookups.search(query), union.search(query)
        assert a.total == b.total
        assert [h.url for h in a.results] == [h.url for h in b.results]
    assert lookups.search("carte stationnement").results[0].url == "https://www.paris.fr/pages/stationnement"
