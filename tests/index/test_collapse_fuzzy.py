"""One result per document (copies under several URLs collapsed) and typo correction, on a real index."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.documents import PageDocument
from index.searcher import Searcher
from sources import Classifier
from tests.index.conftest import DOCS, indexed

SP = "https://www.service-public.fr"
BODY = ("Le licenciement économique est décidé par l'employeur pour un motif non inhérent à la personne "
        "du salarié : difficultés économiques, mutations technologiques, réorganisation.")
COPIES = [
    PageDocument(f"{SP}/particuliers/vosdroits/F13851", "Licenciement pour motif économique", BODY),
    PageDocument(f"{SP}/professionnels-entreprises/vosdroits/F13851", "Licenciement pour motif économique",
                 BODY),
    # the same fiche, one word changed: another digest, merged as a near copy
    PageDocument(f"{SP}/associations/vosdroits/F13851", "Licenciement pour motif économique",
                 BODY.replace("réorganisation", "réorganisation de l'entreprise")),
    PageDocument(f"{SP}/particuliers/vosdroits/F2", "Licence sportive",
                 "La licence sportive se demande au club."),
]


@pytest.fixture()
def searcher(tmp_path: Path, classifier: Classifier) -> Searcher:
    return Searcher(indexed(tmp_path / "index", classifier, [*DOCS, *COPIES]))


def test_copies_of_a_page_are_one_result_with_their_addresses(searcher: Searcher) -> None:
    found = searcher.search("licenciement économique")
    first = found.results[0]
    assert first.url == COPIES[0].url
    assert set(first.duplicates) == {COPIES[1].url, COPIES[2].url}
    assert [hit.url for hit in found.results].count(COPIES[1].url) == 0
    assert found.total == 2  # the fiche once (its exact copy counted once), its near copy apart
    assert sum(found.facets.values()) == found.total


def test_collapse_off_shows_every_url(searcher: Searcher) -> None:
    found = searcher.search("licenciement économique", collapse=False)
    assert {hit.url for hit in found.results} >= {c.url for c in COPIES[:3]}
    assert found.total == 3


def test_a_typo_is_corrected_and_said(searcher: Searcher) -> None:
    found = searcher.search("licenciment economiqe")
    assert found.corrected_query == "licenciement economique"
    assert found.results[0].url == COPIES[0].url
    assert found.to_dict()["corrected_query"] == "licenciement economique"


def test_known_words_and_operators_are_left_alone(searcher: Searcher) -> None:
    assert searcher.search("licenciement économique").corrected_query is None
    found = searcher.search("licenciment site:service-public.fr")
    assert found.corrected_query == "licenciement site:service-public.fr"
    # without correction the typo's stem is the one of "licence"
    assert searcher.search("licenciment", fuzzy=False).results[0].url == COPIES[3].url
