"""Pages of a distributed crawl go to the index's page stream, not to an index writer.

:class:`StreamPipeline` publishes each :class:`crawler.items.Page` (and each page found gone)
to :class:`index.stream.PageStream`; one ``sdc index consume`` process writes the index.  Counts
go to the stats under ``stream/<what>``.

A publish that Redis refuses (:class:`index.stream.StreamError`) is raised as
:class:`~crawler.distributed.errors.SharedCrawlError`: Scrapy then sends ``item_error`` with the
page's response, and the scheduler puts that one request back in the queue
(:meth:`crawler.distributed.scheduler.SharedScheduler.item_error`); every other page goes on as
usual.  The page's validators are taken back from the crawl state first, so that the new fetch
is not answered 304.  Any other exception is a bug, not retried: Scrapy logs it, the page is
dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import NotConfigured

from crawler.distributed.errors import SharedCrawlError
from crawler.items import Gone, Page
from index.stream import StreamError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from index.stream import PageStream


class StreamPipeline:
    def __init__(self, crawler: Crawler, stream: PageStream) -> None:
        self.crawler, self.stream = crawler, stream

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        stream = getattr(crawler.spider, "page_stream", None)  # opened by crawler.run
        if stream is None:
            raise NotConfigured
        return cls(crawler, stream)

    def process_item(self, item: Any) -> Any:
        try:
            self._publish(item)
        except StreamError as exc:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value("stream/failed")
            self._unrecord(item)
            raise SharedCrawlError(f"page not published, to be fetched again: {exc}") from exc
        return item

    def _unrecord(self, item: Any) -> None:
        """Undo what ``StatePipeline`` recorded, so that the new fetch publishes the page again:
        no conditional request (its 304 would publish nothing), and a gone page still known (the
        spider reports only known pages as gone)."""
        state = getattr(self.crawler.spider, "crawl_state", None)
        if state is None:
            return
        if isinstance(item, Page):
            state.forget(item.url)
        elif isinstance(item, Gone):
            state.record(item.url, None, None)

    def _publish(self, item: Any) -> None:
        stats = self.crawler.stats
        assert stats is not None
        if isinstance(item, Page):
            self.stream.publish(item.document)
            stats.inc_value("stream/published")
        elif isinstance(item, Gone):
            self.stream.publish_delete(item.url)
            stats.inc_value("stream/deleted")
