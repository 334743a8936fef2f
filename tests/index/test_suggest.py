"""Suggestions: a few words of frequent titles continuing what was typed, ranked by the pages they find."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.documents import PageDocument
from index.searcher import Searcher
from sources import Classifier
from tests.index.conftest import indexed

SP = "https://www.service-public.fr/particuliers/vosdroits"
TITLES = [
    "Permis de conduire : les catégories",
    "Permis de conduire perdu ou volé",
    "Permis de conduire international",
    "Permis de construire une maison",
    "Allocations familiales (Caf)",
    "Allocations familiales : montant",
    "Allocation de rentrée scolaire",
    "Le permis de conduire à points",
]


@pytest.fixture()
def searcher(tmp_path: Path, classifier: Classifier) -> Searcher:
    docs = [PageDocument(f"{SP}/F{n}", title, f"Texte de la fiche {n}.") for n, title in enumerate(TITLES)]
    return Searcher(indexed(tmp_path / "index", classifier, docs))


def test_completions_are_a_few_words_ranked_by_pages(searcher: Searcher) -> None:
    found = searcher.suggest("permis de c")
    assert found[0] == "permis de conduire"  # 4 pages, before "permis de construire" (1)
    assert "permis de construire" in found
    assert all(len(s.split()) <= 5 for s in found)
    assert "permis de conduire : les catégories" not in found  # never past a ":"


def test_never_a_stop_word_alone_nor_at_the_end(searcher: Searcher) -> None:
    for typed in ("le", "de ", "la", "allocation "):
        for completion in searcher.suggest(typed):
            assert completion.split()[-1] not in {"de", "le", "la", "à", "les", "des"}, (typed, completion)
    assert searcher.suggest("le ") == []  # a stop word followed by nothing typed yet
    assert "allocation de rentrée" in searcher.suggest("allocation ")


def test_completions_stop_at_punctuation(searcher: Searcher) -> None:
    assert searcher.suggest("allocations fam") == ["allocations familiales"]


def test_a_word_being_typed_is_completed_from_the_titles(searcher: Searcher) -> None:
    assert searcher.suggest("perm")[0] == "permis"
