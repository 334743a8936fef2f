"""Show a crawl as it goes: pages/s, hosts done, queue size and errors by kind (tqdm on stderr).

Errors are read from Scrapy's own stats (``downloader/exception_type_count/*``, HTTP 5xx and
4xx counts, the spider's ``crawler/errors/*``), so the figures shown are the figures kept.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

INTERVAL = 1.0


def errors_by_kind(stats: dict[str, Any]) -> dict[str, int]:
    """Errors of a crawl, grouped: exceptions by type, HTTP errors by status."""
    kinds: dict[str, int] = {}
    for key, value in stats.items():
        if key.startswith("downloader/exception_type_count/"):
            name = key.rsplit(".", 1)[-1]
            # robots.txt and offsite drops, and the requests a stop left for --resume: summarised apart
            if name not in ("IgnoreRequest", "CrawlStopping"):
                kinds[name] = kinds.get(name, 0) + int(value)
        elif key.startswith("downloader/response_status_count/"):
            status = key.rsplit("/", 1)[-1]
            if status[0] == "5" or status in ("429", "403", "401"):
                kinds[f"http {status}"] = kinds.get(f"http {status}", 0) + int(value)
    return kinds


def hosts_done(spider: Any) -> tuple[int, int]:
    started = [h for h, n in spider.per_host.items() if n]
    return sum(1 for h in started if spider.pending[h] <= 0), len(started)


class CrawlProgress:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.bar: Any = None
        self.started = time.monotonic()
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("SDC_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(desc="crawl", unit="page", dynamic_ncols=True, mininterval=INTERVAL)
        self.task = create_looping_call(self.update)
        self.task.start(INTERVAL, now=False)

    def update(self) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        pages = int(stats.get("crawler/pages", 0)) + int(stats.get("crawler/unchanged", 0))
        spider = self.crawler.spider
        done, total = hosts_done(spider) if spider is not None else (0, 0)
        engine = self.crawler.engine
        scheduler = engine.scheduler if engine is not None else None
        queue = len(scheduler) if scheduler is not None else 0  # type: ignore[arg-type]
        errors = errors_by_kind(stats)
        self.bar.update(pages - self.bar.n)
        self.bar.set_postfix_str(f"hosts {done}/{total} queue {queue} errors "
                                 + (", ".join(f"{k} {v}" for k, v in sorted(errors.items())) or "0"),
                                 refresh=True)

    def closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.bar is not None:
            self.update()
            self.bar.close()
