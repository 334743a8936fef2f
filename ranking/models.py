"""The vocabulary of re-ranking: engine results in, ranked results and counts out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

#: the most results one call may re-rank (the API and the extension send up to this)
MAX_RESULTS = 500


class Mode(StrEnum):
    """What :func:`ranking.rerank` does with the engines' list.

    * ``annotate``: keep the engines' order, add trust to each result;
    * ``filter``: trusted results only, in the engines' order;
    * ``boost``: trusted results first, then the others, each group in the engines' order;
    * ``blend``: ordered by the blended score (engine position and trust category weight);
    * ``merge``: our own index's results fused with the engines' trusted results (RRF).

    Deny-listed results are removed in every mode.
    """

    ANNOTATE = "annotate"
    FILTER = "filter"
    BOOST = "boost"
    BLEND = "blend"
    MERGE = "merge"


class EngineResult(NamedTuple):
    """One result of an engine's list, as a browser or an upstream API gives it.

    ``position`` is 1-based within ``engine``'s own list.  A named tuple: it
    is built for every result of every call, and costs half a frozen dataclass.
    """

    url: str
    title: str = ""
    snippet: str = ""
    engine: str = ""
    position: int = 0


class EngineResults(list[EngineResult]):
    """An upstream's answer: its results, and the engines behind it that failed this time.

    A metasearch upstream (SearXNG) can answer with Bing's results while
    Google asked for a CAPTCHA: ``failed`` is then ``(("google", "CAPTCHA"),)``
    and the page says its list is incomplete.
    """

    def __init__(self, results: Iterable[EngineResult] = (), *,
                 failed: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(results)
        self.failed: tuple[tuple[str, str], ...] = tuple(failed)


class HitLike(Protocol):
    """What merging needs of our own index's hits (``index.searcher.Hit`` fits)."""

    @property
    def url(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def snippet(self) -> str: ...


@dataclass(slots=True)
class RankedResult:
    """An engine (or index) result with its trust, as every mode returns it."""

    url: str
    title: str
    snippet: str
    engine: str
    position: int
    canonical: str
    trusted: bool
    host: str | None
    domain: str | None
    category: str | None
    name: str | None
    #: every engine that returned this result, first one first
    engines: list[str] = field(default_factory=list)
    #: the blended or fused score, in the modes that compute one
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "title": self.title,
            "snippet": self.snippet,
            "engine": self.engine,
            "engines": self.engines,
            "position": self.position,
            "trusted": self.trusted,
            "domain": self.domain,
            "category": self.category,
            "name": self.name,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True, slots=True)
class Removed:
    """A result taken out of every mode because its host is deny-listed or unusable."""

    url: str
    engine: str
    position: int
    domain: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "engine": self.engine, "position": self.position,
                "domain": self.domain, "reason": self.reason}


@dataclass(slots=True)
class Reranked:
    """A re-ranked list with its counts.

    ``total`` counts the distinct results the engines gave (duplicates across
    engines collapsed, deny-listed ones included), ``trusted_count`` those from
    trusted sources: "``trusted_count`` sources de confiance parmi les ``total``
    premiers résultats".
    """

    mode: Mode
    results: list[RankedResult]
    total: int
    trusted_count: int
    by_category: dict[str, int]
    removed: list[Removed]
    duplicates: int
    #: each engine's trusted keys in its own order (what :func:`ranking.rerank.fuse` ranks), so
    #: that one collapse of the engines' results serves both the annotated and the merged list
    by_engine: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode.value,
            "results": [r.to_dict() for r in self.results],
            "total": self.total,
            "trusted_count": self.trusted_count,
            "by_category": self.by_category,
            "removed": [r.to_dict() for r in self.removed],
            "duplicates": self.duplicates,
        }
