"""Errors of the distributed crawl.

    CrawlerError (crawler.errors)
    └── SharedCrawlError      Redis unreachable or refused an operation of the shared crawl
"""

from __future__ import annotations

from crawler.errors import CrawlerError


class SharedCrawlError(CrawlerError):
    """The shared crawl's Redis could not be used."""
