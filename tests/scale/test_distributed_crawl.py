"""Two ``sdc crawl --worker`` processes share one crawl of the site farm through a real Redis.

Checked from the farm's request log: no URL fetched twice (robots.txt aside: each worker reads it
once per host, under the lease of the request that needed it; 5xx answers are retried), never two
requests at once to one host; then ``sdc index consume --until-empty`` indexes every page once.
The second test kills a worker (SIGKILL) mid-crawl: the other one re-queues its in-flight requests
and completes the crawl.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import orjson
import pytest

from crawler.farm import Farm, load_corpus
from sources import Registry
from tests.scale.consume_cli import run_consume
from tests.scale.test_index_stream import indexed_urls

ROOT = Path(__file__).resolve().parents[2]
CLOCK_SLACK = 0.002  # as in tests/crawler/test_crawler_e2e.py
TIMEOUT = 180


@pytest.fixture
def farm(corpus_file: Path) -> Any:
    # the delay makes the crawl last long enough for both workers to take part
    running = Farm(load_corpus(corpus_file, 150), hostile=False, page_delay=0.03, small_sites=8)
    running.start()
    yield running
    running.stop()


def data_dir(base: Path, name: str, farm: Farm) -> Path:
    path = base / name
    with Registry(path) as registry:
        farm.register(registry)
    return path


def start_worker(directory: Path, farm: Farm, redis_url: str) -> subprocess.Popen[str]:
    seeds = directory / "seeds.txt"
    seeds.write_text("\n".join(farm.home_urls()) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(SDC_DATA_DIR=str(directory), SDC_CRAWL_DELAY="0", SDC_CRAWL_TIMEOUT="2",
               SDC_REDIS_URL=redis_url)
    command = [sys.executable, "-m", "sdc", "crawl", "--worker", "--seeds", str(seeds),
               "--hosts", ",".join(farm.hosts), "--proxy", farm.proxy_url]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def finish(worker: subprocess.Popen[str]) -> None:
    try:
        _, err = worker.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        worker.kill()
        _, err = worker.communicate()
        pytest.fail(f"worker did not finish: {err[-2000:]}")
    assert worker.returncode == 0, err[-3000:]


def stats(directory: Path) -> dict[str, Any]:
    return orjson.loads((directory / "crawl" / "stats.json").read_bytes())


def consume(base: Path, farm: Farm, redis_url: str) -> list[str]:
    directory = data_dir(base, "indexer", farm)
    done = run_consume(directory, redis_url, "--until-empty")
    assert done.returncode == 0, done.stderr
    return indexed_urls(directory / "index")


def corpus_urls(farm: Farm) -> set[str]:
    return {r["url"] for r in farm.records}


def test_two_workers_share_one_polite_crawl(farm: Farm, redis_url: str, tmp_path: Path) -> None:
    dirs = [data_dir(tmp_path, f"worker{i}", farm) for i in range(2)]
    workers = [start_worker(d, farm, redis_url) for d in dirs]
    for worker in workers:
        finish(worker)

    requests = farm.requests
    # a 5xx is retried, as on one machine (links to hosts the farm does not serve get 502)
    fetched = Counter((r.host, r.path) for r in requests if r.path != "/robots.txt" and r.status < 500)
    assert [k for k, n in fetched.items() if n > 1] == []
    by_host: dict[str, list[Any]] = defaultdict(list)
    for request in requests:
        by_host[request.host].append(request)
    for host, served in by_host.items():
        served.sort(key=lambda r: r.start)
        pairs = zip(served, served[1:], strict=False)
        assert [(a.path, b.path) for a, b in pairs if b.start < a.end - CLOCK_SLACK] == [], host
    figures = [stats(d) for d in dirs]
    assert all(f.get("scheduler/dequeued/redis", 0) > 0 for f in figures)  # both took part

    urls = consume(tmp_path, farm, redis_url)
    assert len(urls) == len(set(urls))
    assert corpus_urls(farm) <= set(urls)
    # a page one worker published may be published again by the other as its feed's news item
    # (the index replaces it by URL: one document), so only news can make the stream longer
    published = sum(f.get("stream/published", 0) for f in figures)
    assert len(urls) <= published <= len(urls) + sum(f.get("crawler/news", 0) for f in figures)

    again = start_worker(dirs[0], farm, redis_url)  # joins a finished crawl: nothing to do
    out, err = again.communicate(timeout=TIMEOUT)
    assert again.returncode == 0, err[-2000:]
    assert "the shared crawl is finished" in out


def test_a_killed_worker_loses_no_page(farm: Farm, redis_url: str, tmp_path: Path) -> None:
    dirs = [data_dir(tmp_path, f"worker{i}", farm) for i in range(2)]
    victim, survivor = (start_worker(d, farm, redis_url) for d in dirs)
    deadline = time.monotonic() + TIMEOUT
    while len(farm.requests) < 60 and time.monotonic() < deadline and survivor.poll() is None:
        time.sleep(0.05)
    assert survivor.poll() is None  # killed mid-crawl
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    finish(survivor)
    assert stats(dirs[1]).get("distributed/requeued", 0) > 0  # the victim's in-flight requests

    urls = consume(tmp_path, farm, redis_url)
    assert len(urls) == len(set(urls))
    assert corpus_urls(farm) <= set(urls)


@pytest.mark.parametrize("redis_setting, message", [
    (None, "--worker needs SDC_REDIS_URL"),
    ("redis://127.0.0.1:1/0", "cannot reach Redis"),
])
def test_worker_without_redis_is_a_clear_error(tmp_path: Path, redis_setting: str | None,
                                               message: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SDC_REDIS_URL"}
    env["SDC_DATA_DIR"] = str(tmp_path)
    if redis_setting:
        env["SDC_REDIS_URL"] = redis_setting
    done = subprocess.run([sys.executable, "-m", "sdc", "crawl", "--worker", "--hosts", "www.impots.gouv.fr"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
