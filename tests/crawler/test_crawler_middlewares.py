"""Downloader middlewares, each on its own, built as Scrapy builds them (``get_crawler``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.middlewares.conditional import ConditionalRequestMiddleware
from crawler.middlewares.offsite import TrustedOffsiteMiddleware
from crawler.middlewares.proxy import ProxyMiddleware
from crawler.middlewares.retry_after import RetryAfterMiddleware, retry_after_seconds
from crawler.scope import CrawlScope
from crawler.state import CrawlState
from sources import Category, Classifier, Entry

CLASSIFIER = Classifier(entries=[Entry("mairie.fr", Category.COMMUNE, "Mairie", "test", "test"),
                                 Entry("ecole.fr", Category.ETABLISSEMENT_SCOLAIRE, "École", "test", "test")],
                        builtin=False)


def _crawler(scope: CrawlScope, **attributes: object) -> object:
    class ScopedSpider(Spider):
        name = "scoped"

    crawler = get_crawler(ScopedSpider)
    crawler.spider = crawler._create_spider()
    crawler.spider.scope = scope
    for key, value in attributes.items():
        setattr(crawler.spider, key, value)
    return crawler


def test_offsite_follows_the_classifier() -> None:
    crawler = _crawler(CrawlScope(CLASSIFIER))
    middleware = TrustedOffsiteMiddleware.from_crawler(crawler)
    middleware.process_request(Request("https://www.mairie.fr/a"))
    middleware.process_request(Request("https://ecole.fr/"))
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("https://www.hors-liste.example/", dont_filter=True))
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("https://evil.com/", meta={"redirect_urls": ["https://www.mairie.fr/x"]}))
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("https://notmairie.fr/"))
    stats = crawler.stats.get_stats()
    assert stats["offsite/filtered"] == 2
    assert stats["offsite/redirect_dropped"] == 1
    assert stats["offsite/domains"] == 3


def test_scope_narrowed_to_hosts_and_category() -> None:
    assert CrawlScope(CLASSIFIER, ["mairie.fr"]).allows("www.mairie.fr")
    assert not CrawlScope(CLASSIFIER, ["mairie.fr"]).allows("ecole.fr")
    assert CrawlScope(CLASSIFIER, category=Category.COMMUNE).allows("mairie.fr")
    assert not CrawlScope(CLASSIFIER, category=Category.COMMUNE).allows("ecole.fr")
    assert not CrawlScope(CLASSIFIER).allows(None)


def test_conditional_headers_from_state(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "state.sqlite")
    state.record("https://mairie.fr/a", '"abc"', "Tue, 01 Oct 2024 10:00:00 GMT")
    state.record("https://mairie.fr/b", None, "Tue, 01 Oct 2024 10:00:00 GMT")
    state.close()
    state = CrawlState(tmp_path / "state.sqlite")  # validators survive between crawls
    crawler = _crawler(CrawlScope(CLASSIFIER), crawl_state=state)
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    known, other, new = Request("https://mairie.fr/a"), Request("https://mairie.fr/b"), Request("https://mairie.fr/c")
    for request in (known, other, new):
        middleware.process_request(request)
    assert known.headers[b"If-None-Match"] == b'"abc"'
    assert other.headers[b"If-Modified-Since"] == b"Tue, 01 Oct 2024 10:00:00 GMT"
    assert b"If-None-Match" not in other.headers and b"If-None-Match" not in new.headers
    assert crawler.stats.get_value("conditional/sent") == 2
    state.forget("https://mairie.fr/a")
    state.close()
    assert list(CrawlState(tmp_path / "state.sqlite").known_urls()) == ["https://mairie.fr/b"]


def test_conditional_needs_a_state() -> None:
    with pytest.raises(NotConfigured):
        ConditionalRequestMiddleware.from_crawler(_crawler(CrawlScope(CLASSIFIER)))


def test_retry_after_values() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds(later, now=now.timestamp()) == pytest.approx(30)
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_retry_after_leaves_other_statuses() -> None:
    crawler = _crawler(CrawlScope(CLASSIFIER))
    middleware = RetryAfterMiddleware.from_crawler(crawler)
    response = Response("https://mairie.fr/", status=200, headers={"Retry-After": "5"})
    assert middleware.process_response(Request("https://mairie.fr/"), response) is response
    with pytest.raises(NotConfigured):
        RetryAfterMiddleware.from_crawler(get_crawler(Spider, {"RETRY_AFTER_MAX": 0}))


def test_proxy_middleware() -> None:
    with pytest.raises(NotConfigured):
        ProxyMiddleware.from_crawler(get_crawler(Spider))
    middleware = ProxyMiddleware.from_crawler(get_crawler(Spider, {"SDC_PROXY": "http://proxy:3128"}))
    request, explicit = Request("https://mairie.fr/"), Request("https://mairie.fr/", meta={"proxy": None})
    middleware.process_request(request)
    middleware.process_request(explicit)
    assert request.meta["proxy"] == "http://proxy:3128"
    assert explicit.meta["proxy"] is None


def test_no_conditional_request_for_a_page_the_index_lost(tmp_path: Path) -> None:
    from index.writer import IndexWriter

    state = CrawlState(tmp_path / "state.sqlite")
    state.record("https://mairie.fr/a", '"abc"', None)
    state.flush()
    with IndexWriter(tmp_path / "index", CLASSIFIER) as writer:  # rebuilt: empty
        crawler = _crawler(CrawlScope(CLASSIFIER), crawl_state=state, index_writer=writer)
        request = Request("https://mairie.fr/a")
        ConditionalRequestMiddleware.from_crawler(crawler).process_request(request)
    assert b"If-None-Match" not in request.headers  # a 304 would keep a page the index lacks
    state.close()
