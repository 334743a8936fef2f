"""Small real indexes for the index tests (real tantivy, tmp dirs)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from index.documents import PageDocument
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Category, Classifier, Entry


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    """Built-in zones plus three listed sources (service-public.fr is not under gouv.fr)."""
    return Classifier(entries=[
        Entry("service-public.fr", Category.ETAT, "Service-Public.fr", "test", "listed for tests"),
        Entry("paris.fr", Category.COMMUNE, "Ville de Paris", "test", "listed for tests"),
        Entry("ain.gouv.fr", Category.PREFECTURE, "Préfecture de l'Ain", "test", "listed for tests"),
    ])


DOCS = [
    PageDocument("https://www.ain.gouv.fr/demarches", "Les démarches en préfecture",
                 "Prendre rendez-vous à la préfecture de l'Ain pour une carte grise.",
                 description="Démarches administratives", published=date(2024, 3, 1)),
    PageDocument("https://www.service-public.fr/particuliers/vosdroits/F13213", "Allocations familiales",
                 "Les allocations familiales sont versées par la Caf aux familles ayant deux enfants.",
                 description="Conditions et montant", headings=["Conditions", "Montant"],
                 published=date(2023, 1, 15)),
    PageDocument("https://www.service-public.fr/particuliers/vosdroits/F1", "L'État et ses services",
                 "L’État organise les élections. Le rôle de l'État est décrit ici.",
                 published=date(2022, 6, 30)),
    PageDocument("https://www.paris.fr/pages/stationnement", "Stationnement à Paris",
                 "Le stationnement résidentiel coûte <cher> & se paie en ligne. Carte grise exigée.",
                 headings=["Tarifs"]),
    PageDocument("https://travail-emploi.gouv.fr/conge-parental", "Le congé parental d'éducation",
                 "Le congé parental permet de s'occuper de son enfant. La période d'essai est sans effet.",
                 published=date(2025, 9, 1)),
]


def indexed(path: Path, classifier: Classifier, docs: Iterable[PageDocument]) -> Path:
    """An index at ``path`` holding ``docs``, each of them newly added."""
    with IndexWriter(path, classifier) as writer:
        for doc in docs:
            assert writer.add(doc) == "added"
    return path


@pytest.fixture()
def index_dir(tmp_path: Path, classifier: Classifier) -> Path:
    return indexed(tmp_path / "index", classifier, DOCS)


@pytest.fixture()
def searcher(index_dir: Path) -> Searcher:
    return Searcher(index_dir)
