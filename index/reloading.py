"""A tantivy searcher that follows the writer's commits, with no restart.

The writer may commit from another process (``sdc crawl``, the stream
consumer), and tantivy's reader is opened with ``reload_policy="manual"``:
a ``stat`` of ``meta.json`` per search (which tantivy replaces atomically on
commit) tells when to reload, which costs far less than reloading every time.
"""

from __future__ import annotations

import threading
from pathlib import Path

import tantivy

from index.errors import SearchIndexError


class LatestSearcher:
    def __init__(self, index: tantivy.Index, folder: Path) -> None:
        self._index = index
        self._index.config_reader(reload_policy="manual")
        self.folder = folder
        self._meta = folder / "meta.json"
        self._lock = threading.Lock()
        self._stamp_seen: tuple[int, int, int] | None = None
        self._searcher = self._fresh()

    def get(self) -> tantivy.Searcher:
        """The searcher on the latest commit (reloaded when ``meta.json`` changed)."""
        stamp = self._stamp()
        if stamp != self._stamp_seen:
            with self._lock:
                if stamp != self._stamp_seen:
                    self._searcher = self._fresh()
        return self._searcher

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self._meta.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ino, st.st_size)

    def _fresh(self) -> tantivy.Searcher:
        stamp = self._stamp()
        try:
            self._index.reload()
        except ValueError as exc:
            raise SearchIndexError(f"cannot reload the index at {self.folder}: {exc}") from None
        self._stamp_seen = stamp
        return self._index.searcher()
