"""Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009).

Each list votes for its items with ``weight / (k + rank)`` (rank from 1); an
item's score is the sum of its votes.  ``k = 60`` is the paper's value: it
keeps one list's first place from outweighing agreement between lists, and
needs no score calibration between our BM25 and the engines' opaque orders.

>>> fused = reciprocal_rank_fusion([["a", "b"], ["b", "c"]])
>>> sorted(fused, key=fused.get, reverse=True)
['b', 'a', 'c']
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = 60

T = TypeVar("T", bound=Hashable)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[T]], *, k: int = K,
                           weights: Sequence[float] | None = None) -> dict[T, float]:
    """Fused scores of every item of ``rankings``, in order of first appearance."""
    if k < 1:
        raise ValueError("k must be at least 1")
    scores: dict[T, float] = {}
    for index, ranking in enumerate(rankings):
        weight = 1.0 if weights is None else weights[index]
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores
