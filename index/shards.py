"""The layout of a sharded index: which directory holds which page.

An index directory is either one tantivy index (``meta.json`` at its top, as
every index built before issue 18) or a set of shards: ``shards.json`` names
their count and each ``shard-NN/`` is a tantivy index of our schema.  A page
lives in the shard its URL hashes to (:func:`route`: its ``uid`` modulo the
count), so a replacement or a delete of that URL reaches the same shard, and
the shards hold near-equal shares of every site, which keeps their BM25
statistics close to the whole index's (tests and bench/bench_scale.py check
the ranking).
"""

from __future__ import annotations

import json
from pathlib import Path

from index import schema as f
from index.errors import IndexOpenError

MANIFEST = "shards.json"
MAX_SHARDS = 64
LAYOUT_VERSION = 1


def shard_name(number: int) -> str:
    return f"shard-{number:02d}"


def route(url: str, count: int) -> int:
    """The shard of ``url`` among ``count``."""
    return f.url_id(url) % count if count > 1 else 0


def shard_count(path: Path) -> int:
    """How many shards the index at ``path`` has; 0 when it is a single (unsharded) index or absent."""
    manifest = Path(path) / MANIFEST
    if not manifest.is_file():
        return 0
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        count = int(data["shards"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexOpenError(f"unreadable shard manifest {manifest}: {exc}") from None
    if not 1 <= count <= MAX_SHARDS:
        raise IndexOpenError(f"{manifest}: {count} shards, expected 1 to {MAX_SHARDS}")
    return count


def shard_dirs(path: Path) -> list[Path]:
    """The directories to search or write: the shards, or ``[path]`` itself when not sharded."""
    count = shard_count(path)
    if count == 0:
        return [Path(path)]
    return [Path(path) / shard_name(n) for n in range(count)]


def create(path: Path, count: int) -> list[Path]:
    """Make ``path`` an empty index of ``count`` shards (``path`` must be absent or empty)."""
    if not 1 <= count <= MAX_SHARDS:
        raise IndexOpenError(f"{count} shards: expected 1 to {MAX_SHARDS}")
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise IndexOpenError(f"{path} is not empty: shards are created in a new directory")
    path.mkdir(parents=True, exist_ok=True)
    dirs = [path / shard_name(n) for n in range(count)]
    for directory in dirs:
        f.open_index(directory)  # an empty index of our schema, so that searchers can open it
    # written last: a directory without it is not taken for a complete sharded index
    temporary = path / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps({"shards": count, "route": "uid-mod", "version": LAYOUT_VERSION}),
                         encoding="utf-8")
    temporary.replace(path / MANIFEST)
    return dirs
