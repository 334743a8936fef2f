"""Errors raised by the crawler.

    CrawlerError            base: a crawl that cannot start or go on
    ├── SeedError           no usable seed (unknown host, empty seed file, host not trusted)
    ├── CrawlStateError     the crawl state under the crawl directory cannot be read or written
    ├── FarmError           the loopback site farm cannot start (corpus missing, port in use)
    └── CrawlStopping       (an IgnoreRequest too) a request dropped, not fetched, because the crawl
                            is stopping: left undone in the frontier for ``--resume``

Each carries a one-line, user-facing message; ``sdc`` prints it and exits 2 (CrawlStopping never
reaches ``sdc``: the spider's errback takes it).
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class CrawlerError(Exception):
    """Base class of every error of the ``crawler`` package."""


class SeedError(CrawlerError, ValueError):
    """The crawl has no usable seed."""


class CrawlStateError(CrawlerError):
    """The crawl state (incremental records, resumable queue) is unusable."""


class FarmError(CrawlerError):
    """The site farm cannot start."""


class CrawlStopping(CrawlerError, IgnoreRequest):
    """A request waiting for its host's delay when the crawl was asked to stop: not fetched."""
