"""Typo correction and suggestions on a sharded index read every shard's terms (issue 18): a word
one shard lacks but another holds is not "corrected", completions come from every shard's titles,
ranked by the pages of all shards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index import schema as f
from index import shards
from index.documents import PageDocument
from index.searcher import Searcher
from index.shard_search import ShardSet, ShardTerms
from index.stored_page import content_hash
from sources import Classifier
from tests.index.conftest import DOCS, indexed

COUNT = 3


def outside_shard_zero(make: Callable[[int], PageDocument]) -> PageDocument:
    """The first page ``make(n)`` makes that is not in shard 0, whether pages are routed by URL or by
    copy key."""
    for n in range(200):
        doc = make(n)
        if shards.route(doc.url, COUNT) and shards.copy_route(f.same_id(content_hash(doc)), COUNT):
            return doc
    raise AssertionError("no page outside shard 0")


CARPE = outside_shard_zero(lambda n: PageDocument(
    f"https://www.paris.fr/pages/peche-{n}", "La carpe du lac de Paris", f"Pêcher la carpe, fiche {n}."))
ONLY_ELSEWHERE = outside_shard_zero(lambda n: PageDocument(
    f"https://www.paris.fr/pages/cadastre-{n}", "Consulter le plan cadastral", f"Le plan cadastral, {n}."))
PAGES = [
    *DOCS,
    *(PageDocument(f"https://www.paris.fr/pages/carte-{n}", f"Carte grise et carte {n}",
                   f"La carte grise du véhicule numéro {n}. " + "Texte commun. " * (n % 3))
      for n in range(30)),
    *(PageDocument(f"https://www.paris.fr/pages/cantine-{n}", "Cantine scolaire",
                   f"Inscrire son enfant à la cantine scolaire, école {n}.") for n in range(4)),
    CARPE,
    ONLY_ELSEWHERE,
]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory, classifier: Classifier) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("terms")
    shards.create(root / "sharded", COUNT)
    return indexed(root / "single", classifier, PAGES), indexed(root / "sharded", classifier, PAGES)


def test_a_word_of_another_shard_is_not_corrected(indexes: tuple[Path, Path]) -> None:
    single, sharded = indexes
    first = Searcher(shards.shard_dirs(sharded)[0])
    assert first.corrected_query("carpe") == "carte"  # what shard 0 alone would do
    found = Searcher(sharded).search("carpe")
    assert found.corrected_query is None
    assert [h.url for h in found.results] == [CARPE.url]


def test_typos_are_corrected_as_the_single_index_corrects_them(indexes: tuple[Path, Path]) -> None:
    single, sharded = Searcher(indexes[0]), Searcher(indexes[1])
    for query in ("crate grise", "cantinne scolaire", "carte grise", "plan cadastrall", "carpe du lac"):
        one, many = single.search(query, limit=100), sharded.search(query, limit=100)
        assert many.corrected_query == one.corrected_query, query
        assert {h.url for h in many.results} == {h.url for h in one.results}, query
    assert sharded.search("crate grise").corrected_query == "carte grise"


def test_suggestions_come_from_every_shard(indexes: tuple[Path, Path]) -> None:
    single = Searcher(indexes[0])
    split = ShardSet([Searcher(d) for d in shards.shard_dirs(indexes[1])], threads=1)
    for prefix in ("carte g", "cart", "can", "plan cad", "consulter le", "la carpe", "ca", "  ", "zzz"):
        assert split.suggest(prefix) == single.suggest(prefix), prefix
    assert split.suggest("plan cad") == ["plan cadastral"]  # its only title is outside shard 0
    assert split.suggest("carte", limit=2) == single.suggest("carte", limit=2)
    assert split.suggest("carte", limit=0) == []


def test_the_searcher_suggests_and_corrects_from_every_shard(indexes: tuple[Path, Path]) -> None:
    single, sharded = Searcher(indexes[0]), Searcher(indexes[1])
    for prefix in ("plan cad", "carte g", "la carpe"):
        assert sharded.suggest(prefix) == single.suggest(prefix), prefix
    assert sharded.corrected_query("carpe") is None
    assert sharded.corrected_query("crate grise") == single.corrected_query("crate grise") == "carte grise"


def test_shard_terms_add_up_the_shards(indexes: tuple[Path, Path]) -> None:
    single = Searcher(indexes[0]).searcher()
    split = ShardSet([Searcher(d) for d in shards.shard_dirs(indexes[1])], threads=1)
    terms = split.terms()
    assert terms is split.terms()  # kept while no shard reloads (the corrector caches per searcher)
    assert isinstance(terms, ShardTerms) and terms.num_docs == single.num_docs
    assert terms.doc_freq(f.SUGGEST, "carte") == single.doc_freq(f.SUGGEST, "carte") == 30
    assert terms.terms_with_prefix(f.SUGGEST, "ca") == single.terms_with_prefix(f.SUGGEST, "ca")
    three = terms.terms_with_prefix(f.SUGGEST, "c", limit=3)
    assert three == single.terms_with_prefix(f.SUGGEST, "c", limit=3)
