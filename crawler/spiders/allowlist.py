"""Walk every trusted site from its home page and sitemaps, following links only inside the list.

Per host, the spider requests the home page and ``/sitemap.xml``, and follows the ``Sitemap:``
lines of the robots.txt that RobotsTxtMiddleware fetches (:mod:`crawler.sitemaps`); sitemap
indexes and gzip sitemaps are followed.  Links go through a seen-set before any Request is built
(building a Request per link costs more than the page; see docs/crawler.md), then through URL
canonicalisation, the crawl scope (the registry's classifier), the not-a-page and trap filters,
the per-host budget and the global budget.  The offsite middleware checks the scope again for
redirects.

Stats: ``crawler/pages``, ``crawler/unchanged``, ``crawler/gone``, ``crawler/skipped/<why>``,
``crawler/links/<why>``, ``crawler/canonical_offlist``, ``crawler/host_budget_reached``.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import StopDownload
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.config import CrawlConfig
from crawler.errors import CrawlStopping
from crawler.extract import decode_html, extract_page
from crawler.frontier import Frontier
from crawler.items import Gone, Page, Unchanged
from crawler.news import FeedsMixin
from crawler.sitemaps import SitemapsMixin
from crawler.state import CrawlState
from crawler.urls import canonical_url, host_of, is_page_link, looks_like_trap
from index.documents import PageDocument

PAGE_STATUSES = [304, 404, 410]
BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b", b"Rar!",
                b"\xd0\xcf\x11\xe0", b"OggS", b"ID3", b"RIFF", b"\x00\x00\x01\x00")
HTML_TYPES = (b"text/html", b"application/xhtml+xml", b"text/plain", b"")


class AllowlistSpider(SitemapsMixin, FeedsMixin, Spider):
    name = "allowlist"

    def __init__(self, config: CrawlConfig, crawl_state: CrawlState | None = None,
                 frontier: Frontier | None = None, index_writer: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.config = config
        self.index_writer = index_writer  # used by IndexPipeline
        self.scope = config.scope
        self.crawl_state = crawl_state
        self.frontier = frontier
        self.seen: set[str] = set()
        self.per_host: Counter[str] = Counter()
        self.pending: Counter[str] = Counter()
        self.scheduled = 0
        self.in_flight: set[str] = set()  # URLs requested as pages, not yet parsed
        self.news_items = {}
        self.plain_pages = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> AllowlistSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.headers_received, signal=signals.headers_received)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    def request_dropped(self, request: Request, spider: Any = None) -> None:
        """A redirect to a URL already seen is dropped by the dupefilter without any callback:
        the URL that redirected is done all the same (for the frontier and the host counts)."""
        redirects = request.meta.get("redirect_urls")
        if redirects and request.callback == self.parse:
            self._finished(redirects[0])

    def headers_received(self, headers: Any, body_length: int, request: Request, spider: Any) -> None:
        """Stop downloading a page as soon as its headers say it is not HTML (video, PDF, archive)."""
        if request.callback != self.parse:
            return  # sitemaps are XML or gzip
        content_type = (headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if content_type not in HTML_TYPES and not content_type.startswith(b"text/"):
            self.crawler.stats.inc_value("crawler/skipped/stopped_early")
            raise StopDownload(fail=False)

    # -- seeds --

    async def start(self) -> AsyncIterator[Any]:
        if self.frontier is not None and self.config.resume:
            for request in self._resumed_requests(self.frontier):
                yield request
        for seed in self.config.seeds:
            for request in self._seed_requests(seed):
                yield request
        if self.config.revisit and self.crawl_state is not None:
            # known pages are asked again, so that the ones no longer linked are found gone
            # the scope's own rule (subdomains included), not an exact-host filter
            for url in self.crawl_state.known_urls(self.scope.allows):
                known = self.follow_url(url, depth=1)
                if known is not None:
                    yield known

    def _resumed_requests(self, frontier: Frontier) -> Iterator[Request]:
        """The stopped crawl's URLs fill the seen-set and budgets; those not done are asked again."""
        for url, depth, done in frontier.saved():
            self.seen.add(url)
            host = host_of(url) or ""
            self.per_host[host] += 1
            self.scheduled += 1
            if not done:
                self.pending[host] += 1
                self.crawler.stats.inc_value("crawler/resumed")
                yield self._page_request(url, depth, record=False)

    def _seed_requests(self, seed: str) -> Iterator[Request]:
        parts = urlsplit(seed if "://" in seed else f"https://{seed}")
        root = f"{parts.scheme}://{parts.netloc}"
        if not self.scope.allows(host_of(root)):
            self.crawler.stats.inc_value("crawler/seeds_refused")
            return
        page = self.follow_url(seed if "://" in seed else root + "/", depth=0)
        if page is not None:
            # the home page first: it names the host's feeds, read before the pages they list
            page.priority = 20
            yield page
        yield Request(f"{root}/sitemap.xml", callback=self.parse_sitemap, errback=self.failed_aux,
                      meta={"handle_httpstatus_list": [404, 410]}, priority=10)

    # -- link filter: seen-set first, Request objects only for new URLs --

    def follow_url(self, url: str, depth: int) -> Request | None:
        if url in self.seen:
            return None
        self.seen.add(url)
        canonical = canonical_url(url)
        if canonical is None:
            self.crawler.stats.inc_value("crawler/links/invalid")
            return None
        if canonical != url:
            if canonical in self.seen:
                return None
            self.seen.add(canonical)
        stats = self.crawler.stats
        host = host_of(canonical)
        if not self.scope.allows(host):
            stats.inc_value("crawler/links/offsite")
            return None
        if not is_page_link(canonical):
            stats.inc_value("crawler/links/not_a_page")
            return None
        if looks_like_trap(canonical):
            stats.inc_value("crawler/links/trap")
            return None
        assert host is not None
        if self.per_host[host] >= self.config.max_pages_per_host:
            if self.per_host[host] == self.config.max_pages_per_host:
                stats.inc_value("crawler/host_budget_reached")
                self.per_host[host] += 1
            return None
        if self.config.max_pages is not None and self.scheduled >= self.config.max_pages:
            return None
        self.per_host[host] += 1
        self.pending[host] += 1
        self.scheduled += 1
        return self._page_request(canonical, depth)

    def _page_request(self, url: str, depth: int, *, record: bool = True) -> Request:
        if record and self.frontier is not None:
            self.frontier.push(url, depth)
        self.in_flight.add(url)
        return Request(url, callback=self.parse, errback=self.failed,
                       meta={"handle_httpstatus_list": PAGE_STATUSES, "depth": depth})

    # -- pages --

    def parse(self, response: Response) -> Iterator[Any]:
        redirects = response.meta.get("redirect_urls")
        try:
            yield from self._page_items(response)
        finally:
            # after the pipelines took this page's items (Scrapy runs them as each is yielded)
            self._finished(redirects[0] if redirects else response.url)

    def _page_items(self, response: Response) -> Iterator[Any]:
        # not named ``_parse``: that is Scrapy's private default callback, which must stay its own
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("crawler/unchanged")
            yield Unchanged(response.url)
            return
        if response.status in (404, 410):
            stats.inc_value(f"crawler/http_{response.status}")
            if self.crawl_state is not None and response.url in self.crawl_state.validators:
                stats.inc_value("crawler/gone")  # indexed by an earlier crawl: remove it
                yield Gone(response.url, response.status)
            return
        if "download_stopped" in response.flags:  # counted in headers_received
            yield from self.unfetched_news(response.request)
            return
        why = self.not_a_page(response)
        if why:
            stats.inc_value(f"crawler/skipped/{why}")
            yield from self.unfetched_news(response.request)  # a feed item linking a PDF: its feed's words
            return
        assert isinstance(response, TextResponse)
        page = extract_page(decode_html(response.body, _header(response.headers.get(b"Content-Type"))),
                            response.url)
        url = response.url
        canonical = canonical_url(page.canonical) if page.canonical else None
        skipped = None
        if canonical and page.canonical != url:
            if self.scope.allows(host_of(canonical)):
                url = canonical
            else:
                skipped = "canonical_offlist"
        if skipped is None and page.noindex:
            skipped = "skipped/noindex"
        elif skipped is None and not page.body and not page.title:
            skipped = "skipped/empty"
        if skipped is not None:
            stats.inc_value(f"crawler/{skipped}")
            if self.crawl_state is not None and response.url in self.crawl_state.validators:
                # indexed by an earlier crawl, no longer to be: remove it as if it were gone
                yield Gone(response.url, response.status)
            if skipped == "canonical_offlist":
                return
        else:
            stats.inc_value("crawler/pages")
            headers = response.headers
            document = PageDocument(url=url, title=page.title, body=page.body,
                                    description=page.description, headings=page.headings,
                                    lang=page.lang, published=page.published, fetched=datetime.now(UTC))
            yield self.as_indexed(response, Page(document, etag=_header(headers.get(b"ETag")),
                                                 last_modified=_header(headers.get(b"Last-Modified"))))
        # each host's news feeds, once (crawler/news.py), before the links: they take the budget first
        yield from self.feed_requests(response)
        depth = response.meta.get("depth", 0) + 1
        for link in page.links:
            request = self.follow_url(link, depth)
            if request is not None:
                yield request

    def not_a_page(self, response: Response) -> str | None:
        """Why a response is not an HTML page to index (binary, image, other type), or None."""
        if not isinstance(response, TextResponse):
            return "binary"
        content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if content_type not in HTML_TYPES:
            return "not_html"
        head = response.body[:1024]
        if head.startswith(BINARY_MAGIC) or b"\x00" in head[:512] and b"<" not in head[:64]:
            return "binary"
        return None

    def failed(self, failure: Failure) -> list[Page]:
        if failure.check(CrawlStopping):  # not fetched: left undone in the frontier, for --resume
            self.crawler.stats.inc_value("crawler/stopped_unfetched")
            return []
        request = getattr(failure, "request", None)
        if request is not None:
            redirects = request.meta.get("redirect_urls")
            self._finished(redirects[0] if redirects else request.url)
        kind = failure.type.__name__ if failure.type is not None else "unknown"
        self.crawler.stats.inc_value(f"crawler/errors/{kind}")
        return self.unfetched_news(request)  # a feed item whose page failed: its feed's words

    def _finished(self, url: str) -> None:
        self.pending[host_of(url) or ""] -= 1
        self.in_flight.discard(url)
        if self.frontier is not None:
            self.frontier.done(url)

    def failed_aux(self, failure: Failure) -> None:
        """Robots.txt or sitemap fetch failed: the home page and links still cover the site."""


def _header(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None

