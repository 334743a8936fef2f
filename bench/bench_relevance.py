"""Relevance of the search index (issue 3): MRR@10 and recall@10 on the hand-written query set.

Builds three indexes of ``documents.jsonl.gz`` in a temporary directory (ours
through :class:`index.writer.IndexWriter`, tantivy with its English stemmer,
SQLite FTS5 with unicode61), runs every query of ``bench/relevance/queries.tsv``
on each, and prints one table.  Our index is also run with each tuning knob
switched off in turn (same index, other :class:`SearchTuning`), which shows
what every change bought.  About a minute on 2 cores.

    python -m bench relevance                 # the tables
    python -m bench.bench_relevance --misses  # plus every query ours misses
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from bench.relevance.baselines import EnglishTantivy, Fts5, PlainBM25
from bench.relevance.evalset import (
    QUERIES_FILE,
    EvalQuery,
    Ranked,
    iter_corpus,
    load_generated,
    reciprocal_rank,
    score,
)

SHARED = Path(os.environ.get("SDC_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))
DEFAULT_CORPUS = SHARED / "corpus" / "documents.jsonl.gz"
SITES = ("www.service-public.fr", "travail-emploi.gouv.fr", "www.legifrance.gouv.fr")
Engine = Callable[[str], Ranked]
#: the agent names the law: "code du travail", "article", or an article number like L3121-27


def build_ours(records: Sequence[dict[str, object]], path: Path) -> None:
    from index.jsonl import to_document
    from index.writer import IndexWriter
    from sources import Category, Classifier, Entry

    # the three hosts as the real registry lists them (Etalab lists, no source name)
    classifier = Classifier(entries=[Entry(host, Category.ETAT, None, "bench", "bench") for host in SITES])
    with IndexWriter(path, classifier, batch_size=20_000, commit_seconds=0) as writer:
        for record in records:
            writer.add(to_document(dict(record)))
        refused = writer.counts["refused"]
    if refused:
        raise SystemExit(f"{refused} corpus documents refused as untrusted")


def ours(path: Path, **changes: object) -> Engine:
    from index.searcher import Searcher
    from index.tuning import SearchTuning

    # knobs by name (--tuning, tuning_variants): replace() refuses an unknown one when it runs
    searcher = Searcher(path, tuning=replace(SearchTuning(), **changes))  # type: ignore[arg-type]

    def search(text: str) -> list[tuple[str, ...]]:
        found = searcher.search(text, limit=10, snippets=False, facets=False)
        # a result stands for its page and the copies of it collapsed under it
        return [(hit.url, *hit.duplicates) for hit in found.results]

    return search


def tuning_variants() -> dict[str, dict[str, object]]:
    """Our index with one knob changed from the defaults: the ablations reported in docs/relevance.md."""
    from index.tuning import SearchTuning

    boosts = SearchTuning().field_boosts
    flat = {name: 1.0 for name in boosts}
    return {
        "ours: synonyms off": {"synonym_weight": 0.0},
        "ours: legal-reference handling off": {"legal_boost": 1.0, "article_boost": 0.0},
        "ours: proximity off": {"proximity_boost": 0.0},
        "ours: proximity 1": {"proximity_boost": 1.0},
        "ours: proximity 2 (first defaults)": {"proximity_boost": 2.0},
        "ours: synonym weight 0.3": {"synonym_weight": 0.3},
        "ours: synonym weight 1": {"synonym_weight": 1.0},
        "ours: boosts title 3, headings/description 1.5 (first defaults)": {
            "field_boosts": {**boosts, "title": 3.0, "headings": 1.5, "description": 1.5}
        },
        "ours: first defaults (boosts 3/1.5, proximity 2)": {
            "field_boosts": {**boosts, "title": 3.0, "headings": 1.5, "description": 1.5},
            "proximity_boost": 2.0,
        },
        "ours: all field boosts 1": {"field_boosts": flat},
        "ours: tie breaker 0 (best field only)": {"tie_breaker": 0.0},
        "ours: tie breaker 1 (sum of fields)": {"tie_breaker": 1.0},
        "ours: half the words required": {"minimum_should_match": 0.5},
        "ours: no synonyms, no proximity, flat boosts": {
            "synonym_weight": 0.0, "proximity_boost": 0.0, "field_boosts": flat
        },
    }


def run(engine: Engine, queries: Sequence[EvalQuery]) -> tuple[dict[EvalQuery, Ranked], float]:
    """Every query's top 10, and the median latency in milliseconds."""
    runs: dict[EvalQuery, Ranked] = {}
    took: list[float] = []
    for query in queries:
        started = time.perf_counter()
        runs[query] = engine(query.text)
        took.append((time.perf_counter() - started) * 1000)
    return runs, statistics.median(took)


