"""Pages of a distributed crawl go to the index's page stream, not to an index writer.

:class:`StreamPipeline` publishes each :class:`crawler.items.Page` (and each page found gone)
to :class:`index.stream.PageStream`; one ``sdc index consume`` process writes the index.  The
publish (``XADD``) is done before the spider marks the page done, so a page leaves a worker's
in-flight record only once it is in the stream.  Counts go to the stats under ``stream/<what>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import NotConfigured

from crawler.items import Gone, Page

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
        except Exception:
            # the spider would mark the page done: keep every in-flight entry instead, so that
            # the pages go back to the queue when this worker stops
            frontier = getattr(self.crawler.spider, "frontier", None)
            if frontier is not None:
                frontier.keep_inflight = True
            raise
        return item

    def _publish(self, item: Any) -> None:
        stats = self.crawler.stats
        assert stats is not None
        if isinstance(item, Page):
            self.stream.publish(item.document)
            stats.inc_value("stream/published")
        elif isinstance(item, Gone):
            self.stream.publish_delete(item.url)
            stats.inc_value("stream/deleted")
