"""Ten million pages on one machine (issue 18): query latency as the index grows, sharded.

The indexes are built once by ``python -m bench.scale_build`` (bench/corpus_pages.py's synthetic
pages: real French paragraphs recombined) and kept; this benchmark reuses them::

    python -m bench.bench_scale --root /tmp/scale            # every index found under ROOT
    python -m bench.bench_scale --sizes '' --index /tmp/rel/ours --phrases 0   # the corpus's index

For each index (``1m-single``: 1,000,000 pages unsharded; ``1m``, ``3m``: 2 shards; ``10m``: 4
shards) it prints the build record (time, size on disk, writer's peak memory), the searching
process's RSS, and the agents' queries' (bench/relevance/queries.tsv, 1-4 words) p50/p90/p99 of
``Searcher.search`` with limit 10: with snippets and facets, with snippets, with neither; on one
core (one thread) and on both (one thread per shard, up to two).  The baseline runs in the same
run: the query path before issue 18 (shards searched one after the other: on an unsharded index
the same path) on the same index, and the ratio is printed; the conjunction-first plan (off by
default, ``index.plan``) is measured too.  Targets: 1M p50 < 3 ms; 10M p50 < 15 ms and p99 <
100 ms with snippets; p50 growth 1M -> 10M <= 3x.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.bench_index import agent_queries, generated_queries
from index.plan import QueryPlan
from index.searcher import Searcher

DEFAULT_ROOT = Path("/tmp/scale")
#: index folders looked for under the root, smallest first
SIZES = ("1m-single", "1m", "3m", "10m")
BUILD_RECORD = "build.json"


def cuts(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[89], q[98]


Figures = tuple[tuple[float, float, float], tuple[float, float, float]]


def timed(run: Callable[[str], object], queries: list[str]) -> Figures:
    """Wall-clock and CPU (every thread of this process: the shards' too) p50/p90/p99 in ms."""
    wall, cpu = [], []
    for q in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        run(q)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return cuts(wall), cuts(cpu)


def show(label: str, figures: Figures, baseline: Figures | None = None) -> str:
    (p50, p90, p99), (c50, _, c99) = figures
    ratio = f"; baseline/this p50 wall {baseline[0][0] / p50:.1f}x, CPU {baseline[1][0] / c50:.1f}x" \
        if baseline else ""
    return (f"    {label:44} wall p50 {p50:6.2f} p90 {p90:6.2f} p99 {p99:6.2f} ms; "
            f"CPU p50 {c50:6.2f} p99 {c99:6.2f} ms{ratio}")


def measure(path: Path, queries: dict[str, list[str]], cores: list[int]) -> dict[str, object]:
    """Every variant on the index at ``path``, pinned to ``cores``; returns the figures printed."""
    affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(cores))
    out: dict[str, object] = {}
    try:
        threads = len(cores)
        searcher = Searcher(path, threads=threads)
        before = Searcher(path, threads=1)
        planned = Searcher(path, plan=QueryPlan(conjunctive_first=True), threads=threads)
        variants: dict[str, Callable[[str], object]] = {
            "baseline: shards in turn, snippets": lambda q: before.search(q, facets=False),
            "snippets + facets": lambda q: searcher.search(q),
            "snippets": lambda q: searcher.search(q, facets=False),
            "neither": lambda q: searcher.search(q, facets=False, snippets=False),
            "conjunction-first plan on, snippets": lambda q: planned.search(q, facets=False),
        }
        for name, texts in queries.items():
            if not texts:
                continue
            for q in texts:  # untimed: the postings and documents these queries touch are in the cache
                searcher.search(q)
            print(f"  {name} ({len(texts)} queries), {threads} core(s), {threads} thread(s):", flush=True)
            base: Figures | None = None
            for label, run in variants.items():
                figures = timed(run, texts)
                base = figures if base is None else base
                print(show(label, figures, None if label.startswith("baseline") else base), flush=True)
                out[f"{name}|{label}"] = figures
    finally:
        os.sched_setaffinity(0, affinity)
    return out


def searching_memory(path: Path) -> str:
    """A fresh process's memory after opening the index and answering the agents' queries: its
    anonymous memory (what it needs of its own) and the index pages it maps (page cache, shared)."""
    code = ("import sys; from pathlib import Path; from index.searcher import Searcher; "
            "from bench.bench_index import agent_queries; s = Searcher(Path(sys.argv[1])); "
            "[s.search(q) for q in agent_queries()]; "
            "print(' '.join(l.split()[1] for l in open('/proc/self/status') "
            "if l.startswith(('RssAnon', 'RssFile'))))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          timeout=600, check=False)
    try:
        anon, mapped = (int(v) / 1000 for v in done.stdout.split())
    except ValueError:
        return f"unmeasured ({done.stderr.strip().splitlines()[-1:]})"
    return f"{anon + mapped:,.0f} MB RSS: {anon:,.0f} MB its own, {mapped:,.0f} MB of mapped index pages"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_scale")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="where scale_build kept the indexes")
    parser.add_argument("--sizes", default=",".join(SIZES), help="which index folders, comma-separated")
    parser.add_argument("--phrases", type=int, default=200, help="copied-phrase queries (0: none)")
    parser.add_argument("--quick", action="store_true", help="accepted for `python -m bench --quick`")
    parser.add_argument("--index", type=Path, action="append", default=[],
                        help="also an index built elsewhere (the corpus's: bench_relevance --keep DIR, "
                             "DIR/ours): the fixed part of a query's cost")
    args = parser.parse_args(argv or [])
    found = [args.root / s for s in args.sizes.split(",") if (args.root / s / BUILD_RECORD).is_file()]
    found += [path for path in args.index if (path / "meta.json").is_file()]
    if not found:
        print(f"skipped: no index built under {args.root} (python -m bench.scale_build --help)")
        return
    queries = {"agent queries": agent_queries(),
               "copied phrases": generated_queries("phrases", count=args.phrases) if args.phrases else []}
    cores = sorted(os.sched_getaffinity(0))
    print(f"cores: {len(cores)}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for path in found:
        if not (path / BUILD_RECORD).is_file():
            print(f"\n{path}: {Searcher(path).count():,} pages (an index given by --index)", flush=True)
        else:
            record = json.loads((path / BUILD_RECORD).read_text(encoding="utf-8"))
            load = f"load {record['load_start']:.1f} -> {record['load_end']:.1f}"
            print(f"\n{path.name}: {record['docs']:,} pages, {record['shards'] or 'no'} shards; built in "
                  f"{record['seconds'] / 60:.1f} min ({load}), {record['bytes'] / 1e9:.2f} GB on disk, "
                  f"writer peak +{record['peak_mb']:,} MB", flush=True)
        for chosen in ([cores[0]], cores[:2]) if len(cores) > 1 else ([cores[0]],):
            measure(path, queries, chosen)
        print(f"  a searching process after the agents' queries: {searching_memory(path)}; "
              f"load average now {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
