"""The crawl's frontier on disk, so that a stopped crawl resumes where it stopped.

Every URL the spider schedules is recorded (``push``) with its depth, and marked when its page
has been handled (``done``), in ``<crawl_dir>/frontier.sqlite``, written in batches and at least
every ``flush_seconds``.  Resuming reads it back: the URLs not done are scheduled again, and all of
them fill the spider's seen-set and per-host counts, so nothing is fetched twice and the budgets
hold.  A new crawl (no ``--resume``) starts from an empty frontier.

Why not Scrapy's JOBDIR: its disk queues create and delete a directory per host each time a host's
queue empties, which with one request at a time per host is once per page; measured here it cost
more than the whole page extraction.  Scrapy's scheduler keeps its queues in memory instead, and
this file only costs a few batched SQLite writes.  Scheduled URLs are written every
``flush_seconds``; "done" marks, when an index is written, only at the index pipeline's
checkpoints (after an index commit), so a ``kill -9`` can make a resumed crawl fetch the last few
seconds of pages again, never skip one the index lost.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from crawler.errors import CrawlStateError

SCHEMA = """
CREATE TABLE IF NOT EXISTS frontier (url TEXT PRIMARY KEY, depth INTEGER NOT NULL, done INTEGER NOT NULL);
"""
BATCH = 1000


class Frontier:
    def __init__(self, path: Path, *, resume: bool, flush_seconds: float = 2.0) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.executescript(SCHEMA)
            if not resume:
                with self._db:
                    self._db.execute("DELETE FROM frontier")
        except sqlite3.Error as exc:
            raise CrawlStateError(f"cannot open the crawl frontier {path}: {exc}") from exc
        self._pushed: list[tuple[str, int]] = []
        self._done: list[str] = []
        self._flush_seconds = flush_seconds
        #: False when an index is written: "done" marks then wait for its checkpoints, so that a
        #: crash never leaves a page marked done that the index had not committed
        self.auto_flush = True
        self._last_flush = time.monotonic()

    def saved(self) -> Iterator[tuple[str, int, bool]]:
        """Every URL of the stopped crawl: ``(url, depth, done)``."""
        yield from ((u, d, bool(x)) for u, d, x in self._db.execute("SELECT url, depth, done FROM frontier"))

    def push(self, url: str, depth: int) -> None:
        self._pushed.append((url, depth))
        self._maybe_flush()

    def done(self, url: str) -> None:
        self._done.append(url)
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if (len(self._pushed) >= BATCH or (self.auto_flush and len(self._done) >= BATCH)
                or time.monotonic() - self._last_flush >= self._flush_seconds):
            self.flush(done=self.auto_flush)

    def flush(self, *, done: bool = True) -> None:
        """Write what is pending; the "done" marks only with ``done`` (see ``auto_flush``)."""
        with self._db:
            self._db.executemany("INSERT OR IGNORE INTO frontier VALUES (?, ?, 0)", self._pushed)
            if done:
                self._db.executemany("UPDATE frontier SET done = 1 WHERE url = ?", [(u,) for u in self._done])
        self._pushed.clear()
        if done:
            self._done.clear()
        self._last_flush = time.monotonic()

    def close(self) -> None:
        self.flush()
        self._db.close()


def forget_hosts(path: Path, hosts: list[str]) -> int:
    """Mark done the URLs not yet handled of ``hosts`` and their subdomains (a curator deny, an
    import removal: ``service.purge``), so that a resumed crawl never asks them again."""
    from sources.hosts import under_any
    from sources.urls import host_of

    if not hosts or not path.is_file():
        return 0
    wanted = set(hosts)

    def gone(url: str) -> bool:
        host = host_of(url)
        return host is not None and under_any(host, wanted)

    try:
        with sqlite3.connect(path, timeout=5) as db:
            urls = [(u,) for (u,) in db.execute("SELECT url FROM frontier WHERE done = 0") if gone(u)]
            db.executemany("UPDATE frontier SET done = 1 WHERE url = ?", urls)
    except sqlite3.Error as exc:
        raise CrawlStateError(f"cannot update the crawl frontier {path}: {exc}") from exc
    return len(urls)
