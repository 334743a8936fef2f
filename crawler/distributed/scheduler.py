"""A Scrapy scheduler whose queue is the shared frontier in Redis (:mod:`crawler.distributed.frontier`).

It follows Scrapy's scheduler interface (``open``, ``close``, ``has_pending_requests``,
``enqueue_request``, ``next_request``).  Requests are stored as ``Request.to_dict`` (callbacks by
name), so any worker can run any request.  The per-host lease taken by a pop is released when the
response has left the downloader, kept for the crawl delay (or the robots.txt ``Crawl-delay``);
a request that never reached the network (robots.txt, offsite) releases it when the spider
marks it done.

Why not scrapy-redis: its scheduler has no per-host politeness across workers and no in-flight
record (a killed worker loses what it had popped), the two points of this crawl.

The engine only polls a scheduler every 5 s when it said it had requests but gave none (another
worker held the host), so a 0.1 s loop wakes it; the same loop beats the heartbeat and reaps dead
workers every second.  A worker stays open (``DontCloseSpider``) until the whole crawl is
finished: the queues and every worker's in-flight requests are empty.
"""

from __future__ import annotations

import logging
import pickle
import time
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from crawler.distributed.errors import SharedCrawlError
from crawler.distributed.frontier import SharedFrontier

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
TICK = 0.1
BEAT = 1.0


class SharedScheduler:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.delay = float(crawler.settings.getfloat("DOWNLOAD_DELAY"))
        self.frontier: SharedFrontier | None = None
        self.spider: Spider | None = None
        self._loop: task.LoopingCall | None = None
        self._last_beat = 0.0

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    # -- Scrapy's scheduler interface --

    def open(self, spider: Spider) -> None:
        frontier = getattr(spider, "frontier", None)
        if not isinstance(frontier, SharedFrontier):
            raise SharedCrawlError("the shared scheduler needs the spider's SharedFrontier")
        self.spider, self.frontier = spider, frontier
        frontier.beat()
        self._last_beat = time.monotonic()
        self.crawler.signals.connect(self.request_left_downloader, signal=signals.request_left_downloader)
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(TICK, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.frontier is not None:
            self.frontier.leave()  # anything still in flight (a stopped crawl) goes back to the queues

    def has_pending_requests(self) -> bool:
        assert self.frontier is not None
        return self.frontier.queued() > 0

    def __len__(self) -> int:
        assert self.frontier is not None
        return self.frontier.queued()  # of the whole crawl (the progress bar shows it)

    def enqueue_request(self, request: Request) -> bool:
        assert self.frontier is not None and self.crawler.engine is not None
        redirects = request.meta.get("redirect_urls")
        key = redirects[0] if redirects else request.url
        host = self.crawler.engine.downloader.get_slot_key(request)
        meta = {k: v for k, v in request.meta.items() if k != "sdc_lease"}
        payload = pickle.dumps(request.replace(meta=meta).to_dict(spider=self.spider), protocol=5)
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        added = self.frontier.enqueue(key, host, payload, fingerprint, front=request.priority > 0,
                                      dont_filter=request.dont_filter)
        self._inc("scheduler/enqueued/redis" if added else "dupefilter/filtered")
        return added

    def next_request(self) -> Request | None:
        assert self.frontier is not None
        popped = self.frontier.dequeue()
        if popped is None:
            return None
        key, host, payload = popped
        request = request_from_dict(pickle.loads(payload), spider=self.spider)
        request.meta["sdc_lease"] = (key, host)
        self._inc("scheduler/dequeued/redis")
        return request

    # -- leases, heartbeat, end of the crawl --

    def request_left_downloader(self, request: Request, spider: Any = None) -> None:
        lease = request.meta.get("sdc_lease")
        if lease is None or self.frontier is None or self.crawler.engine is None:
            return  # robots.txt: fetched under the lease of the request that asked for it
        key, host = lease
        floors = getattr(self.crawler.engine.downloader, "crawl_delays", {})
        self.frontier.release(key, host, max(self.delay, floors.get(host, 0.0)), forget=False)

    def spider_idle(self, spider: Any = None) -> None:
        assert self.frontier is not None
        # nothing is being downloaded or parsed here: any entry left is handled (a request dropped
        # by a middleware without callback or errback)
        left = self.frontier.forget_own()
        if left:
            self._inc("distributed/inflight_dropped_idle", left)
        requeued = self.frontier.reap()
        if requeued:
            self._inc("distributed/requeued", requeued)
        if not self.frontier.finished():
            raise DontCloseSpider

    def _tick(self) -> None:
        assert self.frontier is not None
        try:
            now = time.monotonic()
            if now - self._last_beat >= BEAT:
                self._last_beat = now
                self.frontier.beat()
                requeued = self.frontier.reap()
                if requeued:
                    self._inc("distributed/requeued", requeued)
                    logger.warning("re-queued %d requests of stopped workers", requeued)
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()  # no public way to wake the engine earlier than 5 s
        except SharedCrawlError as exc:
            logger.error("shared crawl: %s", exc)
