"""Crawl throughput on loopback: the Scrapy crawler (fetch, extract, index) vs a plain httpx+selectolax loop.

The site farm runs in its own process (``sdc farm``) and both contenders reach it as a proxy
(https through CONNECT + TLS), extract with :func:`crawler.extract.extract_page` and index into a
fresh tantivy index with the same IndexWriter.  Politeness delays are off (no download delay, no
AutoThrottle) but robots.txt is obeyed and every host gets one request at a time, as in production.

* crawler, small sites: N pages on N/10 small sites (``--small-sites``), 64 requests in flight
  across hosts: the shape of the real crawl (65,000 small sites);
* crawler, 3 corpus hosts: N corpus pages on its 3 hosts, so at most 3 requests in flight;
* baseline: one httpx client, one request at a time over the same small-site URLs known up front:
  no link discovery, robots.txt, sitemaps, dupefilter or scheduler.

Figures: pages/s over the crawl itself (Scrapy's ``elapsed_time_seconds``, without the process
start), and CPU ms per page of the crawling process (process start included).  ``--quick`` uses
N = 600 instead of 3,000.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data"))
CORPUS = SHARED / "corpus" / "documents.jsonl.gz"

CHILD = """
import sys, json
from pathlib import Path
from crawler.config import CrawlConfig
from crawler.run import run_crawl
from crawler.scope import CrawlScope
from sources import Registry
args = json.loads(sys.argv[1])
data = Path(args["data"])
with Registry(data) as registry:
    classifier = registry.classifier(builtin=False)
hosts = args["hosts"]
config = CrawlConfig(scope=CrawlScope(classifier, hosts), seeds=[f"https://{h}/" for h in hosts],
                     crawl_dir=data / "crawl", index_dir=data / "index", proxy=args["proxy"], delay=0.0,
                     autothrottle=False, concurrency=64, progress=False, revisit=False)
summary = run_crawl(config)
print(json.dumps({"pages": summary.pages, "seconds": summary.stats["elapsed_time_seconds"]}))
"""


@contextmanager
def farm_process(data: Path, *options: str) -> Iterator[tuple[str, list[str]]]:
    """``sdc farm`` in its own process; yields its proxy URL and hosts."""
    env = dict(os.environ, SDC_DATA_DIR=str(data))
    farm = subprocess.Popen([sys.executable, "-m", "sdc", "farm", "--corpus", str(CORPUS), "--no-hostile",
                             "--register", *options], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert farm.stdout is not None and farm.stderr is not None
        proxy = farm.stdout.readline().strip()
        hosts = farm.stderr.readline().strip().removeprefix("hosts: ").split()
        yield proxy, hosts
    finally:
        farm.terminate()
        farm.wait()


def crawl(data: Path, proxy: str, hosts: list[str]) -> tuple[int, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run([sys.executable, "-c", CHILD, json.dumps({"data": str(data), "hosts": hosts,
                                                                   "proxy": proxy})],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result["pages"], result["seconds"], cpu


def baseline(data: Path, proxy: str, urls: list[str]) -> tuple[int, float, float]:
    import httpx

    from crawler.extract import decode_html, extract_page
    from index.documents import PageDocument
    from index.writer import IndexWriter
    from sources import Registry

    with Registry(data) as registry:
        classifier = registry.classifier(builtin=False)
    pages = 0
    started, cpu = time.perf_counter(), time.process_time()
    with httpx.Client(proxy=proxy, verify=False) as client, IndexWriter(data / "index", classifier) as writer:
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            page = extract_page(decode_html(response.content, response.headers.get("content-type")), url)
            writer.add(PageDocument(url=url, title=page.title, body=page.body, description=page.description,
                                    headings=page.headings, lang=page.lang, published=page.published))
            pages += 1
    return pages, time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> None:
    size = 600 if "--quick" in (argv or []) else 3000
    if not CORPUS.is_file():
        print(f"skipped: no corpus at {CORPUS}")
        return
    sites = size // 10
    small = ("--limit", "30", "--small-sites", str(sites))
    rows = []
    with tempfile.TemporaryDirectory() as tmp, farm_process(Path(tmp), *small) as (proxy, hosts):
        hosts = [h for h in hosts if h.startswith("commune-")]
        rows.append((f"crawler, {sites} small sites, 1 req/host", *crawl(Path(tmp), proxy, hosts)))
    corpus = ("--limit", str(size))
    with tempfile.TemporaryDirectory() as tmp, farm_process(Path(tmp), *corpus) as (proxy, hosts):
        rows.append(("crawler, 3 corpus hosts, 1 req/host", *crawl(Path(tmp), proxy, hosts)))
    with tempfile.TemporaryDirectory() as tmp, farm_process(Path(tmp), *small) as (proxy, hosts):
        urls = [f"https://{h}/page-{p}" for h in hosts if h.startswith("commune-") for p in range(10)]
        rows.append(("baseline: httpx+selectolax loop", *baseline(Path(tmp), proxy, urls)))
    print(f"{size} pages, loopback proxy farm in its own process, politeness delays off, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'':40} {'pages':>6} {'pages/s':>8} {'CPU ms/page':>12}")
    for name, pages, seconds, cpu in rows:
        print(f"{name:40} {pages:6d} {pages / seconds:8.0f} {1000 * cpu / max(pages, 1):12.2f}")
    base = rows[-1][1] / rows[-1][2]
    for name, pages, seconds, _ in rows[:-1]:
        print(f"ratio ({name}) / baseline: {pages / seconds / base:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
