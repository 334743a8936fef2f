"""Resume: a crawl stopped with Ctrl-C or kill continues where it stopped, without starting over."""

from __future__ import annotations

import signal
import time
from collections import Counter
from typing import Any

import pytest


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["ctrl-c", "kill", "kill-9"])
def test_interrupted_crawl_resumes(stop: signal.Signals, corpus_records: list[dict[str, Any]], make_farm: Any,
                                   crawl_run: Any) -> None:
    records = corpus_records[:90]
    farm = make_farm(records, hostile=False, page_delay=0.01)
    run = crawl_run(farm)
    paths = {r["url"].split("/", 3)[3] for r in records}

    def fetched() -> list[str]:
        return [r.path.lstrip("/") for r in farm.requests if r.path.lstrip("/") in paths and r.status == 200]

    crawl = run.start(SDC_CRAWL_DELAY="0.1")  # about 30 pages/s: slow enough to stop halfway
    deadline = time.monotonic() + 60
    while len(fetched()) < 25 and time.monotonic() < deadline and crawl.poll() is None:
        time.sleep(0.05)
    crawl.send_signal(stop)
    crawl.communicate(timeout=60)
    first = len(fetched())
    assert 25 <= first < len(records), "the crawl must be stopped halfway"
    if stop != signal.SIGKILL:
        assert run.stats["finish_reason"] == "shutdown"

    run.run("--resume")
    counts = Counter(fetched())
    assert set(counts) == paths
    assert {r["url"] for r in records} <= set(run.indexed())
    if stop == signal.SIGKILL:
        # the pages after the last checkpoint (at most 5 s) are fetched again, never lost
        assert sum(counts.values()) <= first + len(records)
    else:
        assert sum(counts.values()) <= len(records) + 3  # at most what was in flight


def test_new_crawl_starts_over(corpus_records: list[dict[str, Any]], make_farm: Any, crawl_run: Any) -> None:
    farm = make_farm(corpus_records[:12], hostile=False)
    run = crawl_run(farm)
    run.run()
    before = len(farm.requests)
    run.run()  # not --resume: the whole site is visited again (conditionally)
    again = [r for r in farm.requests[before:] if r.status == 304]
    assert len(again) >= 12


def test_a_first_ctrl_c_stops_without_waiting_for_the_queued_requests(
        corpus_records: list[dict[str, Any]], make_farm: Any, crawl_run: Any) -> None:
    """With a 1 s delay per host, Scrapy's graceful stop used to wait for every request the downloader
    held (64, queued behind three hosts' delays: about 30 s, the 64 fetched after the Ctrl-C).  Now
    only the downloads in progress finish; the rest is left to --resume, nothing lost."""
    records = corpus_records[:90]
    farm = make_farm(records, hostile=False)
    run = crawl_run(farm)
    paths = {r["url"].split("/", 3)[3] for r in records}

    def fetched() -> list[str]:
        return [r.path.lstrip("/") for r in farm.requests if r.path.lstrip("/") in paths and r.status == 200]

    crawl = run.start(SDC_CRAWL_DELAY="1")
    deadline = time.monotonic() + 60
    while len(fetched()) < 4 and time.monotonic() < deadline and crawl.poll() is None:
        time.sleep(0.05)
    before = len(farm.requests)
    crawl.send_signal(signal.SIGINT)
    out, _ = crawl.communicate(timeout=30)
    after = len(farm.requests) - before
    assert crawl.returncode == 0
    assert after <= len(farm.hosts), f"{after} requests after the Ctrl-C"  # at most one in flight a host
    assert run.stats["finish_reason"] == "shutdown" and run.stats["crawler/stopped_unfetched"] > 0
    assert "sdc crawl --resume" in out
    first = Counter(fetched())

    run.run("--resume")
    counts = Counter(fetched())
    assert set(counts) == paths  # the dropped requests were fetched by the resumed crawl
    assert sum(counts.values()) <= len(records) + len(farm.hosts)
    assert sum(first.values()) < len(records)
    assert {r["url"] for r in records} <= set(run.indexed())
