"""Does the scale work move the ranking?  MRR@10 of the relevance sets (issue 12's, held-out parts)
with the index as one piece and as 4 shards, the selective query plan off and on (issue 18).

    python -m bench.scale_relevance --keep /tmp/relscale

The corpus (19,256 pages) is far below ``QueryPlan.min_docs`` and the plan is off by default: it is
forced on here (``conjunctive_first=True, min_docs=0``) to measure what it does to the ranking;
shards of 5,000 pages have BM25 statistics further from the whole index's than shards of
millions, so this is the hard case.
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench.bench_relevance import DEFAULT_CORPUS, SETS, build_ours, load_sets
from bench.relevance.evalset import EvalQuery, iter_corpus, score
from index.plan import QueryPlan
from index.searcher import Searcher

SHARDS = 4


def engine(searcher: Searcher) -> Callable[[str], list[object]]:
    def search(text: str) -> list[object]:
        found = searcher.search(text, limit=10, snippets=False, facets=False)
        return [(hit.url, *hit.duplicates) for hit in found.results]

    return search


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.scale_relevance")
    parser.add_argument("--keep", type=Path, default=Path("/tmp/relscale"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"skipped: no corpus at {args.corpus}")
        return
    single, sharded = args.keep / "single", args.keep / f"shards{SHARDS}"
    records = list(iter_corpus(args.corpus))
    if not (single / "meta.json").is_file():
        shutil.rmtree(single, ignore_errors=True)
        build_ours(records, single)
    if not (sharded / "shards.json").is_file():
        from index import shards

        shutil.rmtree(sharded, ignore_errors=True)
        shards.create(sharded, SHARDS)
        build_ours(records, sharded)
    forced = QueryPlan(conjunctive_first=True, min_docs=0)
    off = QueryPlan(conjunctive_first=False)
    engines = {
        "one index, plan off": engine(Searcher(single, plan=off)),
        "one index, plan on": engine(Searcher(single, plan=forced)),
        f"{SHARDS} shards, plan off": engine(Searcher(sharded, plan=off)),
        f"{SHARDS} shards, plan on": engine(Searcher(sharded, plan=forced)),
    }
    sets = load_sets(SETS)
    print(f"{len(records)} pages; MRR@10 held-out (whole set in brackets)\n")
    print("| set | " + " | ".join(engines) + " |\n|---|" + "---|" * len(engines))
    for name, queries in sets.items():
        cells = []
        for run in engines.values():
            started = time.perf_counter()
            runs: dict[EvalQuery, list[object]] = {q: run(q.text) for q in queries}
            held = {q: r for q, r in runs.items() if q.part == "held-out"}
            cells.append(f"{score(held).mrr:.3f} ({score(runs).mrr:.3f})")
            print(f"  ({name}: {time.perf_counter() - started:.0f} s)", flush=True)
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
