"""Re-rank mainstream engines' results by trust, and merge them with our own index.

Pure and typed: no HTTP (that is :mod:`ranking.providers`), no settings.  It
depends on :mod:`sources` only.
"""

from ranking.canonical import result_key
from ranking.errors import InvalidResultsError, ProviderError, RankingError
from ranking.fusion import reciprocal_rank_fusion
from ranking.models import (
    MAX_RESULTS,
    EngineResult,
    EngineResults,
    HitLike,
    Mode,
    RankedResult,
    Removed,
    Reranked,
)
from ranking.rerank import OWN_ENGINE, collapse, fuse, merge_annotated, parse_mode, rerank
from ranking.trust import Trust, TrustTable
from ranking.verticals import VERTICALS, ResultView, vertical

__all__ = [
    "MAX_RESULTS",
    "OWN_ENGINE",
    "VERTICALS",
    "EngineResult",
    "EngineResults",
    "HitLike",
    "InvalidResultsError",
    "Mode",
    "ProviderError",
    "RankedResult",
    "RankingError",
    "Removed",
    "Reranked",
    "Trust",
    "TrustTable",
    "ResultView",
    "result_key",
    "collapse",
    "fuse",
    "merge_annotated",
    "parse_mode",
    "reciprocal_rank_fusion",
    "rerank",
    "vertical",
]
