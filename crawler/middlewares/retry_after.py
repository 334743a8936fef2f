"""Honour ``Retry-After`` on 429 and 503: the whole host waits, not only the refused request.

Scrapy's RetryMiddleware retries 429/503 at once.  This middleware sits just before it (it sees
responses first) and, when the answer carries ``Retry-After`` (seconds or an HTTP date), pauses the
host's download slot for that long, capped by ``RETRY_AFTER_MAX`` (a larger value is clamped: the
retry still happens, later), then lets RetryMiddleware schedule the retry.  Pauses are counted
under ``retry_after/paused`` and their total under ``retry_after/seconds``.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Self

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.downloader import pause_slot

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

STATUSES = (429, 503)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header value (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, moment - (time.time() if now is None else now))


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler, max_wait: float) -> None:
        self.crawler, self.max_wait = crawler, max_wait

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX", 300.0)
        if max_wait <= 0:
            raise NotConfigured
        return cls(crawler, max_wait)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in STATUSES:
            return response
        wait = retry_after_seconds((response.headers.get(b"Retry-After") or b"").decode("latin-1"))
        if wait:
            self._pause(request, min(wait, self.max_wait))
        return response

    def _pause(self, request: Request, seconds: float) -> None:
        assert self.crawler.engine is not None
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        pause_slot(downloader, slot, seconds)  # Scrapy has no public pause: see crawler.downloader
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("retry_after/paused")
        # the stats add any number; Scrapy's annotation says int
        stats.inc_value("retry_after/seconds", seconds)  # type: ignore[arg-type]
