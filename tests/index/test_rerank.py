"""The learnt re-ranker: its features read from a real index, its committed model, its place in search."""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path

import pytest

from index.documents import PageDocument
from index.errors import SearchIndexError
from index.features import DIGIT, FEATURES, QueryContext, _digits
from index.rerank import DATA, DEPTH, Reranker, read_model
from index.searcher import Searcher
from index.tuning import SearchTuning
from sources import Classifier
from tests.index.conftest import indexed

SP = "https://www.service-public.fr/particuliers/vosdroits/"
ON = replace(SearchTuning(), rerank_depth=DEPTH)
PAGES = [
    PageDocument(SP + "F1", "Congé de paternité et d'accueil de l'enfant",
                 "Le congé de paternité est ouvert au salarié après la naissance de l'enfant."),
    PageDocument(SP + "R2", "Formulaire : demande de congé de paternité",
                 "Ce formulaire sert à demander le congé au service des ressources humaines."),
    PageDocument(SP + "F3", "Naissance d'un enfant",
                 "Déclarer la naissance en mairie. Le salarié a droit à un congé pour l'enfant."),
    *(PageDocument(SP + f"F{n}", title, title + ".") for n, title in
      enumerate(("Carte grise", "Passeport", "Période d'essai", "Allocations familiales"), start=10)),
]


@pytest.fixture()
def pages(tmp_path: Path, classifier: Classifier) -> Path:
    return indexed(tmp_path / "pages", classifier, PAGES)


def rows_of(path: Path, query: str) -> dict[str, dict[str, float]]:
    """The feature rows the re-ranker computed for ``query``, by URL."""
    searcher = Searcher(path, tuning=replace(SearchTuning(), rerank_depth=DEPTH, rerank_model=""))
    assert searcher.reranker is not None
    seen: list[tuple[QueryContext, list[list[float]], list[str]]] = []
    tantivy_searcher = searcher.searcher()

    def sink(context: QueryContext, hits: list, rows: list[list[float]]) -> None:
        urls = [str(tantivy_searcher.doc(a).get_first("url")) for _, a in hits]
        seen.append((context, rows, urls))

    searcher.reranker.sink = sink
    searcher.search(query, snippets=False, facets=False)
    _, rows, urls = seen[0]
    return {url: dict(zip(FEATURES, row, strict=True)) for url, row in zip(urls, rows, strict=True)}


def test_the_features_say_what_each_page_holds(pages: Path) -> None:
    rows = rows_of(pages, "congé de paternité")
    fiche, form, birth = rows[SP + "F1"], rows[SP + "R2"], rows[SP + "F3"]
    assert fiche["phrase_title"] == 1.0 and fiche["phrase_body"] == 1.0 and fiche["body_pairs"] == 1.0
    assert birth["phrase_title"] == 0.0 and birth["phrase_body"] == 0.0 and birth["body_pairs"] == 0.0
    assert fiche["title_share"] == 1.0 and birth["title_share"] == 0.0 and birth["body_share"] == 0.5
    assert form["tool_page"] == 1.0 and fiche["tool_page"] == 0.0
    assert fiche["terms"] == 2.0 and fiche["legal_page"] == 0.0 and fiche["legal_query"] == 0.0
    assert sorted(row["rank"] for row in rows.values()) == list(range(len(rows)))
    apart = rows_of(pages, "paternité salarié")  # apart in the body, within NEAR_SLOP positions
    assert apart[SP + "F1"]["phrase_body"] == 0.0 and apart[SP + "F1"]["near_body"] == 1.0


def test_packed_counts_read_back_exactly() -> None:
    # the counts and the bits above them in a float32 score: the largest value still exact
    top = DIGIT - 1
    value = float(top + (top - 1) * DIGIT + 1 * DIGIT**2 + top * DIGIT**3 + 0b111111 * DIGIT**4)
    assert _digits(value, 4) == [top, top - 1, 1, top, 0b111111]
    assert struct.unpack("f", struct.pack("f", value))[0] == value  # tantivy's scores are float32
    assert _digits(0.0, 2) == [0, 0, 0]


def test_the_committed_model_reads_the_features_of_this_code() -> None:
    model = read_model(DATA / SearchTuning().rerank_model)
    assert tuple(model.feature_name()) == FEATURES
    assert SearchTuning().rerank_depth == 0  # off by default (docs/relevance.md says why)


def test_a_model_of_other_features_is_refused(tmp_path: Path) -> None:
    text = (DATA / SearchTuning().rerank_model).read_text(encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(text.replace("feature_names=rank ", "feature_names=position ", 1), encoding="utf-8")
    with pytest.raises(SearchIndexError, match="other features"):
        read_model(other)
    broken = tmp_path / "broken.txt"
    broken.write_text("not a model", encoding="utf-8")
    with pytest.raises(SearchIndexError, match="cannot read"):
        read_model(broken)


def test_the_reranker_orders_the_same_pages(pages: Path) -> None:
    query = "congé paternité enfant"
    on = [h.url for h in Searcher(pages, tuning=ON).search(query, snippets=False).results]
    off = [h.url for h in Searcher(pages, tuning=replace(SearchTuning(), rerank_depth=0))
           .search(query, snippets=False).results]
    assert sorted(on) == sorted(off) and on
    assert on[0] == SP + "F1"


def test_no_reranker_when_its_depth_is_zero(pages: Path) -> None:
    assert Searcher(pages, tuning=replace(SearchTuning(), rerank_depth=0)).reranker is None
    reranker = Searcher(pages, tuning=ON).reranker
    assert isinstance(reranker, Reranker) and reranker.depth == DEPTH
