"""Robots.txt and sitemaps in a crawl: a host's Crawl-delay, and the pages its sitemaps list.

:class:`SitemapsMixin` is mixed into :class:`crawler.spiders.allowlist.AllowlistSpider`.
RobotsTxtMiddleware fetches each host's robots.txt and sends the ``robots_parsed`` signal: its
``Crawl-delay`` (at most :data:`MAX_CRAWL_DELAY`) becomes the host's download delay, and each
``Sitemap:`` line on a trusted host is requested.  Sitemap indexes and gzip sitemaps are followed;
every page a sitemap lists goes through the spider's link filter (``follow_url``), as a link does.

Stats: ``crawler/robots_crawl_delay``, ``crawler/sitemaps``, ``crawler/sitemap_errors``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawler.urls import host_of

MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is read as this


class SitemapsMixin:
    """Crawl-delays and sitemaps for the allowlist spider (see the module docstring)."""

    # the spider's own attributes and methods this mixin uses
    scope: Any
    config: Any
    crawler: Any
    follow_url: Any
    failed_aux: Any

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """RobotsTxtMiddleware fetched a host's robots.txt: its Crawl-delay, the sitemaps it lists."""
        assert self.crawler.engine is not None
        downloader = self.crawler.engine.downloader
        delay = robotparser.crawl_delay(self.crawler.settings["ROBOTSTXT_USER_AGENT"])
        if delay and hasattr(downloader, "crawl_delays"):
            downloader.crawl_delays[downloader.get_slot_key(request)] = min(float(delay), MAX_CRAWL_DELAY)
            self.crawler.stats.inc_value("crawler/robots_crawl_delay")
        parsed = getattr(robotparser, "rp", None)  # Protego, Scrapy's default parser
        for url in getattr(parsed, "sitemaps", None) or ():
            if self.scope.allows(host_of(url)):
                self.crawler.engine.crawl(Request(url, callback=self.parse_sitemap, errback=self.failed_aux,
                                                  priority=10))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.config.max_size)
            except (OSError, ValueError):
                self.crawler.stats.inc_value("crawler/sitemap_errors")
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises many kinds on garbage; a bad sitemap is just skipped
            self.crawler.stats.inc_value("crawler/sitemap_errors")
            return
        self.crawler.stats.inc_value("crawler/sitemaps")
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                if self.scope.allows(host_of(loc)):
                    yield Request(loc, callback=self.parse_sitemap, errback=self.failed_aux, priority=10)
            else:
                request = self.follow_url(loc, response.meta.get("depth", 0) + 1)
                if request is not None:
                    yield request
