"""Pipelines only adapt items for their store: the crawl state, then the index writer.

:class:`StatePipeline` records each page's validators (ETag, Last-Modified) for the next,
conditional, crawl and forgets pages that are gone.  :class:`IndexPipeline` hands pages to one
:class:`index.writer.IndexWriter` for the whole crawl (it batches and commits on its own schedule)
and deletes pages that answered 404/410.  Counts go to the stats under ``index/<outcome>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import NotConfigured

from crawler.items import Gone, Page, Unchanged

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.state import CrawlState
    from index.writer import IndexWriter


class StatePipeline:
    def __init__(self, state: CrawlState) -> None:
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        state = getattr(crawler.spider, "crawl_state", None)
        if state is None:
            raise NotConfigured
        return cls(state)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Page):
            self.state.record(item.url, item.etag, item.last_modified)
        elif isinstance(item, Gone):
            self.state.forget(item.url)
        return item

    def close_spider(self) -> None:
        self.state.flush()


class IndexPipeline:
    def __init__(self, crawler: Crawler, writer: IndexWriter) -> None:
        self.crawler, self.writer = crawler, writer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = getattr(crawler.spider, "config", None)
        if config is None or config.index_dir is None:
            raise NotConfigured
        from index.writer import IndexWriter  # the index is optional for a crawl (e.g. benchmarks)

        writer = IndexWriter(config.index_dir, config.scope.classifier, batch_size=1000, commit_seconds=5.0)
        return cls(crawler, writer)

    def process_item(self, item: Any) -> Any:
        from index.documents import PageDocument

        stats = self.crawler.stats
        assert stats is not None
        if isinstance(item, Page):
            outcome = self.writer.add(PageDocument(
                url=item.url, title=item.title, body=item.body, description=item.description,
                headings=item.headings, lang=item.lang, published=item.published, fetched=item.fetched))
            stats.inc_value(f"index/{outcome}")
        elif isinstance(item, Gone):
            stats.inc_value("index/deleted", self.writer.delete_url(item.url))
        elif isinstance(item, Unchanged):
            stats.inc_value("index/kept")
        return item

    def close_spider(self) -> None:
        self.writer.close()