def duplicates_in_top(runs: dict[EvalQuery, Ranked], same: dict[str, str]) -> int:
    """How many top-10 lists show one document twice (same title and body under two URLs)."""
    count = 0
    for ranked in runs.values():
        keys = [same.get(item if isinstance(item, str) else item[0], "") for item in ranked]
        keys = [k for k in keys if k]
        count += len(keys) != len(set(keys))
    return count


SETS = ("hand", "phrases", "titles", "typos")


def load_sets(names: Sequence[str] = SETS, queries: Path = QUERIES_FILE) -> dict[str, list[EvalQuery]]:
    """The hand-written set (even lines tuning, odd lines held out) and the generated ones."""
    from bench.relevance.generate import HERE, hand_written

    sets = {"hand": hand_written(queries)} if "hand" in names else {}
    for name in names:
        if name != "hand":
            sets[name] = load_generated(HERE / f"{name}.tsv")
    return sets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_relevance", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE, help="the hand-written set")
    parser.add_argument("--sets", default=",".join(SETS), help="which sets, comma-separated")
    parser.add_argument("--misses", default=None, help="list the queries of this set ours misses")
    parser.add_argument("--quick", action="store_true", help="accepted for `python -m bench --quick`")
    parser.add_argument("--keep", type=Path, default=None, help="build the indexes here and reuse them")
    parser.add_argument("--ours-only", action="store_true", help="no baselines (tuning runs)")
    parser.add_argument("--variants", action="store_true", help="also the one-knob variants of ours")
    parser.add_argument("--tuning", default="", help="changes to SearchTuning, as a Python dict literal")
    parser.add_argument("--no-generate", action="store_true", help="use the sets as they are on disk")
    parser.add_argument("--tuning-only", action="store_true",
                        help="run the tuning parts alone (while tuning: the held-out parts are not seen)")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if not args.corpus.is_file():
        print(f"skipped: no corpus at {args.corpus}")
        return
    names = [n for n in args.sets.split(",") if n in SETS]
    if not args.no_generate and set(names) - {"hand"}:
        from bench.relevance.generate import generate, write

        write(generate(args.corpus))  # seeded: the same files every time, rebuilt from the corpus
    sets = load_sets(names, args.queries)
    if args.tuning_only:
        sets = {name: [q for q in queries if q.part == "tuning"] for name, queries in sets.items()}
    records = list(iter_corpus(args.corpus))
    same = {str(r["url"]): " ".join(f"{r.get('title')} {r.get('body')}".split()) for r in records}
    print(f"{len(records)} documents; " + ", ".join(f"{n}: {len(q)} queries" for n, q in sets.items())
          + "; ranks counted in the top 10")
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-relevance-"))
    try:
        _run_all(args, records, sets, same, root)
    finally:
        if args.keep is None:
            import shutil

            shutil.rmtree(root, ignore_errors=True)


def _run_all(args: argparse.Namespace, records: list[dict[str, object]], sets: dict[str, list[EvalQuery]],
             same: dict[str, str], root: Path) -> None:
    import ast

    from index.rerank import DEPTH
    from index.tuning import SearchTuning

    boosts = SearchTuning().field_boosts
    if not (root / "ours" / "meta.json").is_file():
        build_ours(records, root / "ours")
    changes = ast.literal_eval(args.tuning) if args.tuning else {}
    engines: dict[str, Engine] = {"ours": ours(root / "ours", **changes)}
    # the learnt re-ranker (index.rerank, off by default): what it changes, on the same index
    engines["ours + learnt re-ranker"] = ours(root / "ours", **{"rerank_depth": DEPTH, **changes})
    if not args.ours_only:
        engines["plain BM25 (French analysis)"] = PlainBM25(root / "ours").search
        fresh = not (root / "english" / "meta.json").is_file()
        english = EnglishTantivy(root / "english", boosts)
        if fresh:
            english.build(records)
        engines["tantivy en_stem"] = english.search
        fresh = not (root / "fts5.db").is_file()
        fts = Fts5(root / "fts5.db", boosts)
        if fresh:
            fts.build(records)
        engines["SQLite FTS5"] = fts.search
    if args.variants:
        for name, variant in tuning_variants().items():
            engines[name] = ours(root / "ours", **{**changes, **variant})
    results: dict[str, dict[str, dict[EvalQuery, Ranked]]] = {}
    p50s: dict[str, float] = {}
    for name, engine in engines.items():
        results[name] = {}
        took = []
        for set_name, queries in sets.items():
            runs, p50 = run(engine, queries)
            results[name][set_name] = runs
            took.append(p50)
        p50s[name] = statistics.median(took)
    _report(results, sets, same, p50s)
    if args.misses:
        _print_misses(results["ours"][args.misses])


