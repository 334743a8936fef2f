from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ranking import reciprocal_rank_fusion

rankings = st.lists(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8), max_size=5)


@given(rankings)
def test_scores_are_the_sum_of_votes(lists: list[list[str]]) -> None:
    scores = reciprocal_rank_fusion(lists, k=60)
    assert set(scores) == {item for ranking in lists for item in ranking}
    total = sum(1 / (60 + rank) for ranking in lists for rank in range(1, len(ranking) + 1))
    assert sum(scores.values()) == pytest.approx(total)


@given(rankings)
def test_first_everywhere_wins_and_order_of_lists_does_not_matter(lists: list[list[str]]) -> None:
    scores = reciprocal_rank_fusion(lists)
    assert reciprocal_rank_fusion(list(reversed(lists))) == pytest.approx(scores)
    firsts = {ranking[0] for ranking in lists if ranking}
    if len(firsts) == 1 and all(lists):
        (winner,) = firsts
        assert scores[winner] == max(scores.values())


def test_weights_and_k() -> None:
    assert reciprocal_rank_fusion([["a"], ["b"]], weights=[2.0, 1.0]) == {"a": 2 / 61, "b": 1 / 61}
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], k=0)


def test_ranking_core_is_pure() -> None:
    """``import ranking`` pulls no HTTP, web framework, settings nor index (docs/architecture.md)."""
    code = ("import sys, sources; before = set(sys.modules); import ranking; "
            "new = set(sys.modules) - before; print(sorted(m for m in new if m.split('.')[0] in "
            "('httpx', 'fastapi', 'starlette', 'sdc', 'index', 'tantivy', 'service')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
