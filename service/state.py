"""What the running service holds: the compiled registry, the index, the counters.

The registry is compiled once at start-up (about a second for 100,000 hosts)
and swapped atomically when a curator changes it, here or in another worker
(:meth:`ServiceState.refresh_registry` notices changes to the SQLite file).
The index may be absent when the service starts: :meth:`searcher` retries at
most every ``INDEX_RETRY`` seconds and raises :class:`IndexUnavailable` with
a message saying what is missing.

Every route that serves hits goes through :meth:`ServiceState.search` (the
page, ``/api/search``, the unified view, ``merge``) and every completion through
:meth:`ServiceState.suggest`: they run in the thread pool under the worker's
heavy-work bound (:mod:`service.heavy`) and check what they serve against the
registry as it is now (:mod:`service.registry_check`: hits and their copies,
refilled pages, totals, facets, completions), so a host denied or dropped since
its pages were indexed is never shown.  :meth:`upkeep` (run every
second by the app, in a thread) notices registry changes and refreshes what
``/healthz`` and the tabs read, so those never touch tantivy or SQLite.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.errors import SearchIndexError
from ranking import TrustTable
from service.classify_wire import ClassifyRenderer
from service.errors import IndexUnavailable
from service.heavy import HeavyLimiter, bulky_lane
from service.metrics import Metrics
from service.registry_check import served_search, trusted_completions
from service.usage import open_usage_counter
from sources import Classifier, Registry
from sources.errors import SourcesError
from sources.journal import read_generation, read_pending_purges

if TYPE_CHECKING:
    from index.results import SearchResults
    from index.searcher import Searcher

INDEX_RETRY = 5.0
#: queued hosts counted out of totals; past it (a large import) only the hosts seen in a page are
PENDING_COUNTED = 100
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
        #: hosts queued for purge (their pages may still be indexed): totals count them out
        self.pending_purges: frozenset[str] = frozenset()
        self._load_lock = threading.Lock()
        self.load_registry()
        self._searcher: Searcher | None = None
        self._index_error = "not opened yet"
        self._next_try = 0.0
        self._counts: tuple[float, dict[str, int] | None] | None = None
        self._status: tuple[bool, str, int | None] = (False, "not opened yet", None)
        self.heavy = HeavyLimiter()
        #: requests with large bodies, in their own lane: never ahead of a search for a slot
        self.bulky = bulky_lane()
        self.upkeep()

    # -- registry ------------------------------------------------------------

    def _stamp(self) -> tuple[float, ...]:
        # the registry's generation, not its file's size and time: reports, the audit log
        # and purge rounds write to the file without changing any verdict (sources.journal)
        return (float(read_generation(self.data_dir / "registry.sqlite3")),)

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

    def refresh_pending_purges(self) -> None:
        """Read which hosts still wait for the purge (about 0.1 ms)."""
        self.pending_purges = frozenset(
            read_pending_purges(self.data_dir / "registry.sqlite3", PENDING_COUNTED))

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

    async def search(self, query: str, **kwargs: Any) -> SearchResults:
        """``Searcher.search`` off the event loop, bounded, each hit checked against the registry.

        Raises :class:`IndexUnavailable` (no index) and :class:`service.errors.Busy` (too many
        heavy requests); keyword arguments go to ``Searcher.search`` unchanged.
        """
        return await self.heavy.run(self.search_now, query, **kwargs)

    def search_now(self, query: str, **kwargs: Any) -> SearchResults:
        """The same, in the calling thread (for code already off the event loop)."""
        return served_search(self.searcher().search, self.classifier, query, kwargs,
                             self.pending_purges)

    async def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """``Searcher.suggest`` off the event loop, bounded; only completions that find a page
        the current registry trusts (one drawn from a denied host's titles is not offered)."""
        return await self.heavy.run(self.suggest_now, prefix, limit)

    def suggest_now(self, prefix: str, limit: int = 8) -> list[str]:
        """The same, in the calling thread."""
        searcher = self.searcher()
        # twice as many: a few may be dropped
        completions = searcher.suggest(prefix, limit=2 * limit)
        return trusted_completions(searcher.search, self.classifier, completions, limit)

    def category_counts(self) -> dict[str, int] | None:
        """Documents by category in the index (refreshed by :meth:`upkeep`; ``None``: no index)."""
        return self._counts[1] if self._counts is not None else None

    def _refresh_counts(self) -> None:
        now = time.monotonic()
        if self._counts is not None and now < self._counts[0]:
            return
        try:
            counts: dict[str, int] | None = dict(self.searcher().stats().get("by_category", {}))
        except (IndexUnavailable, SearchIndexError):
            counts = None
        self._counts = (now + COUNTS_TTL, counts)

    def upkeep(self) -> None:
        """Background round (in a thread, every second): registry changes, index status and counts."""
        changed = self.refresh_registry()
        if changed or self.pending_purges:  # a purge round empties the queue without a new generation
            self.refresh_pending_purges()
        self._status = self._index_status()
        if self._status[0] and self._counts is not None and self._counts[1] is None:
            self._counts = None  # the index just appeared: count it now
        self._refresh_counts()

    def index_status(self) -> tuple[bool, str, int | None]:
        """(loaded, human detail, documents) as of the last :meth:`upkeep` (no I/O)."""
        return self._status

    def _index_status(self) -> tuple[bool, str, int | None]:
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
