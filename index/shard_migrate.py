"""Move an index to another layout: ``sdc index reshard --shards N`` (issue 18).

Every live page of the current index (unsharded, as every index built before
issue 18, or sharded by either route) is read back from its stored fields and
written by :class:`index.writer.IndexWriter` into a new directory of ``count``
shards routed by copy key (``index.shards.ROUTE_COPY``), next to the index;
only when that is complete and committed does it take the index's place (two
renames), the old one kept aside or removed.  The old
index's writer locks are held all along, so no crawler or consumer writes
pages that the copy would miss.  A failure leaves the index as it was.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import tantivy

from index import schema as f
from index import shards
from index.documents import PageDocument
from index.errors import IndexOpenError, SearchIndexError
from index.writer import IndexWriter
from sources import Classifier

#: pages whose addresses are held at once while copying (158 bytes of memory each, measured over
#: 400,000: all of a 10M-page index's at once took 1.6 GB)
SLICE = 200_000


def stored_pages(path: Path) -> Iterator[PageDocument]:
    """Every live page of the index at ``path`` (any layout), from its stored fields."""
    for directory in shards.shard_dirs(path):
        index = f.open_index(directory, create=False)
        index.reload()
        searcher = index.searcher()
        # the pages in slices of their uid (a hash of the URL: slices of near-equal size), each slice's
        # addresses collected at once, its documents read one by one
        slices = -(-searcher.num_docs // SLICE)
        for n in range(slices):
            low, high = n * 2**64 // slices, (n + 1) * 2**64 // slices - 1
            part = tantivy.Query.range_query(index.schema, f.UID, tantivy.FieldType.Unsigned, low, high)
            count = int(searcher.search(part, 1, count=True).count or 0)  # type: ignore[attr-defined]  # not in tantivy's stub
            if count:
                for _, address in searcher.search(part, count, count=False).hits:
                    yield page_of(searcher.doc(address))


def page_of(doc: tantivy.Document) -> PageDocument:
    """The page a stored document was written from (what the writer derives is derived again)."""
    def text(name: str) -> str:
        return str(doc.get_first(name) or "")

    published, fetched = doc.get_first(f.PUBLISHED), doc.get_first(f.FETCHED)
    return PageDocument(
        url=text(f.URL), title=text(f.TITLE), body=text(f.BODY), description=text(f.DESCRIPTION),
        headings=[str(h) for h in doc.to_dict().get(f.HEADINGS, [])],
        lang=text(f.LANG) or None,
        published=published.date() if isinstance(published, datetime) else None,
        fetched=fetched if isinstance(fetched, datetime) else None,
        kind="news" if text(f.KIND) == "news" else "page",
    )


def reshard(path: Path, count: int, classifier: Classifier, *, keep_old: bool = False,
            progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Rewrite the index at ``path`` as ``count`` shards (1: one unsharded index); returns the writer's
    counts (pages the registry no longer trusts are ``refused``) and ``kept_old`` (0 or 1)."""
    path = Path(path)
    if not (path / shards.MANIFEST).is_file() and not (path / "meta.json").is_file():
        raise IndexOpenError(f"no index at {path} (run 'sdc index add' first)")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    building, aside = path.with_name(f"{path.name}.resharding"), path.with_name(f"{path.name}.before-{stamp}")
    shutil.rmtree(building, ignore_errors=True)  # what an interrupted run left
    try:
        with IndexWriter(path, classifier, commit_seconds=0):  # holds the locks: nobody writes meanwhile
            if count > 1:
                shards.create(building, count)
            with IndexWriter(building, classifier, batch_size=200_000, commit_seconds=0,
                             heap_bytes=256_000_000 * max(1, count)) as writer:
                for n, page in enumerate(stored_pages(path), 1):
                    writer.add(page)
                    if progress is not None and n % 1000 == 0:
                        progress(1000)
                counts = writer.counts
    except (SearchIndexError, OSError, ValueError) as exc:
        shutil.rmtree(building, ignore_errors=True)
        raise SearchIndexError(f"resharding {path} failed, the index is as it was: {exc}") from None
    path.rename(aside)
    building.rename(path)
    if not keep_old:
        shutil.rmtree(aside, ignore_errors=True)
    return {**counts, "kept_old": int(keep_old)}
