"""Bounded work per request (issue 14) and hits checked against the current registry (issue 13),
in-process: the heavy-work bound, HEAD, the served-hit check on every route that shows hits."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.errors import Busy
from service.heavy import HeavyLimiter
from sources import Registry


def test_the_heavy_bound_queues_then_refuses_with_busy() -> None:
    limiter = HeavyLimiter(limit=1, queue=1, wait=5.0)
    release = threading.Event()

    async def scenario() -> list[object]:
        first = asyncio.create_task(limiter.run(release.wait, 10))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(limiter.run(lambda: "second"))  # waits for the slot
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):  # the queue is full: refused at once
            await limiter.run(lambda: "third")
        release.set()
        return [await first, await second]

    assert asyncio.run(scenario()) == [True, "second"]
    assert limiter.refused == 1


def test_the_heavy_queue_is_bounded_in_bytes_of_waiting_bodies() -> None:
    limiter = HeavyLimiter(limit=1, queue=10, wait=5.0, queue_bytes=1000)
    release = threading.Event()

    async def scenario() -> str:
        first = asyncio.create_task(limiter.run(release.wait, 10))
        await asyncio.sleep(0.05)
        waiting = asyncio.create_task(limiter.run_sized(800, lambda: "small"))
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):  # 800 + 300 bytes of bodies would wait: refused at once
            await limiter.run_sized(300, lambda: "too much")
        release.set()
        await first
        return await waiting

    assert asyncio.run(scenario()) == "small"


def test_a_busy_worker_answers_503_with_retry_after(writable_data: Path, make_settings) -> None:
    app = create_app(make_settings(writable_data))
    with TestClient(app) as client:
        app.state.sdc.heavy = app.state.sdc.bulky = _Refusing()  # every slot taken, the queues full
        answer = client.get("/api/search", params={"q": "allocations"})
        assert answer.status_code == 503 and answer.headers["retry-after"] == "1"
        assert "busy" in answer.json()["detail"]
        assert client.get("/recherche", params={"q": "allocations"}).status_code == 503
        big = client.post("/api/classify", json={"urls": ["https://www.caf.fr/" + "a" * 7000] * 20})
        assert big.status_code == 503 and big.headers["retry-after"] == "1"
        small = client.post("/api/classify", json={"urls": ["https://www.caf.fr/"]})
        assert small.status_code == 200  # the extension's batches stay on the loop
        assert client.get("/healthz").status_code == 200  # never behind the bound
        assert client.get("/api/suggest", params={"q": "allo"}).json() == ["allo", []]


def test_large_bodies_wait_in_their_own_lane_not_for_a_search_slot(writable_data: Path,
                                                                   make_settings) -> None:
    app = create_app(make_settings(writable_data))
    with TestClient(app) as client:
        state = app.state.sdc
        state.bulky = _Refusing()  # the bulky lane full: large bodies refused, searches served
        big = {"urls": ["https://www.caf.fr/" + "a" * 7000] * 20}
        assert client.post("/api/classify", json=big).status_code == 503
        many = {"results": [{"url": f"https://www.caf.fr/{i}" + "a" * 500, "engine": "x", "position": i}
                            for i in range(1, 200)]}
        assert client.post("/api/rerank", json=many).status_code == 503
        assert client.get("/api/search", params={"q": "allocations"}).status_code == 200
        state.heavy, state.bulky = _Refusing(), HeavyLimiter()  # the search lane full instead
        assert client.post("/api/classify", json=big).status_code == 200
        assert client.get("/api/search", params={"q": "allocations"}).status_code == 503


class _Refusing(HeavyLimiter):
    async def run_sized(self, size, work, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        raise Busy(1)


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    for path in ("/", "/recherche?q=allocations", "/api/search?q=allocations", "/healthz",
                 "/opensearch.xml", "/api/stats", "/metrics"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"] or path in (
            "/api/search?q=allocations", "/api/stats", "/metrics", "/recherche?q=allocations")
        assert head.headers["content-type"] == get.headers["content-type"]
    assert client.head("/api/search").status_code == 422


def test_a_denied_host_disappears_from_every_answer(curator_client: TestClient,
                                                    writable_data: Path) -> None:
    def urls() -> dict[str, list[str]]:
        api = curator_client.get("/api/search", params={"q": "allocations familiales", "limit": 50})
        page = curator_client.get("/recherche", params={"q": "allocations familiales"}).text
        merged = curator_client.post("/api/rerank", json={"query": "allocations familiales",
                                                          "mode": "merge", "results": []})
        return {"api": [h["url"] for h in api.json()["results"]],
                "page": ["www.caf.fr/pages" in page],  # type: ignore[list-item]
                "merge": [r["url"] for r in merged.json()["results"]]}

    before = urls()
    assert any("www.caf.fr" in u for u in before["api"]) and before["page"] == [True]
    assert any("www.caf.fr" in u for u in before["merge"])
    # another worker (here: another process's registry handle) denies it: this one notices
    with Registry(writable_data) as registry:
        registry.deny("www.caf.fr", "test: delisted")
    deadline = time.monotonic() + 10
    while curator_client.app.state.sdc.classifier.classify("https://www.caf.fr/").verdict.trusted:
        assert time.monotonic() < deadline, "the registry change was not noticed"
        time.sleep(0.1)
    after = urls()
    assert not any("www.caf.fr" in u for u in after["api"])
    assert after["page"] == [False]
    assert not any("www.caf.fr" in u for u in after["merge"])
    total = curator_client.get("/api/search", params={"q": "allocations familiales"}).json()["total"]
    assert total < curator_client.app.state.sdc.searcher().search("allocations familiales").total


def test_healthz_reads_no_index_or_registry(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    state = client.app.state.sdc

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("healthz touched the index")

    monkeypatch.setattr(state, "searcher", forbidden)
    monkeypatch.setattr(state, "open_registry", forbidden)
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json()["index"]["loaded"]


def test_the_api_paging_limits_stay_within_the_index_librarys_hard_bounds() -> None:
    # a page the API accepts must be served as asked, never silently clamped by the library
    from index import searcher
    from service import models

    assert 1 <= models.API_MAX_PAGE <= searcher.MAX_PAGE
    assert 1 <= models.API_MAX_LIMIT <= searcher.MAX_LIMIT
