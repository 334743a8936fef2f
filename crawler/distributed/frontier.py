"""The shared crawl's state in Redis, changed only by atomic Lua scripts.

Keys, under ``sdc:crawl:``:

* ``seen`` (set): fingerprints of every request ever queued, so no URL is queued twice;
* ``q:{host}`` (lists) and ``ring`` (list) + ``hosts`` (set): one FIFO per host, hosts in turn;
  ``queued`` counts the requests waiting;
* ``lease:{host}``: taken (``NX``) when a request of that host is popped, by that request only;
  released when its response left the downloader (kept the crawl delay longer), and expiring
  on its own if its worker dies: one request at a time per host across all workers;
* ``inflight:{worker}`` (hash): the requests a worker popped and has not finished, keyed by their
  first URL; an entry goes when the spider marks its page done, or back to the end of its host's
  queue when the page could not be published (``XADD`` failed): that page alone is fetched again;
* ``publish_failures`` (hash) and ``unpublished`` (hash): failed publishes per key; past
  :data:`MAX_PUBLISH_FAILURES` a request is set aside in ``unpublished`` (key -> queue item) instead
  of being fetched forever, so that the crawl still finishes;
* ``hb:{worker}`` (expiring key) and ``workers`` (set): a worker whose heartbeat expired is dead,
  and the reaper puts its in-flight requests back in the queues;
* ``finished``: set when the queues and every in-flight hash are empty.

Queue items are ``key \\n host \\n payload``: the in-flight key, the host and the serialized request.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import redis

from crawler.distributed import frontier_scripts as lua
from crawler.distributed.errors import SharedCrawlError
from index.stream import redis_guard

PREFIX = "sdc:crawl:"
HEARTBEAT_SECONDS = 5.0  # a worker silent this long is dead; it beats every second
SCAN = 32  # hosts looked at per pop
MAX_PUBLISH_FAILURES = 3  # re-fetches of a page whose publish failed; one more failure sets it aside



class SharedFrontier:
    """One worker's handle on the shared crawl (also the spider's ``frontier``: see :meth:`done`)."""

    def __init__(self, url: str, *, lease_seconds: float, prefix: str = PREFIX) -> None:
        try:
            self.client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        except ValueError as exc:
            raise SharedCrawlError(f"invalid Redis URL {url!r}: {exc}") from None
        self.prefix = prefix
        self.worker = uuid.uuid4().hex[:12]
        # Scrapy may call done() for a page before or after its item failed to publish (the
        # spider's generator runs up to two items ahead of the pipelines), so both orders are
        # handled: _held are keys popped here whose done() has not come, _cancelled the done()
        # calls still to come of pages already re-queued (by then the key may be popped again:
        # that done() must not clear the new entry), _unpublished the items to put back.
        self._held: set[str] = set()
        self._cancelled: Counter[str] = Counter()
        self._unpublished: dict[str, tuple[str, bytes]] = {}
        self.lease_ms = str(int(lease_seconds * 1000))
        self._push = self.client.register_script(lua.PUSH)
        self._pop = self.client.register_script(lua.POP)
        self._release = self.client.register_script(lua.RELEASE)
        self._reap = self.client.register_script(lua.REAP)
        self._finished = self.client.register_script(lua.FINISHED)
        self._requeue = self.client.register_script(lua.REQUEUE)
        _guard(self.client.ping, f"cannot reach Redis at {url}")

    # -- this worker --

    def beat(self) -> None:
        p = self.prefix
        with self.client.pipeline() as pipe:
            pipe.set(f"{p}hb:{self.worker}", b"1", px=int(HEARTBEAT_SECONDS * 1000))
            pipe.sadd(f"{p}workers", self.worker)
            _guard(pipe.execute)

    def leave(self) -> None:
        """A worker stopping cleanly: what it still holds goes back to the queues at once."""
        p = self.prefix
        _guard(lambda: self.client.delete(f"{p}hb:{self.worker}"))
        _guard(lambda: self._reap(args=[p, ""]))

    def is_finished_marker(self) -> bool:
        return bool(_guard(lambda: self.client.exists(f"{self.prefix}finished")))

    def reset(self) -> None:
        """Forget the shared crawl (refused while a worker is alive)."""
        p = self.prefix
        def beating(worker: bytes) -> bool:
            return bool(_guard(lambda: self.client.exists(f"{p}hb:{worker.decode()}")))

        alive = [w for w in _guard(lambda: self.client.smembers(f"{p}workers")) if beating(w)]
        if alive:
            raise SharedCrawlError(f"{len(alive)} crawl worker(s) still running: stop them first")
        keys = list(_guard(lambda: list(self.client.scan_iter(match=f"{p}*", count=1000))))
        if keys:
            _guard(lambda: self.client.delete(*keys))

    # -- queue --

    def enqueue(self, key: str, host: str, payload: bytes, fingerprint: str, *, front: bool,
             dont_filter: bool) -> bool:
        args: list[str | bytes] = [self.prefix, key, host, _item(key, host, payload), "1" if front else "0",
                                   "1" if dont_filter else "0", fingerprint]
        return bool(_guard(lambda: self._push(args=args)))

    def dequeue(self) -> tuple[str, str, bytes] | None:
        item = _guard(lambda: self._pop(args=[self.prefix, self.worker, self.lease_ms, SCAN]))
        if not item:
            return None
        key, host, payload = item.split(b"\n", 2)
        self._held.add(key.decode())
        return key.decode(), host.decode(), payload

    def release(self, key: str, host: str, delay: float, *, forget: bool) -> None:
        args = [self.prefix, self.worker, key, host, str(int(delay * 1000)), "1" if forget else "0"]
        _guard(lambda: self._release(args=args))

    def queued(self) -> int:
        return int(_guard(lambda: self.client.get(f"{self.prefix}queued")) or 0)

    def reap(self) -> int:
        return int(_guard(lambda: self._reap(args=[self.prefix, self.worker])))

    def finished(self) -> bool:
        return bool(_guard(lambda: self._finished(args=[self.prefix])))

    def forget_own(self) -> int:
        """Drop this worker's in-flight entries (called when its engine is idle: all were handled),
        but those of pages waiting to be re-queued (:meth:`unpublished`): reaped if the worker stops."""
        self._held.clear()
        self._cancelled.clear()  # idle: every page's done() has come
        key = f"{self.prefix}inflight:{self.worker}"
        # no pop can come in between (idle, one thread); not MULTI: refused when Redis is full
        names = [n for n in _guard(lambda: self.client.hkeys(key)) if n.decode() not in self._unpublished]
        if names:
            _guard(lambda: self.client.hdel(key, *names))
        return len(names)

    def in_flight(self, key: str) -> bool:
        return bool(_guard(lambda: self.client.hexists(f"{self.prefix}inflight:{self.worker}", key)))

    # -- pages that could not be published --

    def unpublished(self, key: str, host: str, payload: bytes) -> None:
        """The page of the in-flight request ``key`` was not published: to be fetched again, from
        ``payload`` (its entry may be gone already, see ``__init__``); :meth:`requeue` queues it."""
        if key in self._held:  # its done() is still to come: it must not clear the key any more
            self._held.discard(key)
            self._cancelled[key] += 1
        self._unpublished[key] = (host, payload)

    def unpublished_keys(self) -> list[str]:
        return list(self._unpublished)  # kept while Redis refuses the re-queue

    def requeue(self, key: str) -> bool:
        """Atomically drop ``key``'s in-flight entry and queue its request again at the end of its
        host's queue: True; or, after :data:`MAX_PUBLISH_FAILURES`, set it aside: False."""
        host, payload = self._unpublished[key]
        args: list[str | bytes | int] = [self.prefix, self.worker, key, host, _item(key, host, payload),
                                         MAX_PUBLISH_FAILURES]
        requeued = bool(_guard(lambda: self._requeue(args=args)))
        del self._unpublished[key]
        return requeued

    # -- the spider's frontier interface (crawler.frontier.Frontier) --

    def done(self, url: str) -> None:
        """A page was handled: its in-flight entry goes (unless the page was re-queued)."""
        if self._cancelled[url] > 0:
            self._cancelled[url] -= 1
            if not self._cancelled[url]:
                del self._cancelled[url]
            return
        self._held.discard(url)
        self.release(url, "", 0.0, forget=True)

    def push(self, url: str, depth: int) -> None:
        pass  # the scheduler queues it (the spider only records URLs for a local resume)

    def saved(self) -> list[tuple[str, int, bool]]:
        return []

    def flush(self, *, done: bool = True) -> None:
        pass

    def close(self) -> None:
        self.client.close()


def _item(key: str, host: str, payload: bytes) -> bytes:
    """A queue item (module docstring): ``key \\n host \\n payload``."""
    return key.encode() + b"\n" + host.encode() + b"\n" + payload


def _guard(call: Callable[[], Any], what: str = "Redis (shared crawl)") -> Any:
    return redis_guard(call, what, SharedCrawlError)
