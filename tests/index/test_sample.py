"""The 60 real pages of ../shared/data/corpus/documents.sample.jsonl, classified by the real registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.jsonl import read_documents
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Classifier


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory: pytest.TempPathFactory, shared_data: Path,
                 full_classifier: Classifier) -> Path:
    path = tmp_path_factory.mktemp("sample") / "index"
    with IndexWriter(path, full_classifier) as writer:
        for _, doc in read_documents(shared_data / "corpus" / "documents.sample.jsonl"):
            writer.add(doc)  # type: ignore[arg-type]
        assert writer.counts == {"added": 60, "replaced": 0, "refused": 0, "deleted": 0}
    return path


@pytest.mark.parametrize(("query", "expected"), [
    ("immatriculer velo electrique", "https://www.service-public.fr/particuliers/vosdroits/F32294"),
    ("heures supplémentaires limite", "https://travail-emploi.gouv.fr/les-heures-supplementaires-definition-et-limites"),
    ("plan sauvegarde emploi", "https://travail-emploi.gouv.fr/plan-de-sauvegarde-de-lemploi-pse"),
    ("risque psychosocial", "https://travail-emploi.gouv.fr/la-prevention-des-risques-psychosociaux-rps"),
])
def test_real_pages_come_first(sample_index: Path, query: str, expected: str) -> None:
    assert Searcher(sample_index).search(query).results[0].url.startswith(expected)


def test_real_pages_have_registry_metadata_and_dates(sample_index: Path) -> None:
    searcher = Searcher(sample_index)
    results = searcher.search("site:legifrance.gouv.fr", limit=100)
    assert results.total == 20
    assert {hit.domain for hit in results.results} == {"legifrance.gouv.fr"}
    assert all(hit.category for hit in results.results)
    dated = searcher.search("", sort="date", limit=100).results
    assert [h.published for h in dated] == sorted((h.published for h in dated), reverse=True)


LEGI = "https://www.legifrance.gouv.fr/codes/article_lc/"


@pytest.mark.parametrize(("query", "expected"), [
    # an article number finds that article, however it is written
    ("article L1233-63", LEGI + "LEGIARTI000035652729"),
    ("R. 4451-28", LEGI + "LEGIARTI000037024820"),
    ("r4544-11", LEGI + "LEGIARTI000051500365"),
    # naming the law puts the article before the fiche on the same subject
    ("code du travail plan de sauvegarde de l'emploi suivi", LEGI + "LEGIARTI000035652729"),
    ("habilitation travaux sous tension article", LEGI + "LEGIARTI000051500365"),
])
def test_queries_naming_the_law_find_the_article_first(sample_index: Path, query: str, expected: str) -> None:
    assert Searcher(sample_index).search(query).results[0].url == expected
