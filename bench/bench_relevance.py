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

from bench.relevance.baselines import EnglishTantivy, Fts5
from bench.relevance.evalset import (
    QUERIES_FILE,
    EvalQuery,
    Scores,
    iter_corpus,
    load_queries,
    score,
    score_by_kind,
)

SHARED = Path(os.environ.get("SDC_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))
DEFAULT_CORPUS = SHARED / "corpus" / "documents.jsonl.gz"
SITES = ("www.service-public.fr", "travail-emploi.gouv.fr", "www.legifrance.gouv.fr")
Engine = Callable[[str], list[str]]
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

    searcher = Searcher(path, tuning=replace(SearchTuning(), **changes))

    def search(text: str) -> list[str]:
        found = searcher.search(text, limit=10, snippets=False, facets=False)
        return [hit.url for hit in found.results]

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


def run(engine: Engine, queries: Sequence[EvalQuery]) -> tuple[dict[EvalQuery, list[str]], float]:
    """Every query's top 10, and the median latency in milliseconds."""
    runs: dict[EvalQuery, list[str]] = {}
    took: list[float] = []
    for query in queries:
        started = time.perf_counter()
        runs[query] = engine(query.text)
        took.append((time.perf_counter() - started) * 1000)
    return runs, statistics.median(took)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_relevance", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE)
    parser.add_argument("--misses", action="store_true", help="list the queries ours does not rank first")
    parser.add_argument("--quick", action="store_true", help="accepted for `python -m bench --quick`")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if not args.corpus.is_file():
        print(f"skipped: no corpus at {args.corpus}")
        return
    queries = load_queries(args.queries)
    records = list(iter_corpus(args.corpus))
    from index.tuning import SearchTuning

    boosts = SearchTuning().field_boosts
    print(f"{len(queries)} queries, {len(records)} documents; ranks counted in the top 10")
    with tempfile.TemporaryDirectory(prefix="bench-relevance-") as tmp:
        root = Path(tmp)
        builds: dict[str, float] = {}
        started = time.perf_counter()
        build_ours(records, root / "ours")
        builds["ours"] = time.perf_counter() - started
        english = EnglishTantivy(root / "english", boosts)
        started = time.perf_counter()
        english.build(records)
        builds["english"] = time.perf_counter() - started
        fts = Fts5(root / "fts5.db", boosts)
        started = time.perf_counter()
        fts.build(records)
        builds["fts5"] = time.perf_counter() - started

        engines: dict[str, tuple[Engine, str]] = {
            "ours (defaults)": (ours(root / "ours"), "ours"),
            "baseline: tantivy en_stem": (english.search, "english"),
            "baseline: SQLite FTS5 unicode61": (fts.search, "fts5"),
        }
        for name, changes in tuning_variants().items():
            engines[name] = (ours(root / "ours", **changes), "ours")
        results: dict[str, tuple[Scores, float, dict[EvalQuery, list[str]]]] = {}
        for name, (engine, _) in engines.items():
            runs, p50 = run(engine, queries)
            results[name] = (score(runs), p50, runs)
        fts.close()

    print("\n| engine | MRR@10 | recall@10 | query p50 (ms) | index build (s) |\n|---|---|---|---|---|")
    for name, (scores, p50, _) in results.items():
        build = builds[engines[name][1]]
        print(f"| {name} | {scores.mrr:.3f} | {scores.recall:.3f} | {p50:.2f} | {build:.1f} |")
    best = max(results["baseline: tantivy en_stem"][0].mrr, results["baseline: SQLite FTS5 unicode61"][0].mrr)
    print(f"\nours / best baseline (MRR@10): {results['ours (defaults)'][0].mrr / best:.2f}x")
    defaults = results["ours (defaults)"][2]
    halves = [score({q: defaults[q] for q in queries[start::2]}).mrr for start in (0, 1)]
    print(f"ours (defaults), MRR@10 on the half used for tuning (even lines): {halves[0]:.3f}, "
          f"on the held-out half (odd lines): {halves[1]:.3f}")
    _print_by_site(results, ["ours (defaults)", "ours: first defaults (boosts 3/1.5, proximity 2)",
                             "baseline: tantivy en_stem", "baseline: SQLite FTS5 unicode61",
                             "ours: legal-reference handling off"])
    _print_by_kind(results, ["ours (defaults)", "ours: synonyms off", "baseline: tantivy en_stem",
                             "baseline: SQLite FTS5 unicode61"])
    if args.misses:
        _print_misses(results["ours (defaults)"][2])


def _print_by_kind(results: dict[str, tuple[Scores, float, dict[EvalQuery, list[str]]]],
                   names: Sequence[str]) -> None:
    tables = {name: score_by_kind(results[name][2]) for name in names}
    kinds = sorted(next(iter(tables.values())))
    print("\nMRR@10 by kind of query\n\n| kind | queries | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for kind in kinds:
        cells = " | ".join(f"{tables[name][kind].mrr:.3f}" for name in names)
        print(f"| {kind} | {tables[names[0]][kind].count} | {cells} |")


def _print_by_site(results: dict[str, tuple[Scores, float, dict[EvalQuery, list[str]]]],
                   names: Sequence[str]) -> None:
    print("\nMRR@10 by site of the expected page\n\n| site | queries | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for site in SITES:
        runs = {name: {q: r for q, r in results[name][2].items() if q.expected_url.split("/")[2] == site}
                for name in names}
        cells = " | ".join(f"{score(runs[name]).mrr:.3f}" for name in names)
        print(f"| {site} | {len(runs[names[0]])} | {cells} |")


def _print_misses(runs: dict[EvalQuery, list[str]]) -> None:
    print("\nQueries whose expected page is not first (ours, defaults):")
    for query, ranked in runs.items():
        if not ranked or ranked[0] != query.expected_url:
            rank = ranked.index(query.expected_url) + 1 if query.expected_url in ranked else "-"
            first = ranked[0] if ranked else None
            print(f"  [{rank}] {query.text!r} -> {query.expected_url}  (first: {first})")


if __name__ == "__main__":
    main()
