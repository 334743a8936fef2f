"""Index speed and size: tantivy with our French analysis against SQLite FTS5, same documents.

Targets (issue 3): indexing at >= 1.5x FTS5's documents/s while doing the
French analysis FTS5 does not do (both cores); queries of 1-4 words over
1,000,000 documents with snippets at p50 < 5 ms and p99 < 50 ms on one core.

Runs on the real corpus (../shared/data/corpus, 19,256 pages) and on a
synthetic corpus built by recombining the corpus's paragraphs (real French,
``--docs`` of them, 1,000,000 by default; ``--quick`` uses 30,000).  The
synthetic documents are generated on the fly for both engines from the same
seed; the time to generate them is measured alone and subtracted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import psutil

from bench.corpus_pages import CORPUS, corpus_classifier, load_corpus, synthetic, synthetic_classifier
from index.documents import PageDocument
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Classifier

ROOT = Path(__file__).resolve().parent.parent
FTS5_QUERIES = 150


# -- measuring -----------------------------------------------------------------

class PeakMemory:
    """Peak resident memory above the level at entry, sampled every 20 ms."""

    def __enter__(self) -> PeakMemory:
        self._process = psutil.Process()
        self.base = self._process.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return (self.peak - self.base) / 1e6


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def index_tantivy(docs: Iterable[PageDocument], path: Path, classifier: Classifier) -> tuple[float, float]:
    with PeakMemory() as memory:
        started = time.perf_counter()
        with IndexWriter(path, classifier, batch_size=200_000, threads=2) as writer:
            for doc in docs:
                writer.add(doc)
        elapsed = time.perf_counter() - started
    return elapsed, memory.mb


def index_fts5(docs: Iterable[PageDocument], path: Path) -> tuple[float, float]:
    with PeakMemory() as memory:
        started = time.perf_counter()
        db = sqlite3.connect(path)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE VIRTUAL TABLE pages USING fts5(url UNINDEXED, title, description, body, "
                   "tokenize='unicode61 remove_diacritics 2')")
        rows: list[tuple[str, str, str, str]] = []
        for doc in docs:
            rows.append((doc.url, doc.title, doc.description, doc.body))
            if len(rows) == 10_000:
                db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?)", rows)
                db.commit()
                rows.clear()
        db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?)", rows)
        db.commit()
        db.close()
        elapsed = time.perf_counter() - started
    return elapsed, memory.mb


def timed(make: Callable[[], Iterable[PageDocument]]) -> float:
    started = time.perf_counter()
    for _ in make():
        pass
    return time.perf_counter() - started


def compare_indexing(label: str, make: Callable[[], Iterable[PageDocument]], count: int,
                     classifier: Classifier, work: Path, overhead: float, rounds: int = 1) -> Path:
    """Index the same documents with both engines, ``rounds`` times interleaved; median rates."""
    tantivy_dir, fts_file = work / f"{label}-tantivy", work / f"{label}-fts5.db"
    t_runs, f_runs = [], []
    for _ in range(rounds):
        shutil.rmtree(tantivy_dir, ignore_errors=True)
        fts_file.unlink(missing_ok=True)
        t_runs.append(index_tantivy(make(), tantivy_dir, classifier))
        f_runs.append(index_fts5(make(), fts_file))
    t_time, t_mem = statistics.median(r[0] for r in t_runs), max(r[1] for r in t_runs)
    f_time, f_mem = statistics.median(r[0] for r in f_runs), max(r[1] for r in f_runs)
    t_rate, f_rate = count / (t_time - overhead), count / (f_time - overhead)
    print(f"{label}: {count:,} docs, median of {rounds} interleaved run(s)"
          + (f", generation {overhead:.1f} s subtracted" if overhead else ""))
    print(f"  tantivy+French: {t_rate:,.0f} docs/s, {dir_size(tantivy_dir) / 1e6:,.0f} MB on disk, "
          f"peak +{t_mem:,.0f} MB")
    print(f"  SQLite FTS5:    {f_rate:,.0f} docs/s, {fts_file.stat().st_size / 1e6:,.0f} MB on disk, "
          f"peak +{f_mem:,.0f} MB")
    print(f"  ratio tantivy/FTS5: {t_rate / f_rate:.2f}x (target >= 1.5x)", flush=True)
    return tantivy_dir


# -- queries -------------------------------------------------------------------

def title_queries(corpus: list[PageDocument], count: int, seed: int = 5) -> list[str]:
    """1-4 consecutive words (4+ letters) of a corpus title: many are very common words."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        words = [w for w in rng.choice(corpus).title.replace("'", " ").split() if len(w) > 3 and w.isalpha()]
        if words:
            size = min(len(words), rng.randint(1, 4))
            start = rng.randrange(len(words) - size + 1)
            out.append(" ".join(words[start:start + size]))
    return out


def agent_queries() -> list[str]:
    """The relevance evaluation's queries (written as agents ask) of 1-4 words."""
    path = ROOT / "bench" / "relevance" / "queries.tsv"
    if not path.is_file():
        return []
    texts = [line.split("\t")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return [t for t in texts if 1 <= len(t.split()) <= 4]


def generated_queries(name: str, kind_prefix: str = "", count: int = 400) -> list[str]:
    """Queries of a generated relevance set (bench/relevance/NAME.tsv), the first ``count`` of a kind."""
    path = ROOT / "bench" / "relevance" / f"{name}.tsv"
    if not path.is_file():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    return [row[0] for row in rows if row[2].startswith(kind_prefix)][:count]


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49]:.2f} ms, p99 {cuts[98]:.2f} ms"


