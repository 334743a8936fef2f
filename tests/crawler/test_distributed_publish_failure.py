"""A page whose publish (``XADD``) fails is fetched again; the rest of the shared crawl goes on.

A real ``redis-server`` on loopback.  The frontier tests drive :class:`SharedFrontier` the way the
scheduler and the spider do, in both orders Scrapy may call them (the spider's ``done`` before or
after the pipeline's failure).  The end-to-end test runs ``sdc crawl --worker`` through the site
farm with a Redis client whose ``XADD`` raises once for one page (the only thing changed; the
frontier, scheduler and pipeline are the real ones): the crawl finishes, every page is in the
stream exactly once, the failed one after being fetched again, and no in-flight entry is left.
The scheduler tests call its signal handlers directly while Redis refuses writes (``maxmemory``).
"""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest
import redis
from scrapy import Request
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler.distributed.errors import SharedCrawlError
from crawler.distributed.frontier import MAX_PUBLISH_FAILURES, PREFIX, SharedFrontier
from crawler.distributed.scheduler import SharedScheduler
from crawler.farm import Farm
from tests.scale.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 240
URL, HOST = "https://www.exemple.gouv.fr/page", "www.exemple.gouv.fr"

# `python -c` program: `sdc` with a Redis client whose XADD fails once for one page's document
ONCE_FAILING_WORKER = """
import os, sys
import redis

FAIL = b'"url":"' + os.environ["SDC_TEST_FAIL_URL"].encode() + b'"'

class OnceFailingRedis(redis.Redis):
    failed = False

    def xadd(self, name, fields, *args, **kwargs):
        if not OnceFailingRedis.failed and FAIL in fields.get("doc", b""):
            OnceFailingRedis.failed = True
            raise redis.ConnectionError("connection reset (test: once, for one page)")
        return super().xadd(name, fields, *args, **kwargs)

redis.Redis = OnceFailingRedis
from sdc.cli import main
main(sys.argv[1:])
"""


@pytest.fixture
def client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_server.url, socket_timeout=10)
    client.flushall()
    yield client
    client.config_set("maxmemory", 0)
    client.close()


@pytest.fixture
def frontier(redis_server: RedisServer, client: redis.Redis) -> Iterator[SharedFrontier]:
    shared = SharedFrontier(redis_server.url, lease_seconds=5)
    shared.beat()
    yield shared
    shared.close()


def inflight(client: redis.Redis, frontier: SharedFrontier) -> dict[bytes, bytes]:
    return client.hgetall(f"{PREFIX}inflight:{frontier.worker}")


def pop(frontier: SharedFrontier) -> tuple[str, str, bytes]:
    popped = frontier.dequeue()
    assert popped is not None
    return popped


def fail_publish(frontier: SharedFrontier, key: str, host: str, payload: bytes) -> bool:
    """What the scheduler does on the pipeline's failure (the lease as the downloader left it)."""
    frontier.release(key, host, 0, forget=False)
    frontier.unpublished(key, host, payload)
    return frontier.requeue(key)


def test_failure_before_done_requeues_only_that_page(frontier: SharedFrontier, client: redis.Redis) -> None:
    frontier.enqueue(URL, HOST, b"request", "fp", front=False, dont_filter=False)
    frontier.enqueue(URL + "2", HOST + "2", b"other", "fp2", front=False, dont_filter=False)
    popped = [pop(frontier), pop(frontier)]
    assert {key for key, _, _ in popped} == {URL, URL + "2"}
    assert fail_publish(frontier, URL, HOST, b"request again")
    frontier.done(URL + "2")  # published fine: cleared at once, as always
    assert inflight(client, frontier) == {}
    assert frontier.queued() == 1 and not frontier.finished()
    assert pop(frontier) == (URL, HOST, b"request again")  # popped again before the first done()
    frontier.done(URL)  # the failed fetch's done(): must not clear the new entry
    assert list(inflight(client, frontier)) == [URL.encode()]
    frontier.done(URL)  # the second fetch, published
    assert inflight(client, frontier) == {}
    assert frontier.finished()


