"""The scheduler's queue for crawling many hosts side by side: one FIFO per host, hosts in turn.

Scrapy's ``DownloaderAwarePriorityQueue`` picks the least busy host by looking at every host that
has pending requests, at every pop: with the registry's tens of thousands of small sites that is
tens of thousands of look-ups per request.  :class:`HostRotationQueue` keeps hosts in a ring and
looks at a few of them per pop (``SCAN``), taking the first idle one (no request of that host in
the downloader), else the least busy of those it looked at.  Within a host, requests are FIFO
(breadth first), except positive priorities (sitemaps) which go first.

In memory only: resuming is the frontier's job (:mod:`crawler.frontier`), so ``JOBDIR`` is not
supported with this queue.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler

SCAN = 32


class HostRotationQueue:
    @classmethod
    def from_crawler(cls, crawler: Crawler, downstream_queue_cls: Any, key: str,
                     startprios: Any = None, *, start_queue_cls: Any = None) -> Self:
        if key:
            raise ValueError("HostRotationQueue keeps its queues in memory: unset JOBDIR")
        return cls(crawler)

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.engine is not None
        self._downloader = crawler.engine.downloader
        self._queues: dict[str, deque[Request]] = {}
        self._ring: deque[str] = deque()  # hosts in turn; entries of emptied hosts go lazily
        self._in_ring: set[str] = set()
        self._size = 0

    def push(self, request: Request) -> None:
        host = self._downloader.get_slot_key(request)
        queue = self._queues.get(host)
        if queue is None:
            queue = self._queues[host] = deque()
            if host not in self._in_ring:
                self._in_ring.add(host)
                self._ring.append(host)
        if request.priority > 0:
            queue.appendleft(request)
        else:
            queue.append(request)
        self._size += 1

    def pop(self) -> Request | None:
        best: str | None = None
        best_active = 0
        looked = 0
        while self._ring and looked < SCAN:
            host = self._ring.popleft()
            if host not in self._queues:  # emptied since it joined the ring
                self._in_ring.discard(host)
                continue
            self._ring.append(host)
            looked += 1
            slot = self._downloader.slots.get(host)
            active = len(slot.active) if slot is not None else 0
            if best is None or active < best_active:
                best, best_active = host, active
                if active == 0:
                    break
        if best is None:
            return None
        queue = self._queues[best]
        request = queue.popleft()
        if not queue:
            del self._queues[best]
        self._size -= 1
        return request

    def close(self) -> dict[str, Any]:
        return {}

    def __len__(self) -> int:
        return self._size
