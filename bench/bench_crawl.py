"""Crawl throughput on loopback: Scrapy crawler (fetch, extract, index) vs a plain httpx+selectolax loop.

The site farm runs in its own process (``sdc farm --no-hostile``) serving N corpus pages on the
three corpus hosts; both contenders go through it as a proxy (https via CONNECT + TLS) and index
into a fresh tantivy index with the same IndexWriter.  Politeness delays are off (no download
delay, no AutoThrottle); robots.txt is still obeyed.  Figures: pages/s (wall), CPU seconds per
page of the crawling process, and the farm's CPU share.

* crawler, 1/host: the product's setting, one request at a time per host (3 hosts, so at most 3
  requests in flight);
* crawler, 8/host: the same with 8 requests per host, to show the ceiling of the pipeline;
* baseline: one httpx client, one request at a time, URLs known up front (from the corpus), no
  link discovery, no robots.txt, no sitemaps.

``--quick`` serves 600 pages instead of 3,000.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data")) / "corpus" / "documents.jsonl.gz"

CHILD = """
import sys, json
from pathlib import Path
from crawler.config import CrawlConfig
from crawler.run import run_crawl
from crawler.scope import CrawlScope
from sources import Registry
args = json.loads(sys.argv[1])
with Registry(Path(args["data"])) as registry:
    classifier = registry.classifier(builtin=False)
scope = CrawlScope(classifier, args["hosts"])
config = CrawlConfig(scope=scope, seeds=[f"https://{h}/" for h in args["hosts"]],
                     crawl_dir=Path(args["data"]) / "crawl", index_dir=Path(args["data"]) / "index",
                     proxy=args["proxy"], delay=0.0, autothrottle=False, per_host=args["per_host"],
                     concurrency=64, progress=False, revisit=False)
summary = run_crawl(config)
print(json.dumps({"pages": summary.pages, "seconds": summary.seconds}))
"""


def _start_farm(data: Path, limit: int) -> tuple[subprocess.Popen[str], str, list[str]]:
    env = dict(os.environ, SDC_DATA_DIR=str(data))
    farm = subprocess.Popen([sys.executable, "-m", "sdc", "farm", "--corpus", str(CORPUS), "--limit", str(limit),
                             "--no-hostile", "--register"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert farm.stdout is not None and farm.stderr is not None
    proxy = farm.stdout.readline().strip()
    hosts = farm.stderr.readline().strip().removeprefix("hosts: ").split()
    return farm, proxy, hosts


def _crawl(data: Path, proxy: str, hosts: list[str], per_host: int) -> tuple[int, float, float]:
    import json

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-c", CHILD, json.dumps(
        {"data": str(data), "hosts": hosts, "proxy": proxy, "per_host": per_host})],
        cwd=ROOT, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result["pages"], result["seconds"], cpu


def _baseline(data: Path, proxy: str, urls: list[str]) -> tuple[int, float, float]:
    import httpx

    from crawler.extract import extract_page
    from index.documents import PageDocument
    from index.writer import IndexWriter
    from sources import Registry

    with Registry(data) as registry:
        classifier = registry.classifier(builtin=False)
    pages = 0
    started, cpu = time.perf_counter(), time.process_time()
    with httpx.Client(proxy=proxy, verify=False) as client, \
            IndexWriter(data / "index-baseline", classifier) as writer:
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            page = extract_page(response.text, url)
            writer.add(PageDocument(url=url, title=page.title, body=page.body, description=page.description,
                                    headings=page.headings, lang=page.lang, published=page.published))
            pages += 1
    return pages, time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> None:
    args = argv or []
    limit = 600 if "--quick" in args else 3000
    if not CORPUS.is_file():
        print(f"skipped: no corpus at {CORPUS}")
        return
    from crawler.farm import load_corpus

    urls = [r["url"] for r in load_corpus(CORPUS, limit)]
    rows = []
    for name, per_host in (("crawler, 1 request/host", 1), ("crawler, 8 requests/host", 8)):
        with tempfile.TemporaryDirectory() as tmp:
            farm, proxy, hosts = _start_farm(Path(tmp), limit)
            try:
                pages, seconds, cpu = _crawl(Path(tmp), proxy, hosts, per_host)
            finally:
                farm.terminate()
                farm.wait()
        rows.append((name, pages, seconds, cpu))
    with tempfile.TemporaryDirectory() as tmp:
        farm, proxy, hosts = _start_farm(Path(tmp), limit)
        try:
            rows.append(("baseline httpx+selectolax loop", *_baseline(Path(tmp), proxy, urls)))
        finally:
            farm.terminate()
            farm.wait()
    print(f"{limit} corpus pages on 3 hosts, loopback proxy farm (own process), politeness delays off")
    print(f"{'':34} {'pages':>6} {'pages/s':>8} {'CPU ms/page':>12}")
    for name, pages, seconds, cpu in rows:
        print(f"{name:34} {pages:6d} {pages / seconds:8.0f} {1000 * cpu / max(pages, 1):12.2f}")
    base = rows[-1][1] / rows[-1][2]
    for name, pages, seconds, _ in rows[:-1]:
        print(f"ratio {name} / baseline: {pages / seconds / base:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
