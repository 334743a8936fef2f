"""Build the synthetic indexes of the scale benchmark (issue 18), sharded or not, and keep them.

``python -m bench.scale_build --docs 10000000 --shards 4 --out /tmp/scale/10m`` writes the
index with :class:`index.writer.IndexWriter` (what ``sdc index add`` and the crawler use) from
bench/bench_index.py's generator and records build time, size on disk and the writer's peak
memory in ``OUT/build.json``, which bench/bench_scale.py reports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_index import PeakMemory, dir_size, load_corpus, synthetic, synthetic_classifier
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.scale_build")
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--shards", type=int, default=0, help="0: one unsharded index")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--route", choices=shards.ROUTES, default=shards.ROUTE_COPY,
                        help="how pages go to the shards (uid-mod: the layout before copies were routed)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    record = build(args.out, args.docs, args.shards, args.threads, args.route)
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
