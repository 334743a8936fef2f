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
import gzip
import json
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

import psutil

from index.documents import PageDocument
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Category, Classifier, Entry

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data"))
CORPUS = SHARED / "corpus" / "documents.jsonl.gz"
SYNTHETIC_HOSTS = 5000
CATEGORIES = list(Category)


# -- documents -----------------------------------------------------------------

def load_corpus() -> list[PageDocument]:
    docs = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            published = date.fromisoformat(r["date"][:10]) if r.get("date") else None
            docs.append(PageDocument(r["url"], r["title"], r["body"], r.get("description") or "",
                                     published=published, lang=r.get("lang")))
    return docs


def corpus_classifier(docs: list[PageDocument]) -> Classifier:
    hosts = {d.url.split("/")[2] for d in docs}
    return Classifier(entries=[Entry(h, Category.ETAT, h, "bench", "bench") for h in hosts])


def synthetic_classifier() -> Classifier:
    return Classifier(entries=[
        Entry(f"site{k}.fr", CATEGORIES[k % len(CATEGORIES)], f"Source {k}", "bench", "bench")
        for k in range(SYNTHETIC_HOSTS)
    ])


def synthetic(corpus: list[PageDocument], count: int, seed: int = 3) -> Iterator[PageDocument]:
    """``count`` pages of real French: a corpus title, description and 3-6 corpus paragraphs."""
    rng = random.Random(seed)
    paragraphs = [p for d in corpus for p in d.body.split("\n") if len(p) > 40]
    titles = [d.title for d in corpus]
    descriptions = [d.description for d in corpus if d.description]
    for n in range(count):
        body = "\n".join(rng.choices(paragraphs, k=rng.randint(3, 6)))
        yield PageDocument(f"https://site{n % SYNTHETIC_HOSTS}.fr/page/{n}", rng.choice(titles), body,
                           rng.choice(descriptions), published=date(2000 + n % 26, 1 + n % 12, 1 + n % 28))


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
                     classifier: Classifier, work: Path, overhead: float) -> Path:
    tantivy_dir, fts_file = work / f"{label}-tantivy", work / f"{label}-fts5.db"
    t_time, t_mem = index_tantivy(make(), tantivy_dir, classifier)
    f_time, f_mem = index_fts5(make(), fts_file)
    t_rate, f_rate = count / (t_time - overhead), count / (f_time - overhead)
    print(f"{label}: {count:,} docs (generation {overhead:.1f} s subtracted)")
    print(f"  tantivy+French: {t_rate:,.0f} docs/s, {dir_size(tantivy_dir) / 1e6:,.0f} MB on disk, "
          f"peak +{t_mem:,.0f} MB")
    print(f"  SQLite FTS5:    {f_rate:,.0f} docs/s, {fts_file.stat().st_size / 1e6:,.0f} MB on disk, "
          f"peak +{f_mem:,.0f} MB")
    print(f"  ratio tantivy/FTS5: {t_rate / f_rate:.2f}x (target >= 1.5x)", flush=True)
    return tantivy_dir


# -- queries -------------------------------------------------------------------

def sample_queries(corpus: list[PageDocument], count: int, seed: int = 5) -> list[str]:
    """1-4 consecutive words (4+ letters) of a corpus title, like an agent's short query."""
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        words = [w for w in rng.choice(corpus).title.replace("'", " ").split() if len(w) > 3 and w.isalpha()]
        if words:
            size = min(len(words), rng.randint(1, 4))
            start = rng.randrange(len(words) - size + 1)
            out.append(" ".join(words[start:start + size]))
    return out


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49]:.2f} ms, p99 {cuts[98]:.2f} ms"


def query_latency(tantivy_dir: Path, fts_file: Path, queries: list[str]) -> None:
    affinity = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(affinity)})  # the target is for one core
    try:
        searcher = Searcher(tantivy_dir)
        for q in queries[:50]:
            searcher.search(q)
        for label, options in (("snippets", {"facets": False}), ("snippets+facets", {"facets": True}),
                               ("no snippets", {"facets": False, "snippets": False})):
            samples = []
            for q in queries:
                started = time.perf_counter()
                searcher.search(q, **options)
                samples.append((time.perf_counter() - started) * 1000)
            print(f"  tantivy top 10, {label}: {percentiles(samples)}", flush=True)
        db = sqlite3.connect(fts_file)
        sql = ("SELECT url, title, snippet(pages, 3, '<mark>', '</mark>', '…', 24) FROM pages "
               "WHERE pages MATCH ? ORDER BY rank LIMIT 10")
        for mode in ("AND", "OR"):
            samples = []
            for q in queries:
                match = f" {mode} ".join(f'"{w}"' for w in q.split())
                started = time.perf_counter()
                db.execute(sql, (match,)).fetchall()
                samples.append((time.perf_counter() - started) * 1000)
            print(f"  FTS5 top 10 ({mode}), snippets: {percentiles(samples)}", flush=True)
        db.close()
    finally:
        os.sched_setaffinity(0, affinity)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_index")
    parser.add_argument("--quick", action="store_true", help="30,000 synthetic documents, 200 queries")
    parser.add_argument("--docs", type=int, default=None, help="synthetic documents (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="build the indexes here and keep them")
    args = parser.parse_args(argv or [])
    count = args.docs or (30_000 if args.quick else 1_000_000)
    queries_count = args.queries or (200 if args.quick else 1000)
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} is absent")
        return
    corpus = load_corpus()
    print(f"cores: {len(os.sched_getaffinity(0))}, tantivy writer threads: 2, "
          f"synthetic: {count:,} docs of 3-6 corpus paragraphs")
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-index-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        compare_indexing("corpus", lambda: corpus, len(corpus), corpus_classifier(corpus), work, 0.0)
        overhead = timed(lambda: synthetic(corpus, count))
        tantivy_dir = compare_indexing("synthetic", lambda: synthetic(corpus, count), count,
                                       synthetic_classifier(), work, overhead)
        queries = sample_queries(corpus, queries_count)
        print(f"queries: {len(queries)} of 1-4 words from corpus titles over {count:,} docs, one core")
        query_latency(tantivy_dir, work / "synthetic-fts5.db", queries)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
