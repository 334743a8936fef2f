"""Add, replace and delete pages in one index directory (one shard, or an unsharded index).

:class:`index.writer.IndexWriter` is the public writer: it holds one :class:`DirectoryWriter`
per shard and routes each page to its shard (``index.shards.ShardRouter``).

Policy:

* **Trusted pages only.**  Host, registrable domain, category and source
  name come from the :class:`sources.Classifier` at add time; a page whose
  URL it does not trust is refused and counted, never indexed.
* **One document per URL.**  Adding a URL deletes any earlier copy in the
  same tantivy operation batch, so a re-add is a replacement; given the
  other shards' writers (``others``), it deletes the URL's page there too
  (its content, hence its shard, changed).
* **Batched commits.**  tantivy buffers documents in memory on ``threads``
  indexing threads; we commit every ``batch_size`` documents and at least
  every ``commit_seconds`` while the writer is open (a background timer
  covers slow producers such as the crawler).  A commit is atomic: a crash
  (even ``kill -9``) leaves the last committed state, which opens normally.
* **One writer per directory.**  tantivy's lock file enforces it across
  processes; a second writer gets :class:`IndexLockedError`.
* **One boundary.**  Every page goes through :func:`index.documents.normalise`
  (dates in a sane range, texts within bounds) before it is indexed; a page
  that still cannot be indexed raises :class:`InvalidDocumentError` and
  leaves the batch as it was.
* **All or nothing on failure.**  Leaving the ``with`` block by an exception
  rolls back everything added since the last commit (``sdc index add``
  commits a file once, at its end, so a bad file leaves the index as it was).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Literal

import tantivy

from index import schema as f
from index.documents import InvalidPage, PageDocument, normalise
from index.errors import IndexLockedError, InvalidDocumentError, SearchIndexError
from index.stored_page import content_hash, to_document
from sources import Classifier

AddOutcome = Literal["added", "replaced", "refused"]
DEFAULT_HEAP_BYTES = 256_000_000


class DirectoryWriter:
    """Context manager writing one index directory; ``close()`` (or ``with``) commits."""

    def __init__(
        self,
        path: Path,
        classifier: Classifier,
        *,
        batch_size: int = 1000,
        commit_seconds: float = 5.0,
        threads: int = 2,
        heap_bytes: int = DEFAULT_HEAP_BYTES,
    ) -> None:
        self.path = Path(path)
        self._classifier = classifier
        self._batch_size = max(1, batch_size)
        self._commit_seconds = commit_seconds
        self._index = f.open_index(self.path)
        self._schema = self._index.schema
        try:
            self._writer = self._index.writer(heap_size=heap_bytes, num_threads=max(1, threads))
        except ValueError as exc:
            if "LockBusy" in str(exc):
                raise IndexLockedError(
                    f"the index at {self.path} is being written by another process"
                ) from None
            raise SearchIndexError(f"cannot write the index at {self.path}: {exc}") from None
        self._index.config_reader(reload_policy="manual")
        self._index.reload()
        self._searcher = self._index.searcher()
        self._pending: set[str] = set()  # URLs added since the last commit
        self._gone: set[str] = set()  # URLs deleted since the last commit (and not added again)
        self._uncommitted = 0
        self._last_commit = time.monotonic()
        self._lock = threading.RLock()
        self._closed = False
        self._failure: SearchIndexError | None = None
        self.counts: dict[str, int] = {"added": 0, "replaced": 0, "refused": 0, "deleted": 0}
        #: pages indexed with a field dropped or cut (see ``PageDocument.notes``)
        self.amended = 0
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None
        if commit_seconds > 0:
            self._timer = threading.Thread(target=self._commit_periodically, daemon=True,
                                           name=f"index-commit:{self.path.name}")
            self._timer.start()

    # -- context manager ---------------------------------------------------

    def __enter__(self) -> DirectoryWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:
            self.close()
        else:
            self.abandon()

    # -- writing -----------------------------------------------------------

    def add(self, doc: PageDocument, *, normalised: bool = False,
            others: Sequence[DirectoryWriter] = (), digest: str | None = None) -> AddOutcome:
        """Index ``doc`` (replacing any page with the same URL, here or in ``others``: the writers of
        the other shards) unless its URL is untrusted.

        :class:`InvalidDocumentError` when the page cannot be indexed even after
        :func:`normalise` (nothing of it is written then); ``normalised`` says the caller
        already passed it through :func:`normalise`, ``digest`` that it computed its
        :func:`content_hash` (to route it)."""
        if not normalised:
            doc = normalised_page(doc)
        classification = self._classifier.classify(doc.url)
        verdict = classification.verdict
        host = classification.host
        if not verdict.trusted or not host:
            with self._lock:
                self.counts["refused"] += 1
            return "refused"
        try:
            document = to_document(doc, host, verdict.domain or host,
                                    verdict.category.value if verdict.category else "",
                                    verdict.name or "", digest or content_hash(doc))
        except (ValueError, OverflowError, UnicodeError) as exc:  # tantivy refuses a field
            raise InvalidDocumentError(f"{doc.url[:200]!r}: {exc}") from None
        # before taking this writer's lock: no thread ever holds two shards' locks (no deadlock)
        moved = sum(other.discard(doc.url) for other in others)
        with self._lock:
            self._check_open()
            here = self._exists(doc.url)
            outcome: AddOutcome = "replaced" if here or moved else "added"
            if here:
                self._writer.delete_documents_by_term(f.URL, doc.url)
            self._writer.add_document(document)
            self._pending.add(doc.url)
            self._gone.discard(doc.url)
            self.counts[outcome] += 1
            self.amended += bool(doc.notes)
            self._uncommitted += 1
            if self._uncommitted >= self._batch_size:
                self._commit_locked()
        return outcome

    def contains(self, url: str) -> bool:
        """True when the index holds (or is about to commit) a page at ``url``."""
        with self._lock:
            self._check_open()
            return self._exists(url)

    def delete_url(self, url: str) -> int:
        """Delete the page at ``url`` with the next commit; returns how many documents go (0 or 1)."""
        with self._lock:
            self._check_open()
            found = int(self._exists(url))
            self._delete_locked(url)
            self.counts["deleted"] += found
            return found

    def discard(self, url: str) -> int:
        """Delete the page at ``url`` because it moves to another shard (not counted as deleted);
        returns 1 when there was one, 0 (and nothing written) when not."""
        with self._lock:
            self._check_open()
            if not self._exists(url):
                return 0
            self._delete_locked(url)
            return 1

    def delete_domain(self, domain: str) -> int:
        """Delete every page of ``domain`` and its subdomains (purging a removed source)."""
        site = domain.strip().strip(".").lower()
        with self._lock:
            self._check_open()
            self._commit_locked()
            found = self._count(tantivy.Query.term_query(self._schema, f.SITE, site))
            self._writer.delete_documents_by_term(f.SITE, site)
            self._commit_locked()
            self.counts["deleted"] += found
            return found

    def commit(self) -> None:
        """Make everything added so far durable and visible to searchers (nothing to do: no commit,
        so that searchers do not reload for nothing)."""
        with self._lock:
            self._check_open()
            if self._uncommitted:
                self._commit_locked()

    def close(self) -> None:
        """Commit, wait for merges and release the directory lock (idempotent)."""
        self._stop_timer()
        with self._lock:
            if self._closed:
                return
            try:
                self._commit_locked()
                self._writer.garbage_collect_files()
                self._writer.wait_merging_threads()
            except ValueError as exc:
                raise SearchIndexError(f"cannot finish writing the index at {self.path}: {exc}") from None
            finally:
                self._closed = True

    def abandon(self) -> None:
        """Drop everything added or deleted since the last commit and release the lock (idempotent)."""
        self._stop_timer()
        with self._lock:
            if self._closed:
                return
            try:
                self._writer.rollback()
                self._writer.garbage_collect_files()  # the segments written since the last commit
                self._writer.wait_merging_threads()
            except ValueError as exc:
                raise SearchIndexError(f"cannot roll back the index at {self.path}: {exc}") from None
            finally:
                self._pending.clear()
                self._gone.clear()
                self._uncommitted = 0
                self._closed = True

    # -- internals ---------------------------------------------------------

    def _stop_timer(self) -> None:
        """Stop the periodic commits (and wait for them, unless called from their thread)."""
        self._stop.set()
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.join()

    def _delete_locked(self, url: str) -> None:
        # tantivy applies a delete to every earlier operation, committed or not
        self._writer.delete_documents_by_term(f.URL, url)
        self._pending.discard(url)
        self._gone.add(url)
        self._uncommitted += 1
        if self._uncommitted >= self._batch_size:
            self._commit_locked()

    def _commit_locked(self) -> None:
        try:
            self._writer.commit()
        except ValueError as exc:
            raise SearchIndexError(f"cannot commit the index at {self.path}: {exc}") from None
        self._index.reload()
        self._searcher = self._index.searcher()
        self._pending.clear()
        self._gone.clear()
        self._uncommitted = 0
        self._last_commit = time.monotonic()

    def _commit_periodically(self) -> None:
        while not self._stop.wait(self._commit_seconds / 4):
            with self._lock:
                due = time.monotonic() - self._last_commit >= self._commit_seconds
                if not self._closed and self._uncommitted and due:
                    try:
                        self._commit_locked()
                    except SearchIndexError as exc:  # the next call in the writer's thread raises it
                        self._failure = exc
                        return

    def _exists(self, url: str) -> bool:
        if url in self._pending:
            return True
        if url in self._gone:
            return False  # the committed searcher still sees it until the next commit
        if self._searcher.doc_freq(f.URL, url) == 0:
            return False  # doc_freq also counts deleted copies: 0 is sure, more needs a search
        return self._count(tantivy.Query.term_query(self._schema, f.URL, url)) > 0

    def _count(self, query: tantivy.Query) -> int:
        return int(self._searcher.search(query, 1, count=True).count)  # type: ignore[attr-defined]  # not in tantivy's stub

    def _check_open(self) -> None:
        if self._failure is not None:
            raise self._failure
        if self._closed:
            raise SearchIndexError("this index writer is closed")


def normalised_page(doc: PageDocument) -> PageDocument:
    """:func:`normalise`, its refusal as :class:`InvalidDocumentError` naming the URL."""
    try:
        return normalise(doc)
    except InvalidPage as exc:
        raise InvalidDocumentError(f"{str(doc.url)[:200]!r}: {exc}") from None
