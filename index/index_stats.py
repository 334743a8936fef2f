"""What ``sdc index stats`` shows of an index: documents, by category, size on disk, segments."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tantivy

from index import collapse


def of_one(searcher: tantivy.Searcher, folder: Path) -> dict[str, Any]:
    """The figures of one index (or shard) in ``folder``, read through ``searcher``."""
    return {
        "documents": searcher.num_docs,
        "by_category": collapse.category_counts(searcher, tantivy.Query.all_query()),
        "size_bytes": sum(p.stat().st_size for p in folder.iterdir() if p.is_file()),
        "segments": searcher.num_segments,
    }


def summed(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The shards' figures added up, each shard's under ``shards``."""
    by_category: dict[str, int] = {}
    for part in parts:
        for key, value in part["by_category"].items():
            by_category[key] = by_category.get(key, 0) + value
    return {
        "documents": sum(p["documents"] for p in parts),
        "by_category": by_category,
        "size_bytes": sum(p["size_bytes"] for p in parts),
        "segments": sum(p["segments"] for p in parts),
        "shards": [{"shard": n, **p} for n, p in enumerate(parts)],
    }
