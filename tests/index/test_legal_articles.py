"""Ranking the articles of a code among themselves, for a query that names the law.

An article's title is only its number, so for ``code du travail durée
quotidienne maximale 10 heures`` the articles compete on their text: the
numbers are also searched as the code writes them (``dix``), an article using
the agent's words together beats a neighbour that mentions them apart, and
the legislative article (L) comes before the regulatory ones (R, D).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.documents import PageDocument
from index.legal import reference
from index.query import parse
from index.searcher import Searcher
from index.synonyms import with_spelled_numbers
from index.tuning import SearchTuning
from sources import Classifier
from tests.index.conftest import indexed

LEGI = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI0000330"
RULE = LEGI + "20918"  # L3131-1 states the rule, with the agent's words together
NEIGHBOUR = LEGI + "20919"  # L3131-2 repeats the words, apart
MAXIMUM = LEGI + "20428"  # L3121-18, writes the number out
REGULATORY = LEGI + "20430"  # R3121-18, the same words in the regulatory part
PAGES = [
    PageDocument(RULE, "Article L3131-1 - Code du travail",
                 "Tout salarié bénéficie d'un repos quotidien d'une durée minimale de onze heures "
                 "consécutives, sauf dans les cas de dérogation fixés par décret ou par convention."),
    PageDocument(NEIGHBOUR, "Article L3131-2 - Code du travail",
                 "Le repos des jeunes travailleurs : au moins douze heures, onze pour les apprentis "
                 "majeurs, heures prises en plus du temps de pause quotidien."),
    PageDocument(MAXIMUM, "Article L3121-18 - Code du travail",
                 "La durée effective du travail de chaque salarié par jour ne peut excéder dix heures, "
                 "sauf dérogation de l'inspecteur."),
    PageDocument(REGULATORY, "Article R3121-18 - Code du travail",
                 "La demande de dérogation à la durée de dix heures de travail par jour est adressée à "
                 "l'inspecteur."),
    *(PageDocument(f"https://www.service-public.fr/particuliers/vosdroits/F{n}", title, title + ".")
      for n, title in enumerate(("Congé de maternité", "Carte grise", "Passeport", "Période d'essai"),
                                start=100)),
]


@pytest.fixture()
def articles(tmp_path: Path, classifier: Classifier) -> Path:
    return indexed(tmp_path / "articles", classifier, PAGES)


def ranked(path: Path, query: str, **tuning: float) -> list[str]:
    # each knob of the first stage is checked alone: the learnt re-ranker (index.rerank) off
    changes = {"rerank_depth": 0, **tuning}
    return [hit.url for hit in Searcher(path, tuning=SearchTuning(**changes)).search(query).results]  # type: ignore[arg-type]


def test_numbers_are_searched_in_digits_and_in_words_but_not_percentages() -> None:
    assert with_spelled_numbers("11 heures, 48 heures") == "11 onze heures, 48 quarante-huit heures"
    assert with_spelled_numbers("majoration 25 % et 50%") == "majoration 25 % et 50%"
    assert with_spelled_numbers("L3121-27, 2,5 jours, 1901") == "L3121-27, 2,5 jours, 1901"
    found = reference(parse("code du travail repos quotidien 11 heures"))
    assert found is not None and found.parsed.words == ("repos", "quotidien", "11", "onze", "heures")


def test_the_article_using_the_words_together_beats_its_neighbour(articles: Path) -> None:
    # the neighbour is shorter and has the words too, but apart
    query = "article repos quotidien onze heures"
    assert ranked(articles, query, legal_pair_boost=0, legislative_boost=0)[0] == NEIGHBOUR
    assert ranked(articles, query, legal_pair_boost=2, legislative_boost=0)[0] == RULE


def test_the_legislative_article_comes_before_the_regulatory_one(articles: Path) -> None:
    query = "code du travail dérogation durée 10 heures par jour"
    without = ranked(articles, query, legislative_boost=0, legal_pair_boost=0)
    assert without[:2] == [REGULATORY, MAXIMUM]  # "10" found "dix heures"
    assert ranked(articles, query, legal_pair_boost=0)[:2] == [MAXIMUM, REGULATORY]
    # an agent citing a regulatory number gets it, even with the same words
    assert ranked(articles, "R3121-18 dérogation durée 10 heures")[0] == REGULATORY


def test_legal_handling_off_switches_the_article_clauses_off(articles: Path) -> None:
    query = "code du travail dérogation durée 10 heures par jour"
    assert ranked(articles, query, legal_boost=1) == ranked(
        articles, query, legal_boost=1, legal_pair_boost=0, legislative_boost=0)


def test_ordinary_queries_score_no_article_clause(articles: Path) -> None:
    query = "durée dix heures par jour"
    assert ranked(articles, query) == ranked(articles, query, legal_pair_boost=0, legislative_boost=0)
