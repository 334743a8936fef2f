"""What the learnt re-ranker costs a query: the same queries with it and without it, on one index.

    python -m bench.relevance.cost --index PATH [--queries N]

Runs the agents' queries (``bench/relevance/queries.tsv``, then the copied
phrases and title variants up to ``--queries``) through ``Searcher.search``
(top 10, snippets, no facets) twice, alternately: with ``rerank_depth=0`` (the
default: the baseline) and with ``index.rerank.DEPTH`` (the re-ranker on); it
prints their CPU time per query (p50, p99), the ratio, and the re-ranker's own
time (its features' search and the model's prediction), timed around
``Reranker.rerank``.
CPU time of the thread, not wall-clock: the machine is shared (say the load
average beside the figures).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from bench.relevance.evalset import load_generated, load_queries
from bench.relevance.generate import HERE
from index.features import Hits, QueryContext
from index.rerank import DEPTH, Reranker
from index.searcher import Searcher
from index.tuning import SearchTuning


def reranker_alone(searcher: Searcher, reranker: Reranker, texts: list[str]) -> list[float]:
    """CPU time of each ``reranker.rerank`` call alone, on the candidates the searches gave it."""
    seen: list[tuple[QueryContext, Hits]] = []
    reranker.sink = lambda context, hits, _rows: seen.append((context, list(hits)))
    for text in texts:
        searcher.search(text, snippets=False, facets=False)
    reranker.sink = None
    index = searcher.searcher()
    took = []
    for context, hits in seen:
        started = time.thread_time()
        reranker.rerank(index, context, hits)
        took.append(time.thread_time() - started)
    return took


def cuts(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    return f"p50 {statistics.median(ms):.2f} ms, p99 {ms[min(len(ms) - 1, int(0.99 * len(ms)))]:.2f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.relevance.cost", description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index built by sdc index add")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    texts = [q.text for q in load_queries()]
    for name in ("phrases", "titles"):
        texts += [q.text for q in load_generated(HERE / f"{name}.tsv")]
    texts = texts[: args.queries]
    on = Searcher(args.index, tuning=replace(SearchTuning(), rerank_depth=DEPTH))
    assert on.reranker is not None
    off = Searcher(args.index, tuning=replace(SearchTuning(), rerank_depth=0))
    for searcher in (on, off):  # warm: the index's pages in memory, the model's first call
        for text in texts[:50]:
            searcher.search(text, facets=False)
    took: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(args.rounds):
        for text in texts:
            for label, searcher in (("off", off), ("on", on)):
                started = time.thread_time()
                searcher.search(text, facets=False)
                took[label].append(time.thread_time() - started)
    print(f"{on.count():,} pages, {len(texts)} queries x {args.rounds}, top 10 with snippets, CPU time")
    print(f"- re-ranker off (baseline): {cuts(took['off'])}")
    print(f"- re-ranker on:             {cuts(took['on'])}")
    ratio = statistics.median(took["on"]) / statistics.median(took["off"])
    print(f"- ratio of the p50s: {ratio:.2f}")
    alone = reranker_alone(on, on.reranker, texts)
    print(f"- the re-ranker alone (features + model, best {DEPTH}): {cuts(alone)} over {len(alone)} calls")


if __name__ == "__main__":
    main()
