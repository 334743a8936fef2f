"""The crawler's writer on a sharded index (issue 18): ``sdc crawl`` over a site farm on loopback
fills every shard, and a recrawl replaces a changed page (which moves it to the shard of its new
text) and deletes the pages gone, wherever they are."""

from __future__ import annotations

from collections import Counter
from typing import Any

import tantivy

from index import schema as f
from index import shards
from index.documents import PageDocument
from index.searcher import Searcher
from index.stored_page import content_hash
from tests.crawler.conftest import corpus_records, crawl_run, make_farm  # noqa: F401 - fixtures

COUNT = 3


def placement(path: Any) -> dict[str, list[int]]:
    """The shards holding each URL, and (as the key ``""``) nothing else."""
    held: dict[str, list[int]] = {}
    for n, directory in enumerate(shards.shard_dirs(path)):
        index = f.open_index(directory, create=False)
        index.reload()
        searcher = index.searcher()
        for _, address in searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs)).hits:
            held.setdefault(str(searcher.doc(address).get_first(f.URL)), []).append(n)
    return held


def test_the_crawler_writes_each_page_to_its_shard(corpus_records: list[dict[str, Any]],  # noqa: F811
                                                   make_farm: Any, crawl_run: Any) -> None:  # noqa: F811
    records = corpus_records[:45]
    farm = make_farm(records, hostile=False)
    run = crawl_run(farm)
    path = run.data_dir / "index"
    shards.create(path, COUNT)
    run.run()
    first = run.indexed()
    assert {r["url"] for r in records} <= set(first)
    held = placement(path)
    assert Counter(len(where) for where in held.values()) == Counter({1: len(held)})
    assert len({where[0] for where in held.values()}) == COUNT

    changed, removed = records[0]["url"], records[1]["url"]
    farm.update(changed, body="Nouveau texte : la procédure zygomorphe remplace l'ancienne.")
    farm.remove(removed, status=404)
    run.run()
    held = placement(path)
    assert removed not in held and all(len(where) == 1 for where in held.values())
    page = run.indexed()[changed]
    stored = PageDocument(page[f.URL][0], page[f.TITLE][0], page[f.BODY][0],
                          page.get(f.DESCRIPTION, [""])[0], headings=page.get(f.HEADINGS, []))
    assert held[changed] == [shards.copy_route(f.same_id(content_hash(stored)), COUNT)]
    hits = Searcher(path).search("zygomorphe", limit=3)
    assert [h.url for h in hits.results] == [changed] and hits.total == 1