def latencies(run: Callable[[str], object], queries: list[str]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (this thread) milliseconds of each query."""
    wall, cpu = [], []
    for q in queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        run(q)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def query_latency(tantivy_dir: Path, fts_file: Path, query_sets: dict[str, list[str]]) -> None:
    affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(affinity)})  # the target is for one core
    try:
        searcher = Searcher(tantivy_dir)
        db = sqlite3.connect(fts_file)
        sql = ("SELECT url, title, snippet(pages, 3, '<mark>', '</mark>', '…', 24) FROM pages "
               "WHERE pages MATCH ? ORDER BY rank LIMIT 10")

        def fts(mode: str) -> Callable[[str], object]:
            return lambda q: db.execute(sql, (f" {mode} ".join(f'"{w}"' for w in q.split()),)).fetchall()

        plain = Searcher(tantivy_dir, tuning=replace(searcher.tuning, phrase_boost=0.0, proximity_boost=0.0))
        engines: dict[str, Callable[[str], object]] = {
            "tantivy, snippets": lambda q: searcher.search(q, facets=False),
            "tantivy, snippets + facets": lambda q: searcher.search(q),
            "tantivy, no snippets": lambda q: searcher.search(q, facets=False, snippets=False),
            # what each part of issue 12 costs: the same query with one part off
            "  typo correction off": lambda q: searcher.search(q, facets=False, fuzzy=False),
            "  duplicate collapse off": lambda q: searcher.search(q, facets=False, collapse=False),
            "  phrase/proximity off": lambda q: plain.search(q, facets=False),
            "  all three off": lambda q: plain.search(q, facets=False, fuzzy=False, collapse=False),
            "FTS5 AND, snippets": fts("AND"),
            "FTS5 OR, snippets": fts("OR"),
        }
        for set_name, queries in query_sets.items():
            if not queries:
                continue
            print(f"  {set_name} ({len(queries)} queries), top 10, one core:")
            # one untimed pass over the whole set: otherwise the first engine measured pays the page
            # faults of the postings and documents its queries touch first (0.3-0.8 ms of p50 here),
            # which a serving process with the index in the page cache does not
            for q in queries:
                searcher.search(q)
            for label, run in engines.items():
                # FTS5's OR queries take up to seconds each over 1M pages: a sample is enough
                sample = queries[:FTS5_QUERIES] if label.startswith("FTS5") else queries
                wall, cpu = latencies(run, sample)
                print(f"    {label:28} wall {percentiles(wall)}; CPU {percentiles(cpu)}"
                      + (f" ({len(sample)} queries)" if len(sample) < len(queries) else ""), flush=True)
        typed = [q[:n] for q in query_sets.get("agent queries", [])[:60] for n in range(2, len(q) + 1)]
        if typed:
            wall, cpu = latencies(searcher.suggest, typed)
            print(f"  suggest() on {len(typed)} prefixes (every keystroke of 60 queries): "
                  f"wall {percentiles(wall)}; CPU {percentiles(cpu)}", flush=True)
        db.close()
    finally:
        os.sched_setaffinity(0, affinity)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_index")
    parser.add_argument("--quick", action="store_true", help="30,000 synthetic documents, 200 queries")
    parser.add_argument("--docs", type=int, default=None, help="synthetic documents (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="build the indexes here and keep them")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse the synthetic indexes")
    parser.add_argument("--latency-only", action="store_true",
                        help="with --keep --reuse: only the query latencies (no indexing comparison)")
    args = parser.parse_args(argv or [])
    count = args.docs or (30_000 if args.quick else 1_000_000)
    queries_count = args.queries or (200 if args.quick else 1000)
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} is absent")
        return
    corpus = load_corpus()
    print(f"cores: {len(os.sched_getaffinity(0))}, load average {os.getloadavg()[0]:.1f}, "
          f"tantivy writer threads: 2, synthetic: {count:,} docs of 3-6 corpus paragraphs")
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-index-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.latency_only:
            compare_indexing("corpus", lambda: corpus, len(corpus), corpus_classifier(corpus), work, 0.0,
                             rounds=1 if args.quick else 3)
        synthetic_dir, synthetic_db = work / "synthetic-tantivy", work / "synthetic-fts5.db"
        if args.reuse and synthetic_dir.is_dir() and synthetic_db.is_file():
            print(f"synthetic: reusing the indexes in {work}")
        else:
            overhead = timed(lambda: synthetic(corpus, count))
            compare_indexing("synthetic", lambda: synthetic(corpus, count), count,
                             synthetic_classifier(), work, overhead)
        print(f"queries over {Searcher(synthetic_dir).count():,} docs "
              f"(load average {os.getloadavg()[0]:.1f}; CPU time is what the query itself used)")
        query_latency(synthetic_dir, synthetic_db, {
            "agent queries": agent_queries(),
            "title words": title_queries(corpus, queries_count),
            "copied phrases": generated_queries("phrases"),
            "typos of the agent queries": generated_queries("typos", "typo:hand"),
        })
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
