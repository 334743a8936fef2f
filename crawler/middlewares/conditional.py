"""Make recrawls conditional: send ``If-None-Match`` / ``If-Modified-Since`` for known pages.

The validators come from the crawl state (:class:`crawler.state.CrawlState`, ETag and
Last-Modified recorded by :class:`crawler.pipelines.StatePipeline` on the previous crawl).  The
server answers 304 Not Modified for pages that did not change; the spider then keeps what the index
has.  Counted under ``conditional/sent``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from scrapy import Request
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.state import CrawlState


class ConditionalRequestMiddleware:
    def __init__(self, state: CrawlState, crawler: Crawler) -> None:
        self.state, self.crawler = state, crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        state = getattr(crawler.spider, "crawl_state", None)
        if state is None:
            raise NotConfigured
        return cls(state, crawler)

    def process_request(self, request: Request) -> None:
        known = self.state.validators.get(request.url)
        if known is None or request.method != "GET":
            return
        if "news" in request.meta or request.url in getattr(self.crawler.spider, "news_items", ()):
            return  # a feed item's page is asked in full: it is indexed again as the item (crawler.news)
        # a 304 keeps what the index has: only ask for one when it has the page (it may have been
        # deleted, or the index rebuilt, since the validators were recorded)
        writer = getattr(self.crawler.spider, "index_writer", None)
        if writer is not None and not writer.contains(request.url):
            return
        etag, last_modified = known
        if etag:
            request.headers.setdefault(b"If-None-Match", etag)
        if last_modified:
            request.headers.setdefault(b"If-Modified-Since", last_modified)
        if etag or last_modified:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("conditional/sent")
