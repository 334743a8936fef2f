"""Build the synthetic indexes of the scale benchmark (issue 18), sharded or not, and keep them.

``python -m bench.scale_build --docs 10000000 --shards 4 --out /tmp/scale/10m`` writes the
index with :class:`index.writer.IndexWriter` (what ``sdc index add`` and the crawler use) from
bench/corpus_pages.py's generator and records build time, size on disk and the writer's peak
memory in ``OUT/build.json``, which bench/bench_scale.py reports.  Two measures of how shards
count documents once (docs/sharding.md):

    python -m bench.scale_build --docs 100000 --shards 4 --compare-routes 3 --out /tmp/routes
    python -m bench.scale_build --docs 0 --count-cost --out /tmp/routes/same-mod
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_index import PeakMemory, dir_size
from bench.corpus_pages import load_corpus, synthetic, synthetic_classifier
from bench.relevance.evalset import load_queries
from index import schema as f
from index import shards
from index.writer import IndexWriter

BUILD_RECORD = "build.json"
#: documents between progress lines
PROGRESS_EVERY = 250_000


def build(out: Path, count: int, shard_count: int, threads: int = 2,
          routed: str = shards.ROUTE_COPY) -> dict[str, Any]:
    """Index ``count`` synthetic pages into ``out`` (``shard_count`` 0: one unsharded index); ``routed``:
    how pages go to the shards (``index.shards``; the URL route only to measure what routing costs)."""
    if out.exists():
        shutil.rmtree(out)
    if shard_count:
        shards.create(out, shard_count, routed=routed)
    corpus = load_corpus()
    load_before = os.getloadavg()[0]
    with PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        # a commit every 200,000 pages of a shard: few, large segments, as bench_index builds them
        with IndexWriter(out, synthetic_classifier(), batch_size=200_000, threads=threads,
                         heap_bytes=256_000_000 * max(1, shard_count), commit_seconds=0) as writer:
            for n, doc in enumerate(synthetic(corpus, count), 1):
                writer.add(doc)
                if n % PROGRESS_EVERY == 0:
                    rate = n / (time.perf_counter() - started)
                    print(f"  {n:,} pages, {rate:,.0f}/s, load {os.getloadavg()[0]:.1f}", flush=True)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    record = {"docs": count, "shards": shard_count, "route": routed if shard_count else "",
              "seconds": round(elapsed, 1), "cpu_seconds": round(cpu, 1),
              "bytes": dir_size(out), "peak_mb": round(memory.mb), "load_start": load_before,
              "load_end": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    (out / BUILD_RECORD).write_text(json.dumps(record), encoding="utf-8")
    return record


def compare_routes(out: Path, count: int, shard_count: int, rounds: int) -> None:
    """Build the same pages routed by copy key and by URL, ``rounds`` times in turn, and print the
    process CPU of each and the ratio of the medians (what routing by copy key costs the writer)."""
    cpu: dict[str, list[float]] = {shards.ROUTE_COPY: [], shards.ROUTE_URL: []}
    for _ in range(rounds):
        for routed, seconds in cpu.items():
            record = build(out / routed, count, shard_count, routed=routed)
            seconds.append(record["cpu_seconds"])
            print(f"  {routed}: {record['cpu_seconds']} s CPU, {record['seconds']} s, "
                  f"load {record['load_start']:.1f}-{record['load_end']:.1f}", flush=True)
    copy, url = (statistics.median(cpu[r]) for r in (shards.ROUTE_COPY, shards.ROUTE_URL))
    print(f"{count:,} pages, {shard_count} shards: CPU median {copy:.1f} s by copy key, {url:.1f} s by URL, "
          f"ratio {copy / url:.3f}")


def count_cost(path: Path, repeat: int = 2) -> None:
    """Per shard of the index at ``path``, over the agents' queries (their words in title and body):
    CPU of the distinct counts used now (cardinality of ``same``, total and per category) against
    collecting each shard's ``same`` keys per category and merging them (counting documents once
    without routing by copy key)."""
    queries = list(dict.fromkeys(q.text for q in load_queries()))
    indexes = [f.open_index(d, create=False) for d in shards.shard_dirs(path)]
    for index in indexes:
        index.reload()
    searchers = [index.searcher() for index in indexes]
    cardinality = {"cardinality": {"field": f.SAME}}
    categories = {"terms": {"field": f.CATEGORY, "size": 100}}
    now = {"n": cardinality, "categories": {**categories, "aggs": {"documents": cardinality}}}
    keys = {"categories": {**categories, "aggs": {"keys": {"terms": {"field": f.SAME, "size": 20_000}}}}}
    spent: dict[str, list[float]] = {"cardinality": [], "keys": []}
    for _ in range(repeat):  # the last round counts: the index's pages are in memory by then
        spent = {"cardinality": [], "keys": []}
        for text in queries:
            parsed = [index.parse_query_lenient(text, [f.TITLE, f.BODY])[0] for index in indexes]
            started = time.process_time()
            for searcher, query in zip(searchers, parsed, strict=True):
                searcher.aggregate(query, now)
            spent["cardinality"].append(time.process_time() - started)
            started = time.process_time()
            found: dict[str, set[int]] = {}
            for searcher, query in zip(searchers, parsed, strict=True):
                for bucket in searcher.aggregate(query, keys)["categories"]["buckets"]:
                    found.setdefault(bucket["key"], set()).update(k["key"] for k in bucket["keys"]["buckets"])
            len(set().union(*found.values()))
            spent["keys"].append(time.process_time() - started)
    for name, values in spent.items():
        values.sort()
        print(f"{name}: CPU p50 {1000 * values[len(values) // 2]:.2f} ms, p90 "
              f"{1000 * values[9 * len(values) // 10]:.2f} ms a query ({len(values)} queries)")
    ratio = statistics.median(spent["keys"]) / statistics.median(spent["cardinality"])
    print(f"keys merged / cardinality: {ratio:.2f}x at p50, load {os.getloadavg()[0]:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.scale_build")
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--shards", type=int, default=0, help="0: one unsharded index")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--route", choices=shards.ROUTES, default=shards.ROUTE_COPY,
                        help="how pages go to the shards (uid-mod: the layout before copies were routed)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare-routes", type=int, default=0, metavar="ROUNDS",
                        help="build OUT/same-mod and OUT/uid-mod in turn, ROUNDS times; print the CPU ratio")
    parser.add_argument("--count-cost", action="store_true",
                        help="no build: what counting documents once costs at query time on the index OUT")
    args = parser.parse_args(argv)
    if args.count_cost:
        count_cost(args.out)
        return 0
    if args.compare_routes:
        compare_routes(args.out, args.docs, args.shards or 4, args.compare_routes)
        return 0
    record = build(args.out, args.docs, args.shards, args.threads, args.route)
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
