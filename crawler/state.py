"""What the crawler remembers between crawls: each page's validators, for conditional requests.

One SQLite file, ``<crawl_dir>/state.sqlite``, table ``pages(url, host, etag, last_modified,
status, fetched)``.  Validators are loaded into memory when the crawl opens (a dict look-up per
request) and written back in batches.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from crawler.errors import CrawlStateError
from sources.urls import host_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, host TEXT NOT NULL, etag TEXT, last_modified TEXT,
    status INTEGER NOT NULL, fetched REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_host ON pages(host);
"""
BATCH = 500


class CrawlState:
    """Validators of the pages already crawled; ``close()`` writes what is pending."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path)
            self._db.executescript(SCHEMA)
            rows = self._db.execute("SELECT url, etag, last_modified FROM pages").fetchall()
        except sqlite3.Error as exc:
            raise CrawlStateError(f"cannot open the crawl state {path}: {exc}") from exc
        self.validators: dict[str, tuple[str | None, str | None]] = {u: (e, m) for u, e, m in rows}
        self._pending: list[tuple[str, str, str | None, str | None, int, float]] = []
        self._removed: list[str] = []
        #: False when an index is written: records are then flushed at its checkpoints, so that
        #: the state never says "indexed" about a page the index lost in a crash
        self.auto_flush = True

    def known_urls(self, accept: Callable[[str | None], bool] | None = None) -> Iterator[str]:
        """URLs recorded by earlier crawls, those whose host ``accept`` allows (all without it)."""
        for url in list(self.validators):
            if accept is None or accept(host_of(url)):
                yield url

    def record(self, url: str, etag: str | None, last_modified: str | None, status: int = 200) -> None:
        self.validators[url] = (etag, last_modified)
        self._pending.append((url, host_of(url) or "", etag, last_modified, status, time.time()))
        if self.auto_flush and len(self._pending) >= BATCH:
            self.flush()

    def forget(self, url: str) -> None:
        self.validators.pop(url, None)
        self._removed.append(url)
        if self.auto_flush and len(self._removed) >= BATCH:
            self.flush()

    def flush(self) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)", self._pending)
            self._db.executemany("DELETE FROM pages WHERE url = ?", [(u,) for u in self._removed])
        self._pending.clear()
        self._removed.clear()

    def close(self) -> None:
        self.flush()
        self._db.close()
