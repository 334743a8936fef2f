"""Heavy work (tantivy, SQLite, large classification batches) off the event loop, bounded.

A worker's event loop also answers ``/healthz`` and every cheap request; one
search over a huge page or one 1,000-URL batch must not hold it.  So heavy work
runs in the thread pool, at most ``limit`` at a time per worker; up to
``queue`` more (holding at most ``queue_bytes`` of request bodies) wait for a
slot at most ``wait`` seconds; past that the request gets HTTP 503 with
``Retry-After`` (:class:`Busy`) instead of piling up in time or memory.

Two lanes per worker, each a :class:`HeavyLimiter`: ``ServiceState.heavy`` for the
normal heavy work (searches, completions, SQLite reads) and ``ServiceState.bulky``
for requests whose bodies are large (a classify or rerank body over 64 KB: up to
1,000 URLs of 8 KB, an 8 MB JSON parse), one at a time.  Measured under the hostile
bench (issue 14, docs/service.md): with one lane, searches waited for a slot behind
the 8 MB classify batches (that lane's p99 wait for a slot reached 160-400 ms on a
saturated machine); with its own lane, a bulky request never holds a search's slot, and at
most one per worker shares the GIL with the searches.

The bound is a counter and a per-loop semaphore: the service runs one event
loop per worker, the tests one per client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from service.errors import Busy

P = ParamSpec("P")
T = TypeVar("T")

#: heavy calls running at once per worker (asyncio's default pool has cores + 4 threads)
HEAVY_LIMIT = 4
#: heavy calls waiting for a slot before new ones are refused at once
HEAVY_QUEUE = 32
#: bytes of request bodies waiting for a slot (a waiting classify holds its body: 10 MB at most)
HEAVY_QUEUE_BYTES = 32 * 1024 * 1024
#: seconds a heavy call may wait for a slot
HEAVY_WAIT = 5.0
#: bulky requests (large bodies) running at once per worker, in their own lane
BULKY_LIMIT = 1
#: bulky requests waiting, and the bytes of their bodies (8 MB each at most past the 10 MB cap)
BULKY_QUEUE = 4
BULKY_QUEUE_BYTES = 32 * 1024 * 1024
RETRY_AFTER = 1


class HeavyLimiter:
    """Runs callables in threads, ``limit`` at a time, refusing with :class:`Busy` past the queue."""

    def __init__(self, limit: int = HEAVY_LIMIT, queue: int = HEAVY_QUEUE, wait: float = HEAVY_WAIT,
                 queue_bytes: int = HEAVY_QUEUE_BYTES) -> None:
        self.limit, self.queue, self.wait, self.queue_bytes = limit, queue, wait, queue_bytes
        self.waiting = 0
        self.waiting_bytes = 0
        self.refused = 0
        self._semaphores: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        found = self._semaphores.get(loop)
        if found is None:
            self._semaphores = {lp: s for lp, s in self._semaphores.items() if not lp.is_closed()}
            found = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        return found

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await self.run_sized(0, work, *args, **kwargs)

    async def run_sized(self, size: int, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """:meth:`run` for a call holding ``size`` bytes (its request body) while it waits."""
        semaphore = self._semaphore()
        if semaphore.locked() and (self.waiting >= self.queue
                                   or self.waiting_bytes + size > self.queue_bytes):
            self.refused += 1
            raise Busy(RETRY_AFTER)
        self.waiting += 1
        self.waiting_bytes += size
        try:
            await asyncio.wait_for(semaphore.acquire(), self.wait)
        except TimeoutError:
            self.refused += 1
            raise Busy(RETRY_AFTER) from None
        finally:
            self.waiting -= 1
            self.waiting_bytes -= size
        try:
            return await asyncio.to_thread(work, *args, **kwargs)
        finally:
            semaphore.release()


def bulky_lane() -> HeavyLimiter:
    """The lane of requests with large bodies (module docstring)."""
    return HeavyLimiter(limit=BULKY_LIMIT, queue=BULKY_QUEUE, queue_bytes=BULKY_QUEUE_BYTES)