def test_failure_after_done_requeues_the_page(frontier: SharedFrontier, client: redis.Redis) -> None:
    frontier.enqueue(URL, HOST, b"request", "fp", front=False, dont_filter=False)
    key, host, _ = pop(frontier)
    frontier.done(key)  # the spider's generator ended before the pipeline took its item
    assert inflight(client, frontier) == {}
    assert fail_publish(frontier, key, host, b"request again")
    assert not frontier.finished()
    assert pop(frontier) == (URL, HOST, b"request again")
    frontier.done(URL)
    assert inflight(client, frontier) == {} and frontier.finished()


def test_a_page_that_never_publishes_is_set_aside(frontier: SharedFrontier, client: redis.Redis) -> None:
    frontier.enqueue(URL, HOST, b"request", "fp", front=False, dont_filter=False)
    outcomes = []
    for _ in range(MAX_PUBLISH_FAILURES + 1):
        key, host, payload = pop(frontier)
        outcomes.append(fail_publish(frontier, key, host, payload))
        frontier.done(key)
    assert outcomes == [True] * MAX_PUBLISH_FAILURES + [False]
    assert client.hgetall(f"{PREFIX}unpublished") == {URL.encode(): f"{URL}\n{HOST}\n".encode() + b"request"}
    assert inflight(client, frontier) == {} and frontier.finished()  # the crawl still ends


def test_a_requeue_redis_refuses_waits_in_the_worker(frontier: SharedFrontier, client: redis.Redis) -> None:
    frontier.enqueue(URL, HOST, b"request", "fp", front=False, dont_filter=False)
    key, host, _ = pop(frontier)
    frontier.release(key, host, 0, forget=False)
    frontier.unpublished(key, host, b"request again")
    client.config_set("maxmemory", 1)  # every write refused (OOM), as when the stream fills Redis
    with pytest.raises(SharedCrawlError, match="maxmemory"):
        frontier.requeue(key)
    client.config_set("maxmemory", 0)
    assert frontier.unpublished_keys() == [URL]
    assert list(inflight(client, frontier)) == [URL.encode()]  # the refused script changed nothing
    assert frontier.requeue(key) and frontier.unpublished_keys() == []
    frontier.done(key)  # the failed fetch's done(), after the requeue
    assert pop(frontier) == (URL, HOST, b"request again")


class Stats(Counter[str]):
    def inc_value(self, key: str, count: int = 1) -> None:
        self[key] += count


def scheduler_for(frontier: SharedFrontier) -> tuple[SharedScheduler, Stats]:
    """A scheduler as ``open`` leaves it, without its loop (its handlers are called directly)."""
    stats = Stats()
    crawler = type("Crawler", (), {"settings": Settings(), "stats": stats, "engine": None})()
    scheduler = SharedScheduler(crawler)
    scheduler.frontier = frontier
    return scheduler, stats


def fetched_then_refused(scheduler: SharedScheduler, client: redis.Redis, *, done_first: bool) -> None:
    """A page fetched, whose publish and re-queue Redis refuses (full), the spider's done()
    coming before or after the failure."""
    frontier = scheduler.frontier
    assert frontier is not None
    payload = pickle.dumps(Request(URL).to_dict(), protocol=5)
    frontier.enqueue(URL, HOST, payload, "fp", front=False, dont_filter=False)
    request = scheduler.next_request()
    assert request is not None
    frontier.release(URL, HOST, 0, forget=False)  # the response left the downloader
    if done_first:
        frontier.done(URL)
    client.config_set("maxmemory", 1)  # the XADD was refused; so is every write from now on
    failure = Failure(SharedCrawlError("page not published (test)"))
    scheduler.item_error({}, Response(URL, request=request), failure=failure)
    if not done_first:
        frontier.done(URL)
    assert frontier.unpublished_keys() == [URL]


