"""News feeds in a crawl: found on each trusted host, fetched politely, their items indexed as news.

:class:`FeedsMixin` is mixed into :class:`crawler.spiders.allowlist.AllowlistSpider`.  The first
page fetched from each host is read for ``<link rel="alternate">`` feeds; a page that names none
sends the spider to the first :data:`crawler.feeds.COMMON_PATHS` instead.  Feeds are requested like
pages (robots.txt, per-host delay, the same downloader and budgets).

Each item of a feed becomes one document of kind ``news`` (:mod:`index.schema`), whatever happens
to its page, so that the Actualités view finds it once:

* its page is new to this crawl: it is requested through the spider's link filter with the item
  in ``meta["news"]``, unconditionally (a 304 would keep what the index has, maybe a plain page),
  and indexed as the item (:func:`crawler.feeds.news_page`: the page's text, the feed's date);
* its page is requested, not yet parsed (``in_flight``): the spider marks it when it parses it;
* its page was indexed as a plain page a moment before (its download had begun when the feed was
  read): it is indexed again as the item, from memory (:data:`RECENT_PAGES`);
* its page is in the index already, parsed by the crawl this one resumes (which read the feed too):
  left as it is (``crawler/news/known``; a page parsed more than :data:`RECENT_PAGES` pages before
  its host's feed, which the home-page-first order makes rare, stays a plain page until the next
  crawl);
* its page is not crawled (the budgets are spent, it is a PDF, its fetch failed): the feed's own
  title, summary and date are indexed under the item's URL (:func:`crawler.feeds.news_document`).

Stats: ``crawler/feeds``, ``crawler/news`` (items in scope), ``crawler/news/page`` (indexed with their
page's text), ``crawler/news/feed_only``, ``crawler/news/known``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from scrapy import Request

from crawler.extract import decode_html
from crawler.feeds import (
    COMMON_PATHS,
    FeedItem,
    discover,
    looks_like_feed,
    news_document,
    news_page,
    parse_feed,
)
from crawler.items import Page
from crawler.urls import canonical_url, host_of

#: items remembered by one crawl (their pages may be parsed long after the feed); past it, an
#: item whose page is in flight is indexed as a plain page
MAX_REMEMBERED = 200_000
#: plain pages remembered after their parsing, for the feed read just after them (a host's feed is
#: asked right after its home page, so only the pages already downloading then come before it)
RECENT_PAGES = 256
#: longer pages are not remembered (256 pages of 1 MB would be 256 MB): one of them named by a feed
#: read after it stays a plain page until the next crawl
RECENT_MAX_CHARS = 100_000


class FeedsMixin:
    """Feed discovery and news items for the allowlist spider (see the module docstring)."""

    GUESSED_PATHS = 1  # common paths tried on a host whose pages link no feed (one request)
    # the spider's own attributes and methods this mixin uses
    scope: Any
    config: Any
    crawler: Any
    per_host: Any
    pending: Any
    scheduled: int
    seen: set[str]
    in_flight: set[str]
    follow_url: Any
    failed_aux: Any
    _page_request: Any
    #: canonical URL -> its feed item, for the items seen in this crawl
    news_items: dict[str, FeedItem]
    #: the pages last indexed as plain pages, by canonical URL (a feed read a moment later may name one)
    plain_pages: OrderedDict[str, Page]
    index_writer: Any

    def feed_requests(self, response: Any) -> Iterator[Any]:
        host = host_of(response.url) or ""
        hosts: set[str] = self.__dict__.setdefault("_feed_hosts", set())
        if host in hosts or response.status != 200:
            return
        hosts.add(host)
        content_type = response.headers.get(b"Content-Type")
        charset = content_type.decode("latin-1") if content_type else None
        linked = discover(decode_html(response.body, charset), response.url)
        urls = linked or [urljoin(response.url, p) for p in COMMON_PATHS[:self.GUESSED_PATHS]]
        for url in urls:
            feed_host = host_of(url)
            if feed_host is None or not self.scope.allows(feed_host):
                continue
            # a feed is a request like a page: it counts against the same budgets
            if self.per_host[feed_host] >= self.config.max_pages_per_host or (
                    self.config.max_pages is not None and self.scheduled >= self.config.max_pages):
                return
            self.per_host[feed_host] += 1
            self.scheduled += 1
            yield Request(url, callback=self.parse_feed, errback=self.failed_aux,
                          meta={"handle_httpstatus_list": [404, 410]}, priority=5)

    def parse_feed(self, response: Any) -> Iterator[Any]:
        if response.status != 200 or not looks_like_feed(response.body):
            return
        self.crawler.stats.inc_value("crawler/feeds")
        for item in parse_feed(response.body, response.url):
            if self.scope.allows(host_of(item.url)):
                self.crawler.stats.inc_value("crawler/news")
                yield from self._item_requests(item)

    def _item_requests(self, item: FeedItem) -> Iterator[Any]:
        url = canonical_url(item.url)
        if url is None or url in self.news_items:
            return  # the same item in the RSS and the Atom feed: once
        if len(self.news_items) < MAX_REMEMBERED:
            self.news_items[url] = item
        stats = self.crawler.stats
        recent = self.plain_pages.pop(url, None)
        if recent is not None:  # parsed a moment ago: indexed again as the item, not fetched again
            stats.inc_value("crawler/news/page")
            yield Page(news_page(recent.document, item), recent.etag, recent.last_modified)
        elif url in self.in_flight:
            return  # requested, not parsed yet: marked as the item when parsed (news_of)
        elif url not in self.seen:
            request = self.follow_url(url, 1)
            if request is not None:
                request.meta["news"] = item
                yield request
            else:  # beyond the budgets, or not a page the crawler fetches
                yield self.feed_only(item)
        elif self.index_writer is None or not self.index_writer.contains(url):
            yield self.feed_only(item)  # seen, not indexed (a page that failed, or not a page)
        else:  # indexed by the crawl this one resumes (which read the feed), or long before the feed
            stats.inc_value("crawler/news/known")

    def feed_only(self, item: FeedItem) -> Page:
        """The item indexed from its feed alone (its page is not crawled)."""
        self.crawler.stats.inc_value("crawler/news/feed_only")
        return Page(news_document(item))

    def news_of(self, response: Any, url: str) -> FeedItem | None:
        """The feed item whose page ``response`` is (``url``: the page's canonical URL), if any."""
        item = response.meta.get("news")
        if isinstance(item, FeedItem):
            return item
        if not self.news_items:
            return None
        redirects = response.meta.get("redirect_urls") or ()
        for candidate in (url, response.url, *redirects[:1]):
            found = self.news_items.get(candidate)
            if found is not None:
                return found
        return None

    def as_indexed(self, response: Any, page: Page) -> Page:
        """``page`` (just parsed) as it is indexed: a feed item's news document, or a plain page
        (remembered a while: a feed read a moment later may name it)."""
        item = self.news_of(response, page.url)
        if item is None:
            if len(page.document.body) <= RECENT_MAX_CHARS:
                self.plain_pages[page.url] = page
                if len(self.plain_pages) > RECENT_PAGES:
                    self.plain_pages.popitem(last=False)
            return page
        self.crawler.stats.inc_value("crawler/news/page")
        return Page(news_page(page.document, item), page.etag, page.last_modified)

    def unfetched_news(self, request: Request | None) -> list[Page]:
        """A feed item whose page was not fetched or is no HTML page: its feed's document."""
        item = request.meta.get("news") if request is not None else None
        return [self.feed_only(item)] if isinstance(item, FeedItem) else []
