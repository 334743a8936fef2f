"""Add, replace and delete pages: the only code that writes the index.

:class:`IndexWriter` writes an index directory whatever its layout
(``index.shards``): a single tantivy index, or shards, each page going to its
shard (``index.shards.ShardRouter``: the shard of its copy key, every copy of a
page in one), with one :class:`index.directory_writer.DirectoryWriter` per
shard in this one process.  The policy of each (trusted pages only, one
document per URL, batched atomic commits, one writer per directory, the
:func:`index.documents.normalise` boundary, all or nothing on failure) is
described in :mod:`index.directory_writer`; across shards, a commit commits
every shard in turn and leaving the ``with`` block by an exception rolls every
shard back.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from index import shards
from index.directory_writer import DEFAULT_HEAP_BYTES, AddOutcome, DirectoryWriter, normalised_page
from index.documents import PageDocument
from index.errors import SearchIndexError
from index.stored_page import content_hash, site_terms
from sources import Classifier

__all__ = ["DEFAULT_HEAP_BYTES", "AddOutcome", "IndexWriter", "content_hash", "site_terms"]
#: tantivy refuses an indexing heap under ~15 MB a thread; a shard gets at least this much
MIN_SHARD_HEAP_BYTES = 48_000_000


class IndexWriter:
    """Context manager writing the index at ``path`` (sharded or not); ``close()`` (or ``with``) commits.

    ``threads`` and ``heap_bytes`` are for the whole index: each of ``n`` shards gets its share.
    """

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
        dirs = shards.shard_dirs(self.path)
        count = len(dirs)
        self._writers: list[DirectoryWriter] = []
        try:
            for directory in dirs:
                self._writers.append(DirectoryWriter(
                    directory, classifier, batch_size=batch_size, commit_seconds=commit_seconds,
                    threads=max(1, threads // count),
                    heap_bytes=max(MIN_SHARD_HEAP_BYTES, heap_bytes // count)))
        except SearchIndexError:
            for writer in self._writers:
                writer.abandon()
            raise
        self._router = shards.ShardRouter(self._writers, shards.route_of(self.path))

    @property
    def shards(self) -> int:
        """How many directories this writer writes (1 for an unsharded index)."""
        return len(self._writers)

    @property
    def route(self) -> str:
        """How pages are routed to the shards (``index.shards.ROUTES``)."""
        return self._router.routed

    @property
    def counts(self) -> dict[str, int]:
        """Pages added, replaced, refused as untrusted and deleted, over every shard."""
        total = {"added": 0, "replaced": 0, "refused": 0, "deleted": 0}
        for writer in self._writers:
            for key, value in writer.counts.items():
                total[key] = total.get(key, 0) + value
        return total

    @property
    def amended(self) -> int:
        """Pages indexed with a field dropped or cut (see ``PageDocument.notes``)."""
        return sum(writer.amended for writer in self._writers)

    # -- context manager ---------------------------------------------------

    def __enter__(self) -> IndexWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:
            self.close()
        else:
            self.abandon()

    # -- writing -----------------------------------------------------------

    def add(self, doc: PageDocument, *, normalised: bool = False) -> AddOutcome:
        """Index ``doc`` in its shard (replacing any page with the same URL) unless its URL is untrusted.

        :class:`index.errors.InvalidDocumentError` when the page cannot be indexed; ``normalised``
        says the caller already passed it through :func:`index.documents.normalise` (once is enough).
        """
        if not normalised:
            doc = normalised_page(doc)  # before routing: the URL is stripped
        return self._router.add(doc)

    def contains(self, url: str) -> bool:
        """True when the index holds (or is about to commit) a page at ``url``."""
        return self._router.contains(url)

    def delete_url(self, url: str) -> int:
        """Delete the page at ``url`` with the next commit; returns how many documents go (0 or 1)."""
        return self._router.delete_url(url)

    def delete_domain(self, domain: str) -> int:
        """Delete every page of ``domain`` and its subdomains, in every shard."""
        return sum(writer.delete_domain(domain) for writer in self._writers)

    def commit(self) -> None:
        """Make everything added so far durable and visible to searchers, shard by shard."""
        for writer in self._writers:
            writer.commit()

    def close(self) -> None:
        """Commit every shard, wait for merges and release the locks (idempotent)."""
        self._each("close")

    def abandon(self) -> None:
        """Drop everything since the last commit in every shard and release the locks (idempotent)."""
        self._each("abandon")

    # -- internals ---------------------------------------------------------

    def _each(self, method: str) -> None:
        """Call ``method`` on every shard's writer, all of them even if one fails; raise the first."""
        failure: SearchIndexError | None = None
        for writer in self._writers:
            try:
                getattr(writer, method)()
            except SearchIndexError as exc:
                failure = failure or exc
        if failure is not None:
            raise failure