def test_a_page_done_then_refused_waits_for_redis(frontier: SharedFrontier, client: redis.Redis) -> None:
    scheduler, stats = scheduler_for(frontier)
    fetched_then_refused(scheduler, client, done_first=True)
    assert inflight(client, frontier) == {}  # done() was accepted (HDEL frees memory)
    for _ in range(3):  # idle checks while Redis is full: the worker stays open, the page kept
        with pytest.raises(DontCloseSpider):
            scheduler.spider_idle()
    assert frontier.unpublished_keys() == [URL]
    client.config_set("maxmemory", 0)
    with pytest.raises(DontCloseSpider):
        scheduler.spider_idle()  # re-queued now
    assert frontier.unpublished_keys() == [] and frontier.queued() == 1
    assert stats["distributed/publish_requeued"] == 1
    again = scheduler.next_request()
    assert again is not None and again.url == URL
    frontier.done(URL)
    scheduler.spider_idle()  # the crawl is finished: the worker may close
    assert frontier.finished() and inflight(client, frontier) == {}


def test_a_page_done_then_refused_is_logged_lost_at_close(frontier: SharedFrontier, client: redis.Redis,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    scheduler, stats = scheduler_for(frontier)
    fetched_then_refused(scheduler, client, done_first=True)
    with caplog.at_level(logging.WARNING, logger="crawler.distributed.scheduler"):
        scheduler.close("shutdown")  # stopped while Redis is still full
    lost = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR and "lost" in r.getMessage()]
    assert len(lost) == 1 and URL in lost[0]
    assert stats["distributed/lost"] == 1


def test_a_page_refused_then_done_stays_in_flight(frontier: SharedFrontier, client: redis.Redis,
                                                 redis_server: RedisServer) -> None:
    scheduler, stats = scheduler_for(frontier)
    fetched_then_refused(scheduler, client, done_first=False)
    with pytest.raises(DontCloseSpider):
        scheduler.spider_idle()
    assert frontier.forget_own() == 0  # the entry of a page waiting to be re-queued is kept
    assert list(inflight(client, frontier)) == [URL.encode()]
    scheduler.close("shutdown")  # not lost: its entry goes back like any in-flight request's
    assert stats["distributed/lost"] == 0
    client.config_set("maxmemory", 0)
    other = SharedFrontier(redis_server.url, lease_seconds=5)
    try:
        assert other.reap() == 1  # another worker (or this one restarted) reaps the stopped one
        assert pop(other)[0] == URL
    finally:
        other.close()


def test_worker_refetches_the_page_whose_publish_failed(redis_server: RedisServer, client: redis.Redis,
                                                       corpus_records: list[dict[str, Any]],
                                                       make_farm: Any, crawl_run: Any) -> None:
    farm: Farm = make_farm(corpus_records, hostile=False)
    run = crawl_run(farm)
    failing = corpus_records[1]["url"]
    env = run.env(SDC_REDIS_URL=redis_server.url, SDC_TEST_FAIL_URL=failing)
    command = [sys.executable, "-c", ONCE_FAILING_WORKER, *run.command("--worker")[3:]]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the crawl did not finish in {TIMEOUT} s after one failed publish")
    assert done.returncode == 0, done.stderr[-3000:]

    entries = client.xrange("sdc:pages")
    published = Counter(orjson.loads(fields[b"doc"])["url"] for _, fields in entries
                        if fields[b"op"] == b"add")
    assert [url for url, n in published.items() if n > 1] == []
    assert {r["url"] for r in farm.records} <= set(published)
    assert published[failing] == 1
    parts = urlsplit(failing)
    fetched = [r for r in farm.requests
               if r.host == parts.hostname and r.path == parts.path and r.status < 500]
    assert len(fetched) == 2  # the failed publish, then the fetch after the re-queue

    assert client.exists(f"{PREFIX}finished")
    assert list(client.scan_iter(match=f"{PREFIX}inflight:*")) == []
    assert int(client.get(f"{PREFIX}queued") or 0) == 0
    assert client.hgetall(f"{PREFIX}publish_failures") == {failing.encode(): b"1"}
    assert not client.exists(f"{PREFIX}unpublished")
    stats = run.stats
    assert stats["stream/failed"] == 1 and stats["distributed/publish_requeued"] == 1
    assert stats["stream/published"] == sum(published.values())
