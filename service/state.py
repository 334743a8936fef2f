"""What the running service holds: the compiled registry, the index, the counters.

The registry is compiled once at start-up (about a second for 100,000 hosts)
and swapped atomically when a curator changes it, here or in another worker
(:meth:`ServiceState.refresh_registry` notices changes to the SQLite file).
The index may be absent when the service starts: :meth:`searcher` retries at
most every ``INDEX_RETRY`` seconds and raises :class:`IndexUnavailable` with
a message saying what is missing.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import SearchIndexError
from ranking import TrustTable
from service.classify_wire import ClassifyRenderer
from service.errors import IndexUnavailable
from service.metrics import Metrics
from service.usage import open_usage_counter
from sources import Classifier, Registry
from sources.errors import SourcesError

if TYPE_CHECKING:
    from index.searcher import Searcher

INDEX_RETRY = 5.0
COUNTS_TTL = 60.0


class ServiceState:
    def __init__(self, data_dir: Path, index_dir: Path, redis_url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.index_dir = Path(index_dir)
        self.metrics = Metrics()
        self.usage = open_usage_counter(self.data_dir, redis_url)  # Redis when configured
        self.classifier = Classifier()
        self._renderer = ClassifyRenderer(self.classifier)
        self._trust_table = TrustTable(self.classifier)
        self.registry_error: str | None = None
        self._registry_stamp: tuple[float, ...] = ()
        self._load_lock = threading.Lock()
        self.load_registry()
        self._searcher: Searcher | None = None
        self._index_error = "not opened yet"
        self._next_try = 0.0
        self._counts: tuple[float, dict[str, int] | None] | None = None

    # -- registry ------------------------------------------------------------

    def _stamp(self) -> tuple[float, ...]:
        stamps = []
        for name in ("registry.sqlite3", "registry.sqlite3-wal"):
            try:
                stat = (self.data_dir / name).stat()
                stamps += [stat.st_mtime, stat.st_size]
            except OSError:
                stamps += [0.0, 0.0]
        return tuple(stamps)

    def load_registry(self) -> None:
        """Compile the registry; on failure keep the built-in rules and say why.

        Serialised: the watcher and a curator's change both reload, and the reload that
        started last (after the curator's commit) must be the one that stays.
        """
        with self._load_lock:
            stamp = self._stamp()
            try:
                with Registry(self.data_dir) as registry:
                    self.classifier = registry.classifier()
                self.registry_error = None
            except SourcesError as exc:
                self.registry_error = str(exc)
            self._registry_stamp = stamp

    def refresh_registry(self) -> bool:
        """Recompile when the registry's files changed since the last load."""
        if self._stamp() == self._registry_stamp:
            return False
        self.load_registry()
        return True

    def classify_renderer(self) -> ClassifyRenderer:
        """The ``/api/classify`` renderer of the current classifier (new after a reload)."""
        self._renderer = self._renderer.for_classifier(self.classifier)
        return self._renderer

    def trust_table(self) -> TrustTable:
        """The re-ranking's trust look-ups for the current classifier (new after a reload)."""
        if self._trust_table.classifier is not self.classifier:
            self._trust_table = TrustTable(self.classifier)
        return self._trust_table

    def count_classified(self, classified: int, trusted: int) -> None:
        """Count URLs classified, in the persisted usage figures and in this process's metrics."""
        self.usage.record(classified, trusted)
        self.metrics.count_classified(classified, trusted)

    def open_registry(self) -> Registry:
        return Registry(self.data_dir)

    # -- index ---------------------------------------------------------------

    def searcher(self) -> Searcher:
        if self._searcher is not None:
            return self._searcher
        now = time.monotonic()
        if now < self._next_try:
            raise IndexUnavailable(self._index_error)
        self._next_try = now + INDEX_RETRY
        self._searcher = self._open_searcher()
        return self._searcher

    def _open_searcher(self) -> Searcher:
        try:
            from index.searcher import Searcher
        except ImportError as exc:
            self._index_error = f"the search index module is not installed ({exc})"
            raise IndexUnavailable(self._index_error) from None
        if not self.index_dir.is_dir() or not any(self.index_dir.iterdir()):
            self._index_error = (f"no search index at {self.index_dir}: build it with "
                                 "'sdc index add' or 'sdc crawl'")
            raise IndexUnavailable(self._index_error)
        try:
            return Searcher(self.index_dir)
        except SearchIndexError as exc:
            self._index_error = f"cannot open the search index at {self.index_dir}: {exc}"
            raise IndexUnavailable(self._index_error) from None

    def category_counts(self) -> dict[str, int] | None:
        """Documents by category in the index (cached ``COUNTS_TTL`` s; ``None``: no index)."""
        now = time.monotonic()
        if self._counts is not None and now < self._counts[0]:
            return self._counts[1]
        try:
            counts: dict[str, int] | None = dict(self.searcher().stats().get("by_category", {}))
        except (IndexUnavailable, SearchIndexError):
            counts = None
        self._counts = (now + COUNTS_TTL, counts)
        return counts

    def index_status(self) -> tuple[bool, str, int | None]:
        """(loaded, human detail, documents)."""
        try:
            searcher = self.searcher()
        except IndexUnavailable as exc:
            return False, str(exc), None
        try:
            documents = int(searcher.count())
        except SearchIndexError as exc:
            return False, f"the search index does not answer: {exc}", None
        return True, f"{documents} documents", documents

    def close(self) -> None:
        self.usage.close()
