"""Pipelines only adapt items for their store: the crawl state, then the index writer.

:class:`StatePipeline` records each page's validators (ETag, Last-Modified) for the next,
conditional, crawl and forgets pages that are gone.  :class:`IndexPipeline` hands pages to one
:class:`index.writer.IndexWriter` for the whole crawl (opened by :func:`crawler.run.run_crawl`; it
batches and commits on its own schedule)
and deletes pages that answered 404/410.  Counts go to the stats under ``index/<outcome>``; a page
the index refuses (:class:`index.errors.InvalidDocumentError`: a URL over 8192 characters) is
counted under ``index/invalid`` and dropped, never the crawl.
While an index is written, the crawl state and the frontier are written at its checkpoints
(:meth:`IndexPipeline.checkpoint`), never ahead of it.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import NotConfigured

from crawler.items import Gone, Page, Unchanged
from index.errors import InvalidDocumentError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.frontier import Frontier
    from crawler.state import CrawlState
    from index.writer import IndexWriter

logger = logging.getLogger(__name__)


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
    """Pages into the index; every ``CHECKPOINT_SECONDS``, a checkpoint (see :meth:`checkpoint`)."""

    CHECKPOINT_SECONDS = 5.0

    def __init__(self, crawler: Crawler, writer: IndexWriter, state: CrawlState | None = None,
                 frontier: Frontier | None = None) -> None:
        self.crawler, self.writer, self.state, self.frontier = crawler, writer, state, frontier
        for store in (state, frontier):
            if store is not None:
                store.auto_flush = False
        self._last_checkpoint = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        spider = crawler.spider
        writer = getattr(spider, "index_writer", None)  # opened by crawler.run; none for benchmarks
        if writer is None:
            raise NotConfigured
        return cls(crawler, writer, getattr(spider, "crawl_state", None), getattr(spider, "frontier", None))

    def checkpoint(self) -> None:
        """Commit the index, then write the crawl state and the frontier's "done" marks.

        In this order, a crash at any point leaves the state and the frontier saying no more
        than the index has: pages are at worst fetched again, never lost.
        """
        self.writer.commit()
        if self.state is not None:
            self.state.flush()
        if self.frontier is not None:
            self.frontier.flush()
        self._last_checkpoint = time.monotonic()

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        if isinstance(item, Page):
            try:
                outcome = self.writer.add(item.document)
            except InvalidDocumentError as exc:  # a URL over 8192 characters: the crawl goes on
                stats.inc_value("index/invalid")
                logger.warning("page not indexed: %s", exc)
                return item
            stats.inc_value(f"index/{outcome}")
            if item.document.kind == "news":
                stats.inc_value("index/news")
        elif isinstance(item, Gone):
            stats.inc_value("index/deleted", self.writer.delete_url(item.url))
        elif isinstance(item, Unchanged):
            stats.inc_value("index/kept")
        if time.monotonic() - self._last_checkpoint >= self.CHECKPOINT_SECONDS:
            self.checkpoint()
        return item

    def close_spider(self) -> None:
        self.writer.close()
        for store in (self.state, self.frontier):
            if store is not None:
                store.flush()
