"""What a search returns: plain dataclasses, ready for JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(slots=True)
class Hit:
    """One result. ``snippet`` is HTML-escaped text with ``<mark>`` around matched terms."""

    url: str
    title: str
    snippet: str
    domain: str
    category: str
    name: str
    score: float
    published: date | None
    host: str
    #: the other addresses of the same document (copies collapsed under this result)
    duplicates: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["published"] = self.published.isoformat() if self.published else None
        return out


@dataclass(slots=True)
class SearchResults:
    """One page of results; ``facets`` counts the whole result set by category.

    The facet counts ignore the query's own category filter (multi-select
    faceting), so a page of tabs can show every tab's count at once.
    """

    query: str
    total: int
    took_ms: float
    page: int
    limit: int
    results: list[Hit] = field(default_factory=list)
    facets: dict[str, int] = field(default_factory=dict)
    #: the query with its unknown words corrected, when they were ("Résultats pour ...")
    corrected_query: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": self.took_ms,
            "page": self.page,
            "limit": self.limit,
            "results": [hit.to_dict() for hit in self.results],
            "facets": dict(self.facets),
            "corrected_query": self.corrected_query,
        }


@dataclass(slots=True)
class Ranked:
    """A page of results before its snippets (what a shard answers before the shards are merged)."""

    results: SearchResults
    #: the stored document of each hit, in the same order (tantivy documents)
    docs: list[Any]
    #: fills in the snippets of the hits at these positions of ``results.results``
    add_snippets: Callable[[Sequence[int]], None]
    #: ``time.perf_counter()`` when the search began
    started: float
