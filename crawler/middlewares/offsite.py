"""Drop every request to a host the registry does not trust, including where a redirect lands.

Scrapy's own :class:`~scrapy.downloadermiddlewares.offsite.OffsiteMiddleware` decides from the
spider's ``allowed_domains``; this one asks the spider's :class:`crawler.scope.CrawlScope`, i.e.
the registry's classifier, so the list of sites is data, never code.  It runs when a request is
scheduled and again before it is downloaded, which covers the requests that RedirectMiddleware
builds: a redirect from ``www.mairie.fr`` to ``www.hors-liste.example`` is dropped and counted under
``offsite/redirect_dropped``, other drops under ``offsite/filtered``.  Robots.txt and seed requests
get no exemption: ``dont_filter`` does not bypass this middleware.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.spiders import Spider

from sources.urls import host_of

logger = logging.getLogger(__name__)


class TrustedOffsiteMiddleware(OffsiteMiddleware):
    def process_request(self, request: Request) -> None:  # type: ignore[override]
        assert self.crawler.spider is not None
        if self.should_follow(request, self.crawler.spider):
            return
        host = host_of(request.url) or ""
        if request.meta.get("redirect_urls"):
            self.stats.inc_value("offsite/redirect_dropped")
            logger.info("Dropped a redirect off the list: %s -> %s", request.meta["redirect_urls"][0],
                        request.url)
        else:
            self.stats.inc_value("offsite/filtered")
        if host not in self.domains_seen:
            self.domains_seen.add(host)
            self.stats.inc_value("offsite/domains")
        raise IgnoreRequest(f"host not trusted: {host!r}")

    def should_follow(self, request: Request, spider: Spider) -> bool:
        return bool(spider.scope.allows(host_of(request.url)))  # type: ignore[attr-defined]