def _report(results: dict[str, dict[str, dict[EvalQuery, Ranked]]], sets: dict[str, list[EvalQuery]],
            same: dict[str, str], p50s: dict[str, float]) -> None:
    names = list(results)
    print("\nMRR@10 (recall@10) by set and part\n")
    print("| set | part | queries | " + " | ".join(names) + " |\n|---|---|---|" + "---|" * len(names))
    for set_name, queries in sets.items():
        for part in ("all", "tuning", "held-out"):
            chosen = [q for q in queries if part == "all" or q.part == part]
            cells = []
            for name in names:
                scores = score({q: results[name][set_name][q] for q in chosen})
                cells.append(f"{scores.mrr:.3f} ({scores.recall:.3f})")
            print(f"| {set_name} | {part} | {len(chosen)} | " + " | ".join(cells) + " |")
    print("\nMRR@10 by kind, held-out part (whole set in brackets)\n")
    print("| set | kind | queries | " + " | ".join(names) + " |\n|---|---|---|" + "---|" * len(names))
    for set_name, queries in sets.items():
        for kind in sorted({q.kind for q in queries}):
            chosen = [q for q in queries if q.kind == kind]
            held = [q for q in chosen if q.part == "held-out"]
            cells = [f"{score({q: results[n][set_name][q] for q in held}).mrr:.3f} "
                     f"({score({q: results[n][set_name][q] for q in chosen}).mrr:.3f})" for n in names]
            print(f"| {set_name} | {kind} | {len(held)}/{len(chosen)} | " + " | ".join(cells) + " |")
    if "typos" in sets:
        print("\nTypos: MRR@10 with one typo / MRR@10 of the same queries without it (held-out, whole)\n")
        print("| source set | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
        for source in sorted({q.kind for q in sets["typos"]}):
            cells = []
            for name in names:
                ratios = []
                for part in ("held-out", "all"):
                    typo = [q for q in sets["typos"] if q.kind == source and part in ("all", q.part)]
                    clean_runs = {q.text: r for s in results[name].values() for q, r in s.items()
                                  if s is not results[name]["typos"]}
                    clean = {q: clean_runs[q.source] for q in typo if q.source in clean_runs}
                    mrr_clean = score(clean).mrr
                    mrr_typo = score({q: results[name]["typos"][q] for q in typo}).mrr
                    ratios.append(mrr_typo / mrr_clean if mrr_clean else 0.0)
                cells.append(f"{ratios[0]:.3f} ({ratios[1]:.3f})")
            print(f"| {source} | " + " | ".join(cells) + " |")
    print("\nTop-10 lists showing one document twice (all sets), median query ms\n")
    for name in names:
        dup = sum(duplicates_in_top(runs, same) for runs in results[name].values())
        print(f"- {name}: {dup} lists with a duplicate; p50 {p50s[name]:.2f} ms")


def _print_misses(runs: dict[EvalQuery, Ranked]) -> None:
    print("\nQueries whose expected page is not first (ours):")
    for query, ranked in runs.items():
        if reciprocal_rank(ranked, query) < 1:
            rr = reciprocal_rank(ranked, query)
            first = ranked[0][0] if ranked else None
            print(f"  [{round(1 / rr) if rr else '-'}] {query.part} {query.text!r} -> {query.expected_url}"
                  f"  (first: {first})")


if __name__ == "__main__":
    main()
