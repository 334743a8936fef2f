"""The layout of a sharded index: which directory holds which page.

An index directory is either one tantivy index (``meta.json`` at its top, as
every index built before issue 18) or a set of shards: ``shards.json`` names
their count and how pages are routed, and each ``shard-NN/`` is a tantivy
index of our schema.

Routes (the manifest's ``route``):

* ``same-mod`` (every index :func:`create` makes): a page lives in the shard
  of its copy key (the ``same`` field, 64 bits of its content digest, modulo
  the count), so every copy of a page is in one shard.  Each shard's totals
  and facets count its documents once (``index.collapse``) and no document
  is in two shards, so the sums over the shards count each document once, as
  the single index does.  A URL's shard moves when its content changes: the
  writer looks the URL up in every shard to replace or delete it
  (``index.directory_writer.ShardRouter``).
* ``uid-mod`` (sharded indexes of the first issue-18 layout): the shard of the
  URL's ``uid``.  A page's copies may sit in two shards and count twice;
  ``sdc index reshard`` rewrites such an index as ``same-mod``.

Either way the shards hold near-equal shares of every site (both keys are
hashes), which keeps their BM25 statistics close to the whole index's.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index import schema as f
from index.directory_writer import AddOutcome, DirectoryWriter
from index.documents import PageDocument
from index.errors import IndexOpenError
from index.stored_page import content_hash

MANIFEST = "shards.json"
MAX_SHARDS = 64
LAYOUT_VERSION = 2
#: pages routed by their URL's ``uid``: the first sharded layout (a page's copies in several shards)
ROUTE_URL = "uid-mod"
#: pages routed by their copy key ``same``: every copy of a page in one shard
ROUTE_COPY = "same-mod"
ROUTES = (ROUTE_URL, ROUTE_COPY)


def shard_name(number: int) -> str:
    return f"shard-{number:02d}"


def route(url: str, count: int) -> int:
    """The shard of ``url`` among ``count`` in a ``uid-mod`` layout."""
    return f.url_id(url) % count if count > 1 else 0


def copy_route(same: int, count: int) -> int:
    """The shard of a page whose copy key (``same`` field) is ``same``, in a ``same-mod`` layout."""
    return same % count if count > 1 else 0


def shard_count(path: Path) -> int:
    """How many shards the index at ``path`` has; 0 when it is a single (unsharded) index or absent."""
    manifest = _manifest(path)
    return 0 if manifest is None else int(manifest["shards"])


def route_of(path: Path) -> str:
    """How the index at ``path`` routes its pages: :data:`ROUTE_COPY` or :data:`ROUTE_URL` (also for an
    unsharded index, where there is one place for every page)."""
    manifest = _manifest(path)
    return ROUTE_URL if manifest is None else str(manifest["route"])


def shard_dirs(path: Path) -> list[Path]:
    """The directories to search or write: the shards, or ``[path]`` itself when not sharded."""
    count = shard_count(path)
    if count == 0:
        return [Path(path)]
    return [Path(path) / shard_name(n) for n in range(count)]


def create(path: Path, count: int, *, routed: str = ROUTE_COPY) -> list[Path]:
    """Make ``path`` an empty index of ``count`` shards (``path`` must be absent or empty); ``routed``
    is kept for tests of the older layout."""
    if not 1 <= count <= MAX_SHARDS:
        raise IndexOpenError(f"{count} shards: expected 1 to {MAX_SHARDS}")
    if routed not in ROUTES:
        raise IndexOpenError(f"unknown shard route {routed!r}: expected one of {', '.join(ROUTES)}")
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise IndexOpenError(f"{path} is not empty: shards are created in a new directory")
    path.mkdir(parents=True, exist_ok=True)
    dirs = [path / shard_name(n) for n in range(count)]
    for directory in dirs:
        f.open_index(directory)  # an empty index of our schema, so that searchers can open it
    # written last: a directory without it is not taken for a complete sharded index
    temporary = path / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps({"shards": count, "route": routed, "version": LAYOUT_VERSION}),
                         encoding="utf-8")
    temporary.replace(path / MANIFEST)
    return dirs


class ShardRouter:
    """Which shard's writer takes a page, answers a look-up or deletes a URL (for
    :class:`index.writer.IndexWriter`, which holds one writer per shard, in shard order)."""

    def __init__(self, writers: Sequence[DirectoryWriter], routed: str) -> None:
        self._writers = list(writers)
        self.routed = routed if len(self._writers) > 1 else ROUTE_URL  # one place for every page
        # two threads adding one URL with two texts would each miss the other's page in its shard
        self._lock = threading.Lock()

    def add(self, doc: PageDocument) -> AddOutcome:
        """``doc`` (already normalised) into its shard; in a ``same-mod`` layout, the page its URL had
        in another shard (before its content changed) is deleted: the add is a replacement."""
        count = len(self._writers)
        if self.routed == ROUTE_URL:
            return self._writers[route(doc.url.strip(), count)].add(doc, normalised=True)
        digest = content_hash(doc)
        home = copy_route(f.same_id(digest), count)
        others = [writer for n, writer in enumerate(self._writers) if n != home]
        # the URL looked up in each other shard: ~0.8 us each (4 shards of 25,000 pages), beside
        # ~160 us of CPU to index a page
        with self._lock:
            return self._writers[home].add(doc, normalised=True, others=others, digest=digest)

    def contains(self, url: str) -> bool:
        """True when some shard holds (or is about to commit) a page at ``url``."""
        return any(writer.contains(url) for writer in self._holders(url))

    def delete_url(self, url: str) -> int:
        """Delete the page at ``url`` (0 or 1 document) from whichever shard holds it."""
        with self._lock:
            return sum(writer.delete_url(url) for writer in self._holders(url) if writer.contains(url))

    def _holders(self, url: str) -> list[DirectoryWriter]:
        """The writers of the shards that may hold ``url``: its own in a ``uid-mod`` layout, else all."""
        if self.routed == ROUTE_URL:
            return [self._writers[route(url.strip(), len(self._writers))]]
        return self._writers


def _manifest(path: Path) -> dict[str, Any] | None:
    """The checked manifest of the index at ``path``; ``None`` when it has none (not sharded)."""
    manifest = Path(path) / MANIFEST
    if not manifest.is_file():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        count = int(data["shards"])
        routed = str(data.get("route", ROUTE_URL))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexOpenError(f"unreadable shard manifest {manifest}: {exc}") from None
    if not 1 <= count <= MAX_SHARDS:
        raise IndexOpenError(f"{manifest}: {count} shards, expected 1 to {MAX_SHARDS}")
    if routed not in ROUTES:
        raise IndexOpenError(f"{manifest}: unknown route {routed!r} (a newer version wrote it?)")
    return {"shards": count, "route": routed}
