"""The usage counters in Redis: one set of figures for every worker on every machine.

Same contract as :class:`service.usage.UsageCounter` (``record`` without I/O,
``flush`` about once a second, ``snapshot``, ``close``), chosen by
:func:`service.usage.open_usage_counter` when ``SDC_REDIS_URL`` is set.

Two hashes keyed by month (``YYYY-MM``, UTC) hold the only figures kept:
``<prefix>:classified`` and ``<prefix>:trusted``.  Never a URL, a host or a
query.  ``HINCRBY`` is atomic, so the flushes of any number of workers add up
exactly; a flush is one ``MULTI``/``EXEC`` so the two hashes move together.
Durability across restarts of Redis itself is Redis's job (``appendonly
yes``, see docs/deploy.md).

When Redis cannot be reached the counts stay buffered in the worker (nothing
is lost, they go out with the next successful flush) and ``snapshot`` answers
the last figures read plus this worker's buffer, rather than failing the
``/api/stats`` request.
"""

from __future__ import annotations

import logging

import redis

from service.usage import CountBuffer, UsageSnapshot, current_month

logger = logging.getLogger("sdc.service")

DEFAULT_PREFIX = "sdc:usage"
#: a stalled Redis must not stall the flusher thread or /api/stats for long
SOCKET_TIMEOUT = 2.0


class RedisUsageCounter:
    """Counts of classified URLs, buffered in memory and added up in Redis."""

    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX) -> None:
        # from_url validates the scheme (ValueError) but does not connect yet
        self._redis = redis.Redis.from_url(url, socket_timeout=SOCKET_TIMEOUT,
                                           socket_connect_timeout=SOCKET_TIMEOUT,
                                           health_check_interval=30)
        self.url = url
        self._classified_key = f"{prefix}:classified"
        self._trusted_key = f"{prefix}:trusted"
        self._buffer = CountBuffer()
        self._last: dict[str, tuple[int, int]] = {}  # month -> figures last read from Redis

    def record(self, classified: int, trusted: int) -> None:
        """Count ``classified`` URLs of which ``trusted`` were trusted (no I/O)."""
        self._buffer.record(classified, trusted)

    def flush(self) -> None:
        """Add the buffered counts in Redis; on failure they stay buffered and the error is raised."""
        with self._buffer.taken() as pending:
            if not pending:
                return
            with self._redis.pipeline(transaction=True) as pipe:
                for month, (classified, trusted) in pending.items():
                    pipe.hincrby(self._classified_key, month, classified)
                    pipe.hincrby(self._trusted_key, month, trusted)
                pipe.execute()

    def snapshot(self) -> UsageSnapshot:
        """Figures of every worker (this one's buffer included); stale ones if Redis is down."""
        try:
            self.flush()
            with self._redis.pipeline(transaction=True) as pipe:
                pipe.hgetall(self._classified_key)
                pipe.hgetall(self._trusted_key)
                classified, trusted = pipe.execute()
            self._last = {_text(month): (int(count), int(trusted.get(month, 0)))
                          for month, count in classified.items()}
            pending: dict[str, list[int]] = {}
        except redis.RedisError as exc:
            logger.warning("usage counters: Redis unavailable, answering the last figures (%s)", exc)
            pending = self._buffer.peek()
        figures = dict(self._last)
        for month, (c, t) in pending.items():
            old = figures.get(month, (0, 0))
            figures[month] = (old[0] + c, old[1] + t)
        month = current_month()
        this = figures.get(month, (0, 0))
        return UsageSnapshot(month, this[0], this[1],
                             sum(c for c, _ in figures.values()), sum(t for _, t in figures.values()))

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._redis.close()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
