"""Pipelines: pages into the state and the index; state and frontier never ahead of the index."""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.frontier import Frontier
from crawler.items import Gone, Page, Unchanged
from crawler.pipelines import IndexPipeline, StatePipeline
from crawler.state import CrawlState
from index.documents import PageDocument
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Category, Classifier, Entry

CLASSIFIER = Classifier(entries=[Entry("www.mairie.fr", Category.COMMUNE, "Mairie", "test", "test")],
                        builtin=False)


def _pipelines(tmp_path: Path) -> tuple[StatePipeline, IndexPipeline, CrawlState, Frontier]:
    class CrawlSpider(Spider):
        name = "crawl"

    crawler = get_crawler(CrawlSpider)
    crawler.spider = crawler._create_spider()
    state = CrawlState(tmp_path / "state.sqlite")
    frontier = Frontier(tmp_path / "frontier.sqlite", resume=False)
    crawler.spider.crawl_state, crawler.spider.frontier = state, frontier
    crawler.spider.index_writer = IndexWriter(tmp_path / "index", CLASSIFIER)
    return StatePipeline.from_crawler(crawler), IndexPipeline.from_crawler(crawler), state, frontier


def _done(path: Path) -> set[str]:
    reopened = Frontier(path, resume=True)
    try:
        return {url for url, _, done in reopened.saved() if done}
    finally:
        reopened.close()


def test_checkpoint_orders_index_then_state_then_frontier(tmp_path: Path) -> None:
    state_pipeline, index_pipeline, state, frontier = _pipelines(tmp_path)
    page = Page(PageDocument(url="https://www.mairie.fr/conseil", title="Conseil municipal",
                             body="Budget primitif"), etag='"v1"')
    frontier.push(page.url, 1)
    for pipeline in (state_pipeline, index_pipeline):
        pipeline.process_item(page)
    frontier.done(page.url)
    frontier.flush(done=frontier.auto_flush)  # what a timed flush does
    assert frontier.auto_flush is False and state.auto_flush is False
    assert _done(tmp_path / "frontier.sqlite") == set()  # not before the index commits
    index_pipeline.checkpoint()
    assert _done(tmp_path / "frontier.sqlite") == {page.url}
    assert [h.url for h in Searcher(tmp_path / "index").search("budget").results] == [page.url]
    assert list(CrawlState(tmp_path / "state.sqlite").known_urls()) == [page.url]

    for pipeline in (state_pipeline, index_pipeline):
        pipeline.process_item(Unchanged(page.url))
        pipeline.process_item(Gone(page.url, 410))
    index_pipeline.close_spider()
    state_pipeline.close_spider()
    assert Searcher(tmp_path / "index").search("budget").total == 0
    assert list(CrawlState(tmp_path / "state.sqlite").known_urls()) == []
    stats = index_pipeline.crawler.stats.get_stats()
    assert stats["index/added"] == 1 and stats["index/kept"] == 1 and stats["index/deleted"] == 1


def test_untrusted_pages_are_refused_by_the_writer(tmp_path: Path) -> None:
    _, index_pipeline, _, _ = _pipelines(tmp_path)
    index_pipeline.process_item(Page(PageDocument(url="https://www.hors-liste.example/", title="x",
                                                   body="y")))
    index_pipeline.close_spider()
    assert index_pipeline.crawler.stats.get_value("index/refused") == 1


def test_a_page_the_index_refuses_is_counted_and_dropped(tmp_path: Path) -> None:
    state_pipeline, index_pipeline, _, _ = _pipelines(tmp_path)
    long_url = "https://www.mairie.fr/" + "a" * 9000  # over index.documents.MAX_URL
    pages = [Page(PageDocument(url=long_url, title="Trop long", body="Texte")),
             Page(PageDocument(url="https://www.mairie.fr/ok", title="Conseil", body="Budget primitif"))]
    for page in pages:
        for pipeline in (state_pipeline, index_pipeline):
            assert pipeline.process_item(page) is page  # never raises: the crawl goes on
    index_pipeline.close_spider()
    stats = index_pipeline.crawler.stats
    assert stats is not None
    assert (stats.get_value("index/invalid"), stats.get_value("index/added")) == (1, 1)
    assert [h.url for h in Searcher(tmp_path / "index").search("budget").results] == ["https://www.mairie.fr/ok"]
