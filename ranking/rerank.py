"""Re-rank the engines' results by trust: the pure core of the package.

>>> from sources import Classifier
>>> table = TrustTable(Classifier())
>>> ranked = rerank([EngineResult("https://shop.example.com/", engine="g", position=1),
...                  EngineResult("https://www.impots.gouv.fr/", engine="g", position=2)],
...                 table, Mode.BOOST)
>>> [r.url for r in ranked.results], ranked.trusted_count, ranked.total
(['https://www.impots.gouv.fr/', 'https://shop.example.com/'], 1, 2)

Results arrive in the order the caller gives (one engine's list, or several
concatenated); a result whose canonical URL was already seen (another engine,
or ``http`` vs ``https``) is collapsed into the first one, which records every
engine that returned it.  See :class:`ranking.models.Mode` for the modes and
:mod:`ranking.weights` for the blended score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from ranking.errors import InvalidResultsError
from ranking.fusion import K, reciprocal_rank_fusion
from ranking.models import MAX_RESULTS, EngineResult, HitLike, Mode, RankedResult, Removed, Reranked
from ranking.trust import TrustTable
from ranking.weights import TRUST_WEIGHT, blended_score

#: the engine name given to our own index's results in merged lists
OWN_ENGINE = "sdc"


def parse_mode(value: str) -> Mode:
    try:
        return Mode(value.strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in Mode)
        raise InvalidResultsError(f"unknown mode {value!r} (known: {known})") from None


def rerank(results: Sequence[EngineResult], table: TrustTable, mode: Mode = Mode.ANNOTATE, *,
           own: Sequence[HitLike] = (), k: int = K, trust_weight: float = TRUST_WEIGHT) -> Reranked:
    """Re-rank ``results`` in ``mode``; ``own`` (our index's hits) is used by ``merge`` only."""
    if len(results) > MAX_RESULTS:
        raise InvalidResultsError(f"{len(results)} results given, at most {MAX_RESULTS} a call")
    kept, removed, duplicates, by_engine = collapse(results, table)
    trusted = [r for r in kept if r.trusted]
    counts = Counter(r.category for r in trusted)
    by_category = {c or "?": n for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))}
    if mode is Mode.ANNOTATE:
        ordered = kept
    elif mode is Mode.FILTER:
        ordered = trusted
    elif mode is Mode.BOOST:
        ordered = trusted + [r for r in kept if not r.trusted]
    elif mode is Mode.BLEND:
        for r in kept:
            r.score = blended_score(r.position, r.category, r.trusted, trust_weight)
        ordered = sorted(kept, key=_by_score)
    else:
        ordered = fuse(own, trusted, by_engine, table, k=k)
    return Reranked(mode, ordered, len(kept) + len(removed), len(trusted), by_category, removed,
                    duplicates, by_engine)


def merge_annotated(annotated: Reranked, own: Sequence[HitLike], table: TrustTable, *,
                    k: int = K) -> list[RankedResult]:
    """What ``rerank(results, table, Mode.MERGE, own=own).results`` gives, from the
    ``Mode.ANNOTATE`` re-ranking of the same results: the engines' results are collapsed once.

    The scores of ``annotated``'s trusted results are set by the fusion.
    """
    trusted = [r for r in annotated.results if r.trusted]
    return fuse(own, trusted, annotated.by_engine, table, k=k)


def _by_score(result: RankedResult) -> float:
    return -result.score


def collapse(results: Iterable[EngineResult], table: TrustTable
             ) -> tuple[list[RankedResult], list[Removed], int, dict[str, list[str]]]:
    """Annotate, deduplicate and screen ``results``.

    Returns the kept results in input order, the removed ones, the number of
    duplicates collapsed, and each engine's trusted canonical URLs in its order
    (what :func:`fuse` ranks).
    """
    lookup = table.lookup
    seen: dict[str, RankedResult | None] = {}
    kept: list[RankedResult] = []
    removed: list[Removed] = []
    by_engine: dict[str, list[str]] = {}
    duplicates = 0
    for result in results:
        trust = lookup(result.url)
        key = trust.canonical
        engine = result.engine
        if key in seen:
            duplicates += 1
            previous = seen[key]
            if previous is not None and engine not in previous.engines:
                previous.engines.append(engine)
                if previous.trusted:
                    by_engine.setdefault(engine, []).append(key)
            continue
        verdict = trust.verdict
        if trust.removal is not None:
            seen[key] = None
            removed.append(Removed(result.url, engine, result.position, verdict.domain, trust.removal))
            continue
        ranked = RankedResult(result.url, result.title, result.snippet, engine, result.position, key,
                              verdict.trusted, trust.host, verdict.domain, trust.category,
                              verdict.name, [engine])
        seen[key] = ranked
        kept.append(ranked)
        if verdict.trusted:
            by_engine.setdefault(engine, []).append(key)
    return kept, removed, duplicates, by_engine


def fuse(own: Sequence[HitLike], trusted: Sequence[RankedResult], by_engine: dict[str, list[str]],
         table: TrustTable, *, k: int = K) -> list[RankedResult]:
    """Our index's trusted hits and the engines' trusted results, fused by RRF.

    Our index is one list and each engine another, so a page that our index
    and two engines agree on rises above any single list's first place.  Our
    hits are screened by the same table (a source removed from the registry
    since it was indexed does not come back through the merge).
    """
    own_ranked = [r for r in collapse(
        (EngineResult(h.url, h.title, h.snippet, OWN_ENGINE, i) for i, h in enumerate(own, 1)), table
    )[0] if r.trusted]
    pool: dict[str, RankedResult] = {r.canonical: r for r in own_ranked}
    for r in trusted:
        mine = pool.get(r.canonical)
        if mine is None:
            pool[r.canonical] = r
        else:
            mine.engines.extend(e for e in r.engines if e not in mine.engines)
    scores = reciprocal_rank_fusion([[r.canonical for r in own_ranked], *by_engine.values()], k=k)
    for key, score in scores.items():
        pool[key].score = score
    return sorted(pool.values(), key=_by_score)
