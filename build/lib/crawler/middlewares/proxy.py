"""Send every request through one HTTP proxy given on the command line (``--proxy``).

Without it, Scrapy's HttpProxyMiddleware already honours ``http_proxy``/``https_proxy`` from the
environment.  Setting the proxy in the request meta (before HttpProxyMiddleware runs) covers
robots.txt requests too, which RobotsTxtMiddleware builds without the original request's meta.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from scrapy import Request
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class ProxyMiddleware:
    def __init__(self, proxy: str) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        proxy = crawler.settings.get("SDC_PROXY")
        if not proxy:
            raise NotConfigured
        return cls(proxy)

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("proxy", self.proxy)
