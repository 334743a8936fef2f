"""Incremental recrawl: conditional requests keep what did not change, update what did, drop what is gone."""

from __future__ import annotations

from typing import Any

from index.searcher import Searcher


def test_second_crawl_is_conditional(corpus_records: list[dict[str, Any]], make_farm: Any,
                                     crawl_run: Any) -> None:
    records = corpus_records[:45]
    farm = make_farm(records, hostile=False)
    run = crawl_run(farm)
    run.run()
    first = run.indexed()
    assert {r["url"] for r in records} <= set(first)

    changed, removed, gone = records[0]["url"], records[1]["url"], records[2]["url"]
    farm.update(changed, body="Nouveau texte : la procédure zygomorphe remplace l'ancienne.")
    farm.remove(removed, status=404)
    farm.remove(gone, status=410)
    already = len(farm.requests)
    run.run()

    second = farm.requests[already:]
    statuses = {r.path: r.status for r in second}
    pages = [r for r in second if f"https://{r.host}{r.path}" in first and r.path != "/"]
    assert sum(1 for r in pages if r.status == 304) >= len(records) - 3
    assert statuses[changed.split(".fr", 1)[1]] == 200
    assert run.stats["conditional/sent"] >= len(records)
    assert run.stats["crawler/unchanged"] >= len(records) - 3

    indexed = run.indexed()
    assert removed not in indexed and gone not in indexed
    assert run.stats["index/deleted"] == 2
    hits = Searcher(run.data_dir / "index").search("zygomorphe", limit=3)
    assert [h.url for h in hits.results] == [changed]
    unchanged = records[3]["url"]
    assert indexed[unchanged]["title"] == first[unchanged]["title"]
