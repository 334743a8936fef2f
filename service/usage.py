"""How many results were classified, this month and in total, shared by every worker.

Only two numbers per month are kept (URLs classified, URLs found trusted):
never a URL, a host or a query.  Each worker adds to an in-memory buffer (no
I/O on the request path) and flushes it into ``usage.sqlite3`` under the data
directory about once a second and at shutdown; SQLite's WAL and an UPSERT
make the concurrent flushes of several workers add up exactly.  A snapshot
flushes this worker's buffer first, so it is exact for this worker and at
most one flush interval behind for the others.

With ``SDC_REDIS_URL`` set, :func:`open_usage_counter` returns the Redis
backend instead (:mod:`service.usage_redis`): same contract, figures shared
by workers on every machine.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

SCHEMA = """
CREATE TABLE IF NOT EXISTS usage (
    month      TEXT PRIMARY KEY,   -- YYYY-MM, UTC
    classified INTEGER NOT NULL,
    trusted    INTEGER NOT NULL
) WITHOUT ROWID;
"""


def current_month(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class UsageSnapshot:
    month: str
    classified_this_month: int
    trusted_this_month: int
    classified_total: int
    trusted_total: int

    def trusted_share(self) -> float:
        return self.trusted_total / self.classified_total if self.classified_total else 0.0


class UsageStore(Protocol):
    """What the service needs from a usage counter (SQLite or Redis backend)."""

    def record(self, classified: int, trusted: int) -> None: ...
    def flush(self) -> None: ...
    def snapshot(self) -> UsageSnapshot: ...
    def close(self) -> None: ...


def open_usage_counter(data_dir: Path, redis_url: str | None = None) -> UsageStore:
    """The Redis backend when ``redis_url`` is given, else SQLite under ``data_dir`` (the default)."""
    if redis_url:
        from service.usage_redis import RedisUsageCounter

        return RedisUsageCounter(redis_url)
    return UsageCounter(data_dir)


class CountBuffer:
    """Counts by month kept in memory until a flush takes them: the request path never waits on I/O."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, list[int]] = {}
        self._month = ""
        self._month_ends = 0.0  # formatting the date cost more than the rest of a record()

    def record(self, classified: int, trusted: int) -> None:
        if time.time() >= self._month_ends:
            now = datetime.now(UTC)
            self._month = current_month(now)
            start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            self._month_ends = (start + timedelta(days=32)).replace(day=1).timestamp()
        month = self._month
        with self._lock:
            slot = self._pending.setdefault(month, [0, 0])
            slot[0] += classified
            slot[1] += trusted

    def take(self) -> dict[str, list[int]]:
        with self._lock:
            pending, self._pending = self._pending, {}
        return pending

    @contextlib.contextmanager
    def taken(self) -> Iterator[dict[str, list[int]]]:
        """The counts, taken for a flush; put back for the next one if the flush fails."""
        pending = self.take()
        try:
            yield pending
        except BaseException:
            self.put_back(pending)
            raise

    def put_back(self, pending: dict[str, list[int]]) -> None:
        with self._lock:
            for month, (classified, trusted) in pending.items():
                slot = self._pending.setdefault(month, [0, 0])
                slot[0] += classified
                slot[1] += trusted

    def peek(self) -> dict[str, list[int]]:
        with self._lock:
            return {month: list(slot) for month, slot in self._pending.items()}


class UsageCounter:
    """Counts of classified URLs, buffered in memory and persisted in SQLite."""

    FILENAME = "usage.sqlite3"

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / self.FILENAME
        self._buffer = CountBuffer()
        self._db_lock = threading.Lock()  # one connection, used by the flusher and snapshots
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            self._db = db
        return self._db

    def record(self, classified: int, trusted: int) -> None:
        """Count ``classified`` URLs of which ``trusted`` were trusted (no I/O)."""
        self._buffer.record(classified, trusted)

    def flush(self) -> None:
        """Add the buffered counts to the database; on failure they stay buffered."""
        with self._buffer.taken() as pending:
            if not pending:
                return
            with self._db_lock, self._connect() as db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT INTO usage VALUES (?, ?, ?) ON CONFLICT (month) DO UPDATE SET"
                    " classified = classified + excluded.classified, trusted = trusted + excluded.trusted",
                    [(month, c, t) for month, (c, t) in pending.items()],
                )

    def snapshot(self) -> UsageSnapshot:
        self.flush()
        month = current_month()
        with self._db_lock:
            row = self._connect().execute(
                "SELECT COALESCE(SUM(classified), 0), COALESCE(SUM(trusted), 0),"
                " COALESCE(SUM(CASE WHEN month = ? THEN classified END), 0),"
                " COALESCE(SUM(CASE WHEN month = ? THEN trusted END), 0) FROM usage",
                (month, month),
            ).fetchone()
        return UsageSnapshot(month, int(row[2]), int(row[3]), int(row[0]), int(row[1]))

    def close(self) -> None:
        try:
            self.flush()
        finally:
            with self._db_lock:
                if self._db is not None:
                    self._db.close()
                    self._db = None
