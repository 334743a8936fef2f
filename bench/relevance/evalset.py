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
    #: other pages that are as right (they hold the same copied span, or have the same title)
    also: tuple[str, ...] = ()
    #: "tuning" or "held-out" (decided before any ranking change: bench/relevance/generate.py)
    part: str = ""
    #: for a typo query, the clean query it was made from
    source: str = ""

    def right(self, url: str) -> bool:
        return url == self.expected_url or url in self.also


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
        text, url, kind = (p.strip() for p in parts)
        queries.append(EvalQuery(text, url, kind))
    return queries


def load_generated(path: Path) -> list[EvalQuery]:
    """Read a set written by ``bench/relevance/generate.py`` (six tab-separated columns)."""
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 6:
            raise ValueError(f"{path.name}:{number}: expected six tab-separated columns")
        text, url, kind, part, also, source = parts
        queries.append(EvalQuery(text, url, kind, tuple(also.split()), part, source))
    return queries


def iter_corpus(path: Path) -> Iterator[dict[str, object]]:
    """The corpus records (``documents.jsonl.gz`` or plain ``.jsonl``), one dict each."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as lines:
        for line in lines:
            if line.strip():
                yield orjson.loads(line)


Ranked = Sequence[str | Sequence[str]]


def reciprocal_rank(ranked: Ranked, expected: str | EvalQuery, k: int = 10) -> float:
    """1/rank of the first right answer in ``ranked`` (a URL, or a result's URLs: it and its copies)."""
    for position, item in enumerate(ranked[:k], start=1):
        urls = (item,) if isinstance(item, str) else item
        if any(url == expected if isinstance(expected, str) else expected.right(url) for url in urls):
            return 1.0 / position
    return 0.0


def score(runs: Mapping[EvalQuery, Ranked], k: int = 10) -> Scores:
    """MRR@k and recall@k of one engine's answers to every query."""
    if not runs:
        return Scores(0.0, 0.0, 0)
    ranks = [reciprocal_rank(ranked, q, k) for q, ranked in runs.items()]
    return Scores(sum(ranks) / len(ranks), sum(r > 0 for r in ranks) / len(ranks), len(ranks))


def score_by_kind(runs: Mapping[EvalQuery, Ranked], k: int = 10) -> dict[str, Scores]:
    kinds = sorted({q.kind for q in runs})
    return {kind: score({q: r for q, r in runs.items() if q.kind == kind}, k) for kind in kinds}
