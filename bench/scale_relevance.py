"""Does sharding move the ranking?  MRR@10 of the relevance sets (issue 12's, held-out parts) with the
index as one piece, as 2 and as 4 shards (each ranking with its own BM25 statistics), and how much of
the one index's top 10 the shards keep (issue 18).

    python -m bench.scale_relevance --keep /tmp/relscale [--plan] [--common-min-docs 4000]
    python -m bench.scale_relevance --overlap /tmp/scale/400k-single /tmp/scale/400k-4   # any size

The baseline (one index) runs in the same process on the same pages.  "kept@10" is the share of the
one index's top 10 results (a result and the copies under it) that the shards' top 10 also shows,
over the held-out queries: 1.0 when the shards rank as the whole index does.  ``--plan`` adds the
selective query plan (``index.plan``, off by default), forced on (``conjunctive_first=True,
min_docs=0``): the corpus is far below ``QueryPlan.min_docs``.  The corpus (19,256 pages) gives
shards of 4,800-9,600 pages, whose BM25 statistics are further from the whole index's than shards
of millions: this is the hard case.  Such shards are also below ``SearchTuning.common_word_min_docs``
(10,000 pages), where very common words stop being searched alone, so part of what moves is that
rule, not BM25; ``--common-min-docs 4000`` applies the rule in the shards too.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from bench.bench_relevance import DEFAULT_CORPUS, SETS, build_ours, load_sets
from bench.relevance.evalset import EvalQuery, iter_corpus, score
from index import shards
from index.plan import QueryPlan
from index.searcher import Searcher
from index.tuning import SearchTuning

LAYOUTS = (0, 2, 4)  # 0: one index
Engine = Callable[[str], list[tuple[str, ...]]]


def engine(searcher: Searcher) -> Engine:
    def search(text: str) -> list[tuple[str, ...]]:
        found = searcher.search(text, limit=10, snippets=False, facets=False)
        return [(hit.url, *hit.duplicates) for hit in found.results]

    return search


def kept(baseline: Sequence[tuple[str, ...]], other: Sequence[tuple[str, ...]]) -> float:
    """Share of ``baseline``'s results (each with its copies) that ``other`` shows too (1.0 if none)."""
    if not baseline:
        return 1.0
    shown = {url for result in other for url in result}
    return sum(bool(shown.intersection(result)) for result in baseline) / len(baseline)


def overlap(single: Path, sharded: Path) -> None:
    """The agents' queries (the hand-written set's texts) on two indexes of the same pages, e.g.
    bench.scale_build's synthetic ones: kept@10; the score the shards give a page of both top 10s over
    the one index's (how comparable their BM25 scores are); and the one index's scores of the shards'
    top 10 over those of its own top 10 (1.0: the shards chose pages as good by the whole index's
    measure, whichever of near-equal pages they are)."""
    texts = list(dict.fromkeys(q.text for q in load_sets(("hand",))["hand"]))
    one, many = Searcher(single), Searcher(sharded)
    shares, ratios, worth = [], [], []
    for text in texts:
        mine = one.search(text, limit=100, snippets=False, facets=False).results
        theirs = many.search(text, limit=10, snippets=False, facets=False).results
        shares.append(kept([(h.url, *h.duplicates) for h in mine[:10]],
                           [(h.url, *h.duplicates) for h in theirs]))
        scores = {url: h.score for h in mine for url in (h.url, *h.duplicates)}
        ratios += [h.score / scores[h.url] for h in theirs
                   if h.url in scores and scores[h.url] > 0 and h.url in {m.url for m in mine[:10]}]
        best = sum(h.score for h in mine[:10])
        if best > 0:
            floor = mine[-1].score if len(mine) == 100 else 0.0  # beyond the 100th: at most its score
            worth.append(sum(scores.get(h.url, floor) for h in theirs) / best)
    ratios.sort()
    print(f"{sharded} against {single}: {len(texts)} queries; kept@10 {sum(shares) / len(shares):.3f}; "
          f"shard score / one index's score of a page in both top 10s: p10 {ratios[len(ratios) // 10]:.3f}, "
          f"p50 {ratios[len(ratios) // 2]:.3f}, p90 {ratios[9 * len(ratios) // 10]:.3f}; one index's "
          f"score of the shards' top 10 / of its own: {sum(worth) / len(worth):.3f}")


def built(root: Path, records: list[dict[str, object]], count: int) -> Path:
    """The corpus index with ``count`` shards (0: one index) under ``root``, built once."""
    path = root / (f"shards{count}" if count else "single")
    marker = path / (shards.MANIFEST if count else "meta.json")
    if not marker.is_file() or (count and shards.route_of(path) != shards.ROUTE_COPY):
        shutil.rmtree(path, ignore_errors=True)
        if count:
            shards.create(path, count)
        build_ours(records, path)
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.scale_relevance")
    parser.add_argument("--keep", type=Path, default=Path("/tmp/relscale"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--plan", action="store_true", help="also with the selective plan forced on")
    parser.add_argument("--common-min-docs", type=int, default=None,
                        help="SearchTuning.common_word_min_docs for every engine (below the shards' size: "
                             "the shards search very common words as the whole index does)")
    parser.add_argument("--overlap", nargs=2, type=Path, metavar=("SINGLE", "SHARDED"),
                        help="only kept@10 of the agents' queries between two indexes of the same pages")
    args = parser.parse_args(argv)
    if args.overlap:
        overlap(*args.overlap)
        return
    tuning = SearchTuning()
    if args.common_min_docs is not None:
        tuning = replace(tuning, common_word_min_docs=args.common_min_docs)
    if not args.corpus.is_file():
        print(f"skipped: no corpus at {args.corpus}")
        return
    records = list(iter_corpus(args.corpus))
    plans = {"": QueryPlan(conjunctive_first=False)}
    if args.plan:
        plans[", plan on"] = QueryPlan(conjunctive_first=True, min_docs=0)
    engines: dict[str, Engine] = {}
    for count in LAYOUTS:
        path = built(args.keep, records, count)
        label = f"{count} shards" if count else "one index"
        for suffix, plan in plans.items():
            engines[label + suffix] = engine(Searcher(path, plan=plan, tuning=tuning))
    baseline = "one index"
    sets = load_sets(SETS)
    print(f"{len(records)} pages; MRR@10 held-out (whole set), kept@10 of the one index's top 10 "
          f"(held-out)\n", flush=True)
    print("| set | " + " | ".join(engines) + " |\n|---|" + "---|" * len(engines))
    for name, queries in sets.items():
        answers: dict[str, dict[EvalQuery, list[tuple[str, ...]]]] = {}
        for label, run in engines.items():
            started = time.perf_counter()
            answers[label] = {q: run(q.text) for q in queries}
            print(f"  ({name}, {label}: {time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        held = [q for q in queries if q.part == "held-out"]
        cells = []
        for label, runs in answers.items():
            cell = f"{score({q: runs[q] for q in held}).mrr:.3f} ({score(runs).mrr:.3f})"
            if label != baseline:
                share = sum(kept(answers[baseline][q], runs[q]) for q in held) / max(1, len(held))
                cell += f", kept {share:.3f}"
            cells.append(cell)
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
