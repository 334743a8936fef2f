"""Scrapy's Downloader, keeping to one request at a time per host when there is no download delay.

Scrapy 2.19 starts each download as a task (``_schedule_coro``) and only counts it in
``slot.transferring`` once the task runs.  Without a download delay, ``_process_queue`` loops
while the slot looks free and so starts the whole queue of a host at once: on the site farm,
16 overlapping requests to one host with ``CONCURRENT_REQUESTS_PER_DOMAIN = 1``.  (With a delay
Scrapy starts one request per call, which hides the problem.)  This subclass also counts the
downloads started but not yet transferring, so the per-host limit holds whatever the delay; the
politeness test of ``tests/crawler`` checks it from the farm's request log.

On a stop (Ctrl-C, SIGTERM) :meth:`PoliteDownloader.stop_queues` drops the requests still waiting
in the hosts' queues (``slot.queue``, a public attribute of Scrapy's Slot), so that the graceful stop
waits only for the downloads in progress.

It also applies robots.txt ``Crawl-delay`` (set in :attr:`PoliteDownloader.crawl_delays` by the
spider when RobotsTxtMiddleware has parsed a host's robots.txt) as a floor under the slot's delay.

**Scrapy's private internals are used here and nowhere else.**  Scrapy has no public hook for
either job above (AutoThrottle has no per-slot floor, and no setting bounds downloads that are
started but not yet transferring), nor for two other needs of the crawler: pausing a host's slot
for a ``Retry-After`` (:func:`pause_slot`, used by ``middlewares/retry_after.py``) and waking the
engine when the shared Redis frontier has new requests (:func:`wake_engine`, used by
``distributed/scheduler.py``).  Every private name they touch is listed in
:data:`PRIVATE_NAMES`; ``tests/crawler/test_scrapy_internals.py`` checks that each still exists
with the shape relied on, and fails on any Scrapy release other than :data:`SCRAPY_SERIES`
(pyproject.toml pins ``scrapy>=2.19,<2.20``): before raising the pin, re-read
``scrapy/core/downloader/__init__.py`` and ``scrapy/core/engine.py`` of the new release, adapt
this module, then the series.
"""

from __future__ import annotations

from collections import Counter
from time import monotonic
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro
from twisted.python.failure import Failure

from crawler.errors import CrawlStopping

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

#: the Scrapy release series whose private internals this module was written against
SCRAPY_SERIES = "2.19"
#: (owner, private name) this module relies on; the guard test checks each one
PRIVATE_NAMES = (
    ("scrapy.core.downloader.Downloader", "_get_slot"),
    ("scrapy.core.downloader.Downloader", "_process_queue"),
    ("scrapy.core.downloader.Downloader", "_latercall"),
    ("scrapy.core.downloader.Downloader", "_download"),
    ("scrapy.core.downloader.Downloader", "_wait_for_download"),
    ("scrapy.utils.defer", "_schedule_coro"),
    ("scrapy.core.engine.ExecutionEngine", "_slot"),
)


def pause_slot(downloader: Downloader, slot: Slot, seconds: float) -> None:
    """Hold ``slot``'s queue for ``seconds``: a pending ``latercall`` blocks ``_process_queue``
    until it fires, which is how Scrapy itself spaces requests by the download delay."""
    if slot.latercall:
        slot.latercall.cancel()
    slot.latercall = call_later(seconds, downloader._latercall, slot)


def wake_engine(engine: Any) -> None:
    """Ask the engine for its next requests now rather than at its 5-second heartbeat."""
    slot = getattr(engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule()


class PoliteDownloader(Downloader):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        #: set by :meth:`stop_queues`: requests waiting in a host's queue are dropped, not fetched
        self.stopping = False
        self._starting: Counter[int] = Counter()  # id(slot) -> downloads started, not transferring yet
        #: host -> minimum delay asked by its robots.txt (``Crawl-delay``); AutoThrottle never
        #: lowers a slot's delay under it, since it is applied here, at dispatch
        self.crawl_delays: dict[str, float] = {}
        self._floors: dict[int, float] = {}

    def _get_slot(self, request: Request, spider: object = None) -> tuple[str, Slot]:
        key, slot = super()._get_slot(request)
        floor = self.crawl_delays.get(key)
        if floor:
            self._floors[id(slot)] = floor
        else:  # slots are collected when idle, and a new one may reuse an old id
            self._floors.pop(id(slot), None)
        return key, slot

    def stop_queues(self) -> int:
        """Drop every request waiting for its host's delay (a graceful stop waits for the downloads
        in progress only; with 64 requests queued behind one host's 1 s delay it waited a minute).

        Each dropped request fails with :class:`crawler.errors.CrawlStopping`: the spider leaves it
        undone in the frontier, for ``--resume``.  Requests queued later are dropped as they come."""
        self.stopping = True
        return sum(self._drop_queue(slot) for slot in list(self.slots.values()))

    def _drop_queue(self, slot: Slot) -> int:
        dropped = 0
        while slot.queue:
            request, queue_dfd = slot.queue.popleft()
            queue_dfd.errback(Failure(CrawlStopping(f"crawl stopping: {request.url} not fetched")))
            dropped += 1
        return dropped

    def _process_queue(self, slot: Slot) -> None:
        if self.stopping:
            self._drop_queue(slot)
            return
        if slot.latercall:
            return
        now = monotonic()
        delay = max(slot.download_delay(), self._floors.get(id(slot), 0.0))
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        key = id(slot)
        while slot.queue and slot.free_transfer_slots() - self._starting[key] > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            self._starting[key] += 1
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:  # one request per delay, as Scrapy does
                self._process_queue(slot)
                break

    async def _download(self, slot: Slot, request: Request) -> Response:
        key = id(slot)
        self._starting[key] -= 1
        if self._starting[key] <= 0:
            del self._starting[key]
        return await super()._download(slot, request)
