"""Feed items indexed as news documents, end to end: a real ``sdc crawl`` (Scrapy) over the loopback
site farm, whose feeds are built from the corpus's dated pages, into a real Tantivy index."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.farm import load_corpus
from crawler.farm.feeds import FEED_PATH
from crawler.feeds import parse_feed
from index.searcher import Searcher

HOST = "travail-emploi.gouv.fr"


@pytest.fixture()
def farm_records(corpus_records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in corpus_records if r["site"] == HOST]


def feed_items(farm: Any) -> dict[str, Any]:
    """The items of every farm host's RSS feed (hosts without dated pages have none)."""
    items = {}
    for host in farm.hosts:
        reply = farm.sites[host].respond(FEED_PATH, {})
        if reply.status == 200:
            items.update({i.url: i for i in parse_feed(reply.body, f"https://{host}{FEED_PATH}")})
    return items


def all_documents(run: Any) -> list[dict[str, Any]]:
    """Every stored document (a list: a URL indexed twice would show twice)."""
    return list(run.documents())


@pytest.mark.parametrize("budget", ["60", "12"])
def test_each_feed_item_is_one_news_document(farm_records: list[dict[str, Any]], make_farm: Any,
                                             crawl_run: Any, budget: str) -> None:
    farm = make_farm(farm_records, hostile=False)
    items = feed_items(farm)
    assert len(items) >= 20
    run = crawl_run(farm)
    run.run("--max-pages-per-host", budget)
    stats = run.stats
    docs = all_documents(run)
    urls = [d["url"][0] for d in docs]
    assert len(urls) == len(set(urls))  # one document per URL: an item and its page are one result
    news = {d["url"][0]: d for d in docs if d.get("kind") == ["news"]}
    # every item of the feeds (RSS, Atom and news sitemap name the same pages) is a news document,
    # with the feed's publication date; nothing else is news
    assert set(news) == set(items)
    for url, doc in news.items():
        assert doc["published"][0].date() == items[url].published
        assert doc["title"][0]
    assert all(d.get("kind") == ["page"] for d in docs if d["url"][0] not in items)
    from_pages = stats.get("crawler/news/page", 0)
    feed_only = stats.get("crawler/news/feed_only", 0)
    assert from_pages + feed_only >= len(items) and stats["index/news"] >= len(items)
    if budget == "12":  # most items beyond the host's budget: indexed from the feed's own words
        assert feed_only >= len(items) - 12
    else:  # every item's page crawled: the news document has the page's text, not just the summary
        assert from_pages >= len(items)
        record = next(r for r in farm_records if r["url"] in items)
        assert len(news[record["url"]]["body"][0]) > len(items[record["url"]].summary)


def test_the_news_of_the_index_newest_first(corpus_file: Path, make_farm: Any, crawl_run: Any) -> None:
    # 80 pages a site: each site's feed lists its 50 newest, the others are pages, not news
    farm = make_farm(load_corpus(corpus_file, 240), hostile=False)
    items = feed_items(farm)
    run = crawl_run(farm)
    run.run("--max-pages-per-host", "100")
    searcher = Searcher(run.data_dir / "index")
    word = "travail"
    found = searcher.search(word, kind="news", sort="date", limit=50)
    assert found.total >= 5
    assert {hit.url for hit in found.results} <= set(items)
    days = [hit.published for hit in found.results]
    assert all(isinstance(d, date) for d in days) and days == sorted(days, reverse=True)  # type: ignore[type-var]
    # the same words in the whole index find the pages that are not news too
    everything = searcher.search(word, limit=50)
    assert everything.total > found.total
    assert any(hit.url not in items for hit in everything.results)
