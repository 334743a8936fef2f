"""The evaluation set and its metrics: pure functions over plain data.

Each query has exactly one URL that should come first.  A run gives, for
every query, the ranked URLs an engine returned; MRR@k averages 1/rank of
the expected URL (0 when it is not in the top k) and recall@k is the share of
queries whose expected URL is in the top k.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

QUERIES_FILE = Path(__file__).with_name("queries.tsv")
KINDS = frozenset(
    {"paraphrase", "keywords", "question", "acronym", "no-accent", "plural", "case", "reference"}
)


@dataclass(frozen=True, slots=True)
class EvalQuery:
    text: str
    expected_url: str
    kind: str


@dataclass(frozen=True, slots=True)
class Scores:
    mrr: float
    recall: float
    count: int


def load_queries(path: Path = QUERIES_FILE) -> list[EvalQuery]:
    """Read ``queries.tsv``; ``#`` lines are comments.  Raises ``ValueError`` on a malformed line."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ValueError(f"{path.name}:{number}: expected 'query<TAB>url<TAB>kind'")
        queries.append(EvalQuery(*(p.strip() for p in parts)))
    return queries


def iter_corpus(path: Path) -> Iterator[dict[str, object]]:
    """The corpus records (``documents.jsonl.gz`` or plain ``.jsonl``), one dict each."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as lines:
        for line in lines:
            if line.strip():
                yield orjson.loads(line)


def reciprocal_rank(ranked: Sequence[str], expected: str, k: int = 10) -> float:
    for position, url in enumerate(ranked[:k], start=1):
        if url == expected:
            return 1.0 / position
    return 0.0


def score(runs: Mapping[EvalQuery, Sequence[str]], k: int = 10) -> Scores:
    """MRR@k and recall@k of one engine's answers to every query."""
    if not runs:
        return Scores(0.0, 0.0, 0)
    ranks = [reciprocal_rank(ranked, q.expected_url, k) for q, ranked in runs.items()]
    return Scores(sum(ranks) / len(ranks), sum(r > 0 for r in ranks) / len(ranks), len(ranks))


def score_by_kind(runs: Mapping[EvalQuery, Sequence[str]], k: int = 10) -> dict[str, Scores]:
    kinds = sorted({q.kind for q in runs})
    return {kind: score({q: r for q, r in runs.items() if q.kind == kind}, k) for kind in kinds}
