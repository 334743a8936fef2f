"""Queries that name the law find the legal text; other queries are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import analysis
from index import schema as f
from index.documents import PageDocument
from index.legal import reference
from index.query import parse
from index.querybuild import QueryBuilder
from index.searcher import Searcher
from index.tuning import SearchTuning
from sources import Classifier
from tests.index.conftest import indexed

LEGI = "https://www.legifrance.gouv.fr/codes/article_lc/"
FICHE = "https://www.service-public.fr/particuliers/vosdroits/F990"
REPOS = LEGI + "LEGIARTI000033020918"
PAGES = [
    PageDocument(FICHE, "Durée du repos quotidien du salarié",
                 "Le salarié a droit à un repos quotidien de 11 heures consécutives au minimum. "
                 "Le Code du travail prévoit des dérogations."),
    PageDocument(REPOS, "Article L3131-1 - Code du travail",
                 "Tout salarié bénéficie d'un repos quotidien d'une durée minimale de onze heures "
                 "consécutives. "
                 "Le repos quotidien suit la journée de travail."),
    PageDocument(LEGI + "LEGIARTI000033020919", "Article L3131-1-1 - Code du travail",
                 "Les dérogations à la durée minimale sont fixées par décret."),
    PageDocument(LEGI + "LEGIARTI000033020920", "Article R3131-1 - Code du travail",
                 "La durée minimale peut être réduite en cas de travaux urgents."),
    PageDocument(LEGI + "LEGIARTI000006420001", "Article L311-1 - Code civil",
                 "Le repos quotidien du débiteur n'est pas une cause de suspension de la prescription."),
    *(PageDocument(f"https://www.service-public.fr/particuliers/vosdroits/F{n}", title, title + ".")
      for n, title in enumerate(("Congé de maternité", "Carte grise", "Passeport", "Allocations familiales",
                                 "Indemnité de licenciement", "Période d'essai"), start=100)),
    PageDocument("https://travail-emploi.gouv.fr/teletravail", "Le télétravail",
                 "Le télétravail est une forme d'organisation du travail prévue par un article du contrat."),
]


@pytest.fixture()
def legal_index(tmp_path: Path, classifier: Classifier) -> Path:
    return indexed(tmp_path / "legal", classifier, PAGES)


def first(searcher: Searcher, query: str) -> str:
    return searcher.search(query, limit=10).results[0].url


@pytest.mark.parametrize(("query", "words", "code", "articles"), [
    ("code du travail repos quotidien", ("repos", "quotidien"), "code du travail", ()),
    ("repos quotidien article", ("repos", "quotidien"), None, ()),
    ("article L3121-27", ("L3121-27",), None, ("L3121-27",)),
    ("R. 4121-1", ("R4121-1",), None, ("R4121-1",)),
    ("l1152-1", ("L1152-1",), None, ("L1152-1",)),
    ("C. trav. art. L1234-9 préavis", ("L1234-9", "préavis"), "code du travail", ("L1234-9",)),
    ("code de la securite sociale affiliation", ("affiliation",), "code de la sécurité sociale", ()),
    ("code du travail", ("code", "du", "travail"), "code du travail", ()),  # nothing else to search
])
def test_a_reference_to_the_law_is_spotted_and_its_markers_dropped(
        query: str, words: tuple[str, ...], code: str | None, articles: tuple[str, ...]) -> None:
    found = reference(parse(query))
    assert found is not None
    assert (found.parsed.words, found.code, found.articles) == (words, code, articles)


@pytest.mark.parametrize("query", [
    "appareils auditifs", "repos quotidien", "formulaire cerfa 12345-01", "d 12 ans", "la loi", "CSS",
    "site:legifrance.gouv.fr", "",
])
def test_ordinary_queries_have_no_legal_reference(query: str) -> None:
    assert reference(parse(query)) is None


def test_a_query_naming_the_code_finds_the_article_first(legal_index: Path) -> None:
    searcher = Searcher(legal_index)
    assert first(searcher, "repos quotidien") == FICHE  # the fiche's title says it
    assert first(searcher, "code du travail repos quotidien") == REPOS
    assert first(searcher, "repos quotidien article") == REPOS
    # the named code counts: the Code civil article is not boosted for a Code du travail query
    assert searcher.search("code du travail repos quotidien").results[-1].url == LEGI + "LEGIARTI000006420001"
    assert first(searcher, "code civil repos quotidien") == LEGI + "LEGIARTI000006420001"


def test_ordinary_queries_are_unaffected(legal_index: Path) -> None:
    searcher = Searcher(legal_index)
    plain = Searcher(legal_index, tuning=SearchTuning(legal_boost=1, article_boost=0))
    for query in ("repos quotidien", "durée du repos", "télétravail", "dérogations durée minimale"):
        assert [h.url for h in searcher.search(query).results] == [h.url for h in plain.search(query).results]
    assert first(searcher, "durée du repos") == FICHE


@pytest.mark.parametrize(("query", "expected"), [
    ("article L3131-1", REPOS),
    ("L3131-1", REPOS),
    ("l. 3131-1", REPOS),
    ("Article L3131-1 du Code du travail", REPOS),
    ("L3131-1-1", LEGI + "LEGIARTI000033020919"),
    ("R3131-1", LEGI + "LEGIARTI000033020920"),
    ("article R. 3131-1 repos", LEGI + "LEGIARTI000033020920"),
])
def test_an_article_number_finds_that_exact_article(legal_index: Path, query: str, expected: str) -> None:
    assert first(Searcher(legal_index), query) == expected


def test_legal_boost_can_be_switched_off(legal_index: Path) -> None:
    plain = Searcher(legal_index, tuning=SearchTuning(legal_boost=1, article_boost=0))
    assert first(plain, "code du travail repos quotidien") == FICHE


def test_integer_weights_are_accepted(legal_index: Path) -> None:
    # tantivy's bindings raise a TypeError on an int where a float is expected
    tuning = SearchTuning(tie_breaker=0, synonym_weight=1, proximity_boost=1, legal_boost=3,
                          field_boosts={"title": 2, "body": 1})
    assert isinstance(tuning.tie_breaker, float) and tuning.field_boosts == {"title": 2.0, "body": 1.0}
    assert Searcher(legal_index, tuning=tuning).search("article L3131-1 repos quotidien").total > 0


def test_proximity_bonus_covers_synonym_alternatives() -> None:
    index = f.open_index(None)
    parsed = parse("appareils auditifs remboursement")
    alternatives = ["prothèses auditives remboursement"]
    with_alternatives = QueryBuilder(index.schema, analysis.french_analyzer(),
                                     SearchTuning(proximity_boost=0.25, phrase_boost=0))
    originals_only = QueryBuilder(index.schema, analysis.french_analyzer(),
                                  SearchTuning(proximity_boost=0.25, proximity_synonyms=False,
                                               phrase_boost=0))
    assert len(with_alternatives.proximity(parsed, alternatives)) == 2
    assert len(originals_only.proximity(parsed, alternatives)) == 1
    assert with_alternatives.proximity(parse("remboursement"), ["prothèses auditives"]) != []
