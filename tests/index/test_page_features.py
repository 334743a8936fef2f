"""The re-ranker's page features: what a candidate's address and title say, read from a real index."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index.documents import PageDocument
from index.features import FEATURES
from index.page_features import PAGE_FEATURES
from index.rerank import DEPTH
from index.searcher import Searcher
from index.tuning import SearchTuning
from sources import Classifier
from tests.index.conftest import indexed

SP = "https://www.service-public.fr/particuliers/vosdroits/"
TE = "https://travail-emploi.gouv.fr/"
PAGES = [
    PageDocument(SP + "F2", "Plan d'épargne salariale",
                 "Le plan d'épargne salariale permet aux salariés de se constituer une épargne."),
    PageDocument(SP + "N3", "Épargne salariale, intéressement et participation",
                 "Plan d'épargne salariale, intéressement, participation : les fiches."),
    PageDocument(SP + "R4", "Formulaire de déblocage de l'épargne salariale",
                 "Demander le déblocage anticipé du plan d'épargne salariale."),
    PageDocument(TE + "les-plans-depargne-salariale", "Les dispositifs des entreprises",
                 "Les plans d'épargne salariale des entreprises et leurs salariés."),
    PageDocument(SP + "F5", "Peut-on débloquer son épargne salariale ?",
                 "L'épargne salariale peut être débloquée dans certains cas."),
]


@pytest.fixture()
def pages(tmp_path: Path, classifier: Classifier) -> Path:
    return indexed(tmp_path / "pages", classifier, PAGES)  # gouv.fr is a built-in zone


def rows_of(path: Path, query: str) -> dict[str, dict[str, float]]:
    """The feature rows the re-ranker computed for ``query``, by URL."""
    searcher = Searcher(path, tuning=replace(SearchTuning(), rerank_depth=DEPTH, rerank_model=""))
    assert searcher.reranker is not None
    seen: list[tuple[list[list[float]], list[str]]] = []
    index = searcher.searcher()

    def sink(_context: object, hits: list, rows: list[list[float]]) -> None:
        seen.append((rows, [str(index.doc(a).get_first("url")) for _, a in hits]))

    searcher.reranker.sink = sink
    searcher.search(query, snippets=False, facets=False)
    rows, urls = seen[0]
    return {url: dict(zip(FEATURES, row, strict=True)) for url, row in zip(urls, rows, strict=True)}


def test_the_page_features_are_in_the_rows() -> None:
    assert set(PAGE_FEATURES) <= set(FEATURES)


def test_what_the_address_and_title_say(pages: Path) -> None:
    rows = rows_of(pages, "plan épargne salariale")
    fiche, dossier, form = rows[SP + "F2"], rows[SP + "N3"], rows[SP + "R4"]
    slug, question = rows[TE + "les-plans-depargne-salariale"], rows[SP + "F5"]
    # the slug holds all three words ("depargne": the elided article glued to the word)
    assert slug["url_words"] == 1.0 and fiche["url_words"] == 0.0
    assert dossier["hub_page"] == 1.0 and fiche["hub_page"] == 0.0 and form["hub_page"] == 0.0
    assert form["tool_url"] == 1.0 and fiche["tool_url"] == 0.0 and dossier["tool_url"] == 0.0
    assert question["question_title"] == 1.0 and fiche["question_title"] == 0.0
    # "Plan d'épargne salariale" is all query; half of the form's title ("formulaire", "déblocage") is not
    assert fiche["title_cover"] == 1.0 and fiche["title_terms"] == 3.0
    assert form["title_cover"] == 0.5
    assert fiche["path_depth"] == 3.0 and slug["path_depth"] == 1.0


def test_short_words_must_be_a_whole_path_word(pages: Path) -> None:
    # "pe" (PEE's stem) is inside "depargne" but is no word of the address
    rows = rows_of(pages, "PEE salariale")
    assert rows[TE + "les-plans-depargne-salariale"]["url_words"] == 0.5


def test_page_types_are_data(pages: Path) -> None:
    tuning = replace(SearchTuning(), rerank_depth=DEPTH, rerank_model="", hub_url_patterns=(),
                     tool_url_patterns=(r"/vosdroits/N\d+$",))
    searcher = Searcher(pages, tuning=tuning)
    assert searcher.reranker is not None
    seen: list[list[list[float]]] = []
    searcher.reranker.sink = lambda _c, _h, rows: seen.append(rows)
    searcher.search("épargne salariale", snippets=False, facets=False)
    at = FEATURES.index
    assert all(row[at("hub_page")] == 0.0 for row in seen[0])
    assert sum(row[at("tool_url")] for row in seen[0]) == 1.0
