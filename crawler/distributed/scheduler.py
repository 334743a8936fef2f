"""A Scrapy scheduler whose queue is the shared frontier in Redis (:mod:`crawler.distributed.frontier`).

It follows Scrapy's scheduler interface (``open``, ``close``, ``has_pending_requests``,
``enqueue_request``, ``next_request``).  Requests are stored as ``Request.to_dict`` (callbacks by
name), so any worker can run any request.  The per-host lease taken by a pop is released when the
response has left the downloader, kept for the crawl delay (or the robots.txt ``Crawl-delay``);
a request that never reached the network (robots.txt, offsite) releases it when the spider
marks it done.

A page the pipeline could not publish (``item_error`` with a ``SharedCrawlError``, see
:mod:`crawler.distributed.pipeline`) has its request serialized again and put back at the end of
its host's queue, atomically with the removal of its in-flight entry: that page alone is fetched
again, by any worker (at most ``MAX_PUBLISH_FAILURES`` times, then set aside in Redis).  While
Redis refuses even that, the request waits in this worker, which does not finish meanwhile: it
tries again at each idle check for as long as it runs (no give-up delay: a full Redis is for the
operator to see); stopped before, it logs each such page as lost (``distributed/lost``) unless its
in-flight entry is still in Redis, which puts it back with the rest.

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
from crawler.distributed.frontier import MAX_PUBLISH_FAILURES, SharedFrontier
from crawler.downloader import wake_engine

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

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
        self._last_error: str | None = None

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
        self.crawler.signals.connect(self.item_error, signal=signals.item_error)
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(TICK, now=False)

    def close(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.frontier is not None:
            self._requeue_unpublished(then="not re-queued")
            self._report_lost()
            try:
                self.frontier.leave()  # anything still in flight (a stopped crawl) goes back to the queues
            except SharedCrawlError as exc:  # its heartbeat expires: another worker reaps them
                logger.error("shared crawl: %s (this worker's in-flight requests are re-queued by the "
                             "next worker that reaps it)", exc)

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
        payload = self._payload(request)
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

    def _payload(self, request: Request) -> bytes:
        meta = {k: v for k, v in request.meta.items() if k != "sdc_lease"}
        return pickle.dumps(request.replace(meta=meta).to_dict(spider=self.spider), protocol=5)

    # -- pages not published --

    def item_error(self, item: Any, response: Response | None, spider: Any = None,
                   failure: Failure | None = None) -> None:
        """The pipeline could not publish this response's page: fetch that request again."""
        if self.frontier is None or failure is None or not failure.check(SharedCrawlError):
            return  # another pipeline's error: the page is dropped, as on one machine
        request = response.request if response is not None else None
        lease = request.meta.get("sdc_lease") if request is not None else None
        if request is None or lease is None:
            logger.error("a page could not be published and its request is unknown: %s", failure.value)
            return
        key, host = lease
        self.frontier.unpublished(key, host, self._payload(request))
        self._requeue_unpublished()

    def _requeue_unpublished(self, then: str = "re-queued later") -> None:
        """Put back the pages not published; what Redis refuses now is tried again every second."""
        assert self.frontier is not None
        for key in self.frontier.unpublished_keys():
            try:
                requeued = self.frontier.requeue(key)
            except SharedCrawlError as exc:
                self._error(exc, f"{key} {then}")
                return
            if requeued:
                self._inc("distributed/publish_requeued")
                logger.warning("%s could not be published: queued to be fetched again", key)
            else:
                self._inc("distributed/unpublished")
                logger.error("%s could not be published %d times: set aside in Redis (%sunpublished)",
                             key, MAX_PUBLISH_FAILURES + 1, self.frontier.prefix)

    def _report_lost(self) -> None:
        """At close, the pages Redis still refuses to re-queue: one whose in-flight entry is still
        in Redis (its done() came after the failure) goes back with the others; the rest are lost."""
        assert self.frontier is not None
        keys = self.frontier.unpublished_keys()
        try:
            lost = [key for key in keys if not self.frontier.in_flight(key)]
        except SharedCrawlError:
            lost = keys  # cannot tell: report them all
        for key in keys:
            if key in lost:
                self._inc("distributed/lost")
                logger.error("%s lost: not published, and Redis refused to queue it again: crawl it "
                             "again", key)
            else:
                logger.warning("%s not published, nor re-queued: left in flight, to be re-queued "
                               "with this worker's other in-flight requests", key)

    def _error(self, exc: SharedCrawlError, then: str) -> None:
        """Log a Redis error once per second at most (the idle check runs every 0.1 s)."""
        message = f"shared crawl: {exc} ({then})"
        logger.log(logging.DEBUG if message == self._last_error else logging.ERROR, message)
        self._last_error = message

    # -- leases, heartbeat, end of the crawl --

    def request_left_downloader(self, request: Request, spider: Any = None) -> None:
        lease = request.meta.get("sdc_lease")
        if lease is None or self.frontier is None or self.crawler.engine is None:
            return  # robots.txt: fetched under the lease of the request that asked for it
        key, host = lease
        floors = getattr(self.crawler.engine.downloader, "crawl_delays", {})
        self.frontier.release(key, host, max(self.delay, floors.get(host, 0.0)), forget=False)

    def spider_idle(self, spider: Any = None) -> None:
        """Keep the worker open until the whole crawl is finished.  Any Redis error keeps it open
        too (tried again at the next idle check): closing would leave pages only this worker has."""
        assert self.frontier is not None
        if self.frontier.unpublished_keys():
            # before any other Redis call: those Redis refused the re-queue may refuse too
            self._requeue_unpublished()
            raise DontCloseSpider
        try:
            # nothing is being downloaded or parsed here: any entry left is handled (a request
            # dropped by a middleware without callback or errback)
            left = self.frontier.forget_own()
            if left:
                self._inc("distributed/inflight_dropped_idle", left)
            requeued = self.frontier.reap()
            if requeued:
                self._inc("distributed/requeued", requeued)
            finished = self.frontier.finished()
        except SharedCrawlError as exc:
            self._error(exc, "the worker stays open")
            raise DontCloseSpider from None
        if not finished:
            raise DontCloseSpider

    def _tick(self) -> None:
        assert self.frontier is not None
        try:
            now = time.monotonic()
            if now - self._last_beat >= BEAT:
                self._last_beat = now
                self._last_error = None  # a lasting error is logged again once per second
                self.frontier.beat()
                self._requeue_unpublished()
                requeued = self.frontier.reap()
                if requeued:
                    self._inc("distributed/requeued", requeued)
                    logger.warning("re-queued %d requests of stopped workers", requeued)
            wake_engine(self.crawler.engine)  # no public way to wake it earlier than 5 s
        except SharedCrawlError as exc:
            self._error(exc, "tried again in a second")
