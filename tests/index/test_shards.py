"""Sharded indexes (issue 18): writes reach their shard, searches merge the shards (the layout routed
by copy key in test_shard_copies.py; these also hold for the older layout routed by URL)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from index import shards
from index.documents import PageDocument
from index.errors import IndexOpenError
from index.plan import QueryPlan
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Classifier
from tests.index.conftest import DOCS, indexed

#: many pages, so that both shards hold some and the top 10 crosses them
MORE = [
    PageDocument(f"https://www.service-public.fr/particuliers/vosdroits/F{n}", f"Aide numéro {n}",
                 f"Une aide au logement numéro {n} versée par la Caf. " + "Texte commun. " * (n % 7))
    for n in range(100, 160)
]


def sharded(path: Path, classifier: Classifier, docs: list[PageDocument], count: int = 3,
            routed: str = shards.ROUTE_COPY) -> Path:
    shards.create(path, count, routed=routed)
    return indexed(path, classifier, docs)


def test_the_older_layout_puts_each_page_in_the_shard_of_its_url(tmp_path: Path,
                                                                 classifier: Classifier) -> None:
    path = sharded(tmp_path / "index", classifier, DOCS + MORE, routed=shards.ROUTE_URL)
    assert shards.route_of(path) == shards.ROUTE_URL
    assert shards.shard_count(path) == 3
    per_shard = [Searcher(d).count() for d in shards.shard_dirs(path)]
    assert sum(per_shard) == len(DOCS + MORE) and all(per_shard)
    for doc in DOCS:
        home = shards.shard_dirs(path)[shards.route(doc.url, 3)]
        assert Searcher(home).search(f'"{doc.title}"', snippets=False).total >= 1


def test_merged_results_equal_the_single_index(tmp_path: Path, classifier: Classifier) -> None:
    single = Searcher(indexed(tmp_path / "single", classifier, DOCS + MORE))
    split = Searcher(sharded(tmp_path / "sharded", classifier, DOCS + MORE))
    for query in ("aide logement caf", "carte grise", "allocations familiales", "numéro 117"):
        one, many = single.search(query, limit=100), split.search(query, limit=100)
        assert many.total == one.total
        # every match, each once (the order of near ties moves: each shard has its own BM25 statistics)
        assert sorted(h.url for h in many.results) == sorted(h.url for h in one.results)
        assert many.facets == one.facets
    for query in ("carte grise préfecture", "allocations familiales", "numéro 117"):
        one, many = single.search(query), split.search(query)
        assert many.results[0].url == one.results[0].url
        assert many.results[0].snippet == one.results[0].snippet
    page_two = split.search("aide logement", page=2, limit=10)
    assert len(page_two.results) == 10
    assert not {h.url for h in page_two.results} & {h.url for h in split.search("aide logement").results}


def test_copies_in_two_shards_are_one_result(tmp_path: Path, classifier: Classifier) -> None:
    original = DOCS[1]
    copies = [replace(original, url=original.url.replace("particuliers", f"copie{n}")) for n in range(6)]
    # the older layout: each copy in the shard of its URL
    path = sharded(tmp_path / "index", classifier, [original, *copies], routed=shards.ROUTE_URL)
    assert len({shards.route(d.url, 3) for d in [original, *copies]}) > 1
    found = Searcher(path).search("allocations familiales")
    assert len(found.results) == 1
    assert len(found.results[0].duplicates) == len(copies)


def test_replacement_and_delete_reach_the_right_shard(tmp_path: Path, classifier: Classifier) -> None:
    path = sharded(tmp_path / "index", classifier, DOCS)
    with IndexWriter(path, classifier) as writer:
        assert writer.shards == 3
        assert writer.add(replace(DOCS[0], title="Démarches renouvelées")) == "replaced"
        assert writer.delete_url(DOCS[3].url) == 1
        assert writer.delete_url("https://www.paris.fr/absent") == 0
    searcher = Searcher(path)
    assert searcher.count() == len(DOCS) - 1
    assert [h.title for h in searcher.search("renouvelées").results] == ["Démarches renouvelées"]
    assert searcher.search("stationnement").total == 0
    with IndexWriter(path, classifier) as writer:
        assert writer.delete_domain("service-public.fr") == 2
    assert Searcher(path).count() == len(DOCS) - 3


def test_stats_show_the_shards(tmp_path: Path, classifier: Classifier) -> None:
    stats = Searcher(sharded(tmp_path / "index", classifier, DOCS + MORE)).stats()
    assert stats["documents"] == len(DOCS + MORE)
    assert [s["shard"] for s in stats["shards"]] == [0, 1, 2]
    assert sum(s["documents"] for s in stats["shards"]) == stats["documents"]
    assert sum(stats["by_category"].values()) == stats["documents"]


def test_a_bad_layout_is_a_typed_error(tmp_path: Path, classifier: Classifier) -> None:
    path = tmp_path / "index"
    path.mkdir()
    (path / shards.MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexOpenError):
        Searcher(path)
    with pytest.raises(IndexOpenError):
        shards.create(path, 2)  # not empty
    with pytest.raises(IndexOpenError):
        shards.create(tmp_path / "other", 0)
    with pytest.raises(IndexOpenError):
        shards.create(tmp_path / "other", 2, routed="by-moon")
    (path / shards.MANIFEST).write_text('{"shards": 2, "route": "by-moon"}', encoding="utf-8")
    with pytest.raises(IndexOpenError):
        Searcher(path)


def test_the_plan_answers_as_the_full_query_when_it_finds_enough(tmp_path: Path,
                                                                 classifier: Classifier) -> None:
    path = indexed(tmp_path / "index", classifier, DOCS + MORE)
    planned = Searcher(path, plan=QueryPlan(conjunctive_first=True, min_docs=0, min_matches=5))
    full = Searcher(path, plan=QueryPlan(conjunctive_first=False))
    # every page holding "aide" holds "logement" and no other: the conjunction is the whole answer
    assert ([h.url for h in planned.search("aide logement").results]
            == [h.url for h in full.search("aide logement").results])
    # too few pages hold both words: the full query answers, the same as without the plan
    narrow = planned.search("carte grise stationnement")
    assert narrow.total == full.search("carte grise stationnement").total


def test_first_crawl_progress_counts_every_shard(tmp_path: Path, classifier: Classifier) -> None:
    from sdc.cli.first_crawl import indexed_pages

    path = sharded(tmp_path / "index", classifier, DOCS + MORE)
    assert indexed_pages(path) == len(DOCS + MORE)
