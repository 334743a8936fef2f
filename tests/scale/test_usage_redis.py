"""Usage statistics in Redis: shared by workers and machines, exact, durable, never a URL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from service.usage import UsageCounter, current_month, open_usage_counter
from service.usage_redis import RedisUsageCounter
from tests.scale.redis_server import RedisServer
from tests.served import start_service, stop_service

URLS = ["https://www.impots.gouv.fr/particulier/F1234?secret=1",
        "https://www.example.com/private/page", "https://www.sorbonne.edu/pages/x"]


def test_factory_picks_redis_only_when_configured(tmp_path: Path, redis_url: str) -> None:
    assert isinstance(open_usage_counter(tmp_path), UsageCounter)
    counter = open_usage_counter(tmp_path, redis_url)
    assert isinstance(counter, RedisUsageCounter)
    counter.close()


def test_workers_add_up_exactly(redis_url: str) -> None:
    workers = [RedisUsageCounter(redis_url) for _ in range(3)]

    def hammer(counter: RedisUsageCounter) -> None:
        for i in range(2000):
            counter.record(5, i % 2)
            if i % 100 == 0:
                counter.flush()

    threads = [threading.Thread(target=hammer, args=(w,)) for w in workers for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for worker in workers:
        worker.flush()
    snap = RedisUsageCounter(redis_url).snapshot()
    assert (snap.classified_total, snap.trusted_total) == (3 * 2 * 2000 * 5, 3 * 2 * 1000)
    assert (snap.classified_this_month, snap.trusted_this_month) == (60_000, 6_000)
    assert snap.month == current_month()
    for worker in workers:
        worker.close()


def test_totals_survive_service_and_redis_restarts(redis_server: RedisServer, redis_url: str) -> None:
    counter = RedisUsageCounter(redis_url)
    counter.record(7, 3)
    counter.close()  # a worker stopping flushes its buffer
    redis_server.restart()  # append-only file replayed
    again = RedisUsageCounter(redis_url)
    snap = again.snapshot()
    assert (snap.classified_total, snap.trusted_total) == (7, 3)
    again.close()


def test_redis_down_loses_nothing_and_stats_still_answer(redis_server: RedisServer,
                                                         redis_url: str) -> None:
    counter = RedisUsageCounter(redis_url)
    counter.record(10, 4)
    assert counter.snapshot().classified_total == 10
    redis_server.stop()
    counter.record(5, 5)
    with pytest.raises(redis.RedisError):
        counter.flush()
    stale = counter.snapshot()  # no exception: last figures read plus this worker's buffer
    assert (stale.classified_total, stale.trusted_total) == (15, 9)
    redis_server.start()
    counter.flush()
    fresh = RedisUsageCounter(redis_url).snapshot()
    assert (fresh.classified_total, fresh.trusted_total) == (15, 9)
    counter.close()


def test_two_services_share_the_figures_and_store_no_url(tmp_path: Path, redis_url: str,
                                                         redis_client: redis.Redis) -> None:
    """Two apps with separate data directories (two machines) see one set of figures."""
    apps = [create_app(Settings(data_dir=tmp_path / name, redis_url=redis_url)) for name in ("a", "b")]
    with TestClient(apps[0]) as first, TestClient(apps[1]) as second:
        answer = first.post("/api/classify", json={"urls": URLS})
        assert answer.status_code == 200
        trusted = sum(item["trusted"] for item in answer.json()["results"])
        assert second.get("/api/classify", params={"url": URLS[0]}).status_code == 200
        for client in (second, first):  # the other worker flushes within about a second
            stats = _stats_when(client, lambda s: s["classified_total"] == 4)
            assert stats["trusted_total"] == trusted + 1
    for name in ("a", "b"):  # the SQLite store stayed unused
        assert not (tmp_path / name / UsageCounter.FILENAME).exists()
    stored = b" ".join([key + b" " + b" ".join(k + b" " + v for k, v in redis_client.hgetall(key).items())
                        for key in redis_client.keys("*")])
    assert stored  # the counters are there...
    for url in URLS:  # ...and nothing of what was classified
        for fragment in (url, url.split("/")[2], "impots", "example", "secret"):
            assert fragment.encode() not in stored


def _stats_when(client: TestClient, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + 60  # generous: the background flush runs every second
    while True:
        stats: dict[str, Any] = client.get("/api/stats").json()["classified"]
        if done(stats) or time.monotonic() > deadline:
            return stats
        time.sleep(0.2)


def test_serve_workers_share_redis_counters_across_restarts(tmp_path: Path, redis_url: str) -> None:
    """``sdc serve --workers 2`` on two "machines" (data dirs), one Redis; then a restart."""
    url = {"urls": ["https://www.impots.gouv.fr/"] * 5}
    one, base_one = start_service(tmp_path / "one", "--workers", "2", "--no-access-log",
                                  SDC_REDIS_URL=redis_url)
    try:
        two, base_two = start_service(tmp_path / "two", "--no-access-log", SDC_REDIS_URL=redis_url)
        try:
            for base in [base_one] * 20 + [base_two] * 4:  # new connections spread over the workers
                with httpx.Client() as client:
                    assert client.post(f"{base}/api/classify", json=url).status_code == 200
            for base in (base_one, base_two):
                usage = _served_stats_when(base, lambda s: s["classified_total"] >= 120)
                assert (usage["classified_total"], usage["trusted_total"]) == (120, 120)
        finally:
            stop_service(two)
    finally:
        stop_service(one)
    again, base = start_service(tmp_path / "three", "--no-access-log", SDC_REDIS_URL=redis_url)
    try:
        usage = httpx.get(f"{base}/api/stats").json()["classified"]
        assert (usage["classified_total"], usage["classified_this_month"]) == (120, 120)
    finally:
        stop_service(again)


def _served_stats_when(base: str, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        stats: dict[str, Any] = httpx.get(f"{base}/api/stats", timeout=10).json()["classified"]
        if done(stats) or time.monotonic() > deadline:
            return stats
        time.sleep(0.2)


def test_service_keeps_answering_while_redis_is_down(tmp_path: Path, redis_server: RedisServer,
                                                     redis_url: str) -> None:
    app = create_app(Settings(data_dir=tmp_path, redis_url=redis_url))
    with TestClient(app) as client:
        assert client.post("/api/classify", json={"urls": URLS}).status_code == 200
        assert client.get("/api/stats").json()["classified"]["classified_total"] == 3
        redis_server.stop()
        try:
            assert client.post("/api/classify", json={"urls": URLS}).status_code == 200
            stats = client.get("/api/stats")  # the last figures known plus this worker's buffer
            assert stats.status_code == 200 and stats.json()["classified"]["classified_total"] == 6
        finally:
            redis_server.start()
        assert _stats_when(client, lambda s: s["classified_total"] == 6)["classified_total"] == 6
    assert RedisUsageCounter(redis_url).snapshot().classified_total == 6  # the buffer went out
