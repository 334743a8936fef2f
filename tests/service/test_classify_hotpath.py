"""``POST /api/classify`` answered ahead of the middleware stack (``service/hotpath.py``).

Every answer is compared with the one the FastAPI stack gives for the same request
(the same app with ``hot_path = None``): status, body and headers.  The same over
real HTTP is in ``test_classify_hotpath_http.py``.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.bodies import MAX_BODY_BYTES
from service.models import MAX_URLS
from service.security import HEADERS
from tests.service.hotpath_support import (
    BAD_BODIES,
    GOOD_BODIES,
    ORIGIN,
    ROUTE,
    SAMPLE,
    TOO_LARGE,
    headers_of,
    metric,
)


def test_the_hot_path_is_wired(client: TestClient) -> None:
    assert client.app.hot_path is not None


@pytest.mark.parametrize("origin", [False, True], ids=["no-origin", "origin"])
@pytest.mark.parametrize("name", [*GOOD_BODIES, *BAD_BODIES])
def test_same_answer_as_the_stack(client: TestClient, stack_client: TestClient, name: str,
                                  origin: bool) -> None:
    body = GOOD_BODIES[name] if name in GOOD_BODIES else BAD_BODIES[name][0]
    headers = {"content-type": "application/json", **(ORIGIN if origin else {})}
    hot = client.post(ROUTE, content=body, headers=headers)
    stack = stack_client.post(ROUTE, content=body, headers=headers)
    assert (hot.status_code, hot.content) == (stack.status_code, stack.content)
    assert headers_of(hot) == headers_of(stack)
    assert hot.status_code == (200 if name in GOOD_BODIES else 422)


def test_results_are_the_classifier_s(client: TestClient) -> None:
    classifier = client.app.state.sdc.classifier
    response = client.post(ROUTE, json={"urls": SAMPLE})
    assert response.status_code == 200
    assert response.content == orjson.dumps({"results": [classifier.classify(u).to_dict() for u in SAMPLE]})
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)


def test_security_and_cors_headers(client: TestClient) -> None:
    plain = client.post(ROUTE, json={"urls": ["https://www.lyon.fr/"]})
    for name, value in HEADERS:
        assert plain.headers[name.decode()] == value.decode()
    assert "default-src 'none'" in plain.headers["content-security-policy"]
    assert plain.headers["vary"] == "Origin"
    assert "access-control-allow-origin" not in plain.headers
    cors = client.post(ROUTE, json={"urls": ["https://www.lyon.fr/"]}, headers=ORIGIN)
    assert cors.headers["vary"] == "Origin"
    assert cors.headers["access-control-allow-origin"] == "*"
    assert cors.headers["access-control-expose-headers"] == "ETag"
    bad = client.post(ROUTE, content=b"{", headers=ORIGIN)
    assert bad.status_code == 422 and bad.headers["access-control-allow-origin"] == "*"
    assert bad.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_422_names_the_problem_without_echoing_the_input(client: TestClient, name: str) -> None:
    body, problem = BAD_BODIES[name]
    response = client.post(ROUTE, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    for error in detail:
        assert set(error) == {"loc", "msg", "type"}
        assert error["loc"][0] == "body"
        assert isinstance(error["msg"], str) and error["msg"]
    assert problem in {e["type"] for e in detail}
    assert b"www.lyon.fr" not in response.content  # URLs are not sent back


def test_413_by_content_length_and_not_just_over(client: TestClient, stack_client: TestClient) -> None:
    over = b'{"urls": ["' + b"x" * (MAX_BODY_BYTES - 13) + b'"]}'
    assert len(over) == MAX_BODY_BYTES + 1
    hot = client.post(ROUTE, content=over, headers=ORIGIN)
    assert hot.status_code == 413 and hot.json() == TOO_LARGE
    assert hot.headers["access-control-allow-origin"] == "*" and hot.headers["x-content-type-options"]
    stack = stack_client.post(ROUTE, content=over, headers=ORIGIN)
    assert (stack.status_code, stack.content) == (413, hot.content)
    assert headers_of(hot) == headers_of(stack)
    at_cap = over[:9] + over[10:]  # one byte less: read, then refused by validation (URL too long)
    assert client.post(ROUTE, content=at_cap).status_code == 422


# -- the ASGI app driven by hand: streamed bodies, disconnects ---------------------------------

def call(app: Any, messages: list[dict[str, Any]], headers: list[tuple[bytes, bytes]] | None = None,
         path: str = ROUTE, root_path: str = "") -> list[dict[str, Any]]:
    """Run one request through ``app``; what it sent."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": root_path, "headers": headers or [(b"content-type", b"application/json")],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000)}
    queue = list(messages)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def test_a_body_in_many_chunks(client: TestClient) -> None:
    body = orjson.dumps({"urls": SAMPLE})
    chunks = [{"type": "http.request", "body": body[i:i + 7], "more_body": i + 7 < len(body)}
              for i in range(0, len(body), 7)]
    sent = call(client.app, chunks)
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == client.post(ROUTE, content=body).content


def test_413_by_streamed_size_without_a_length(client: TestClient) -> None:
    chunk = b"x" * (1024 * 1024)
    count = MAX_BODY_BYTES // len(chunk) + 1
    chunks = [{"type": "http.request", "body": chunk, "more_body": True} for _ in range(count)]
    sent = call(client.app, chunks)  # no Content-Length: found by counting, before the end
    assert sent[0]["status"] == 413 and orjson.loads(sent[1]["body"]) == TOO_LARGE
    exact = [{"type": "http.request", "body": b"x" * MAX_BODY_BYTES, "more_body": True},
             {"type": "http.request", "body": b"", "more_body": False}]
    assert call(client.app, exact)[0]["status"] == 422  # at the cap: read and parsed


def test_413_by_declared_length_reads_nothing(client: TestClient) -> None:
    declared = [(b"content-length", str(MAX_BODY_BYTES + 1).encode())]
    sent = call(client.app, [], headers=declared)  # a receive() would get a disconnect
    assert sent[0]["status"] == 413 and orjson.loads(sent[1]["body"]) == TOO_LARGE


@pytest.mark.parametrize("before", [0, 1], ids=["at-once", "after-a-chunk"])
def test_a_client_gone_gets_no_answer_and_counts_nothing(fresh_client: TestClient, before: int) -> None:
    app = fresh_client.app
    state = app.state.sdc
    first = [{"type": "http.request", "body": b'{"urls": ["https://www.lyon', "more_body": True}][:before]
    assert call(app, [*first, {"type": "http.disconnect"}]) == []
    assert state.metrics._counts == [0, 0]
    assert state.usage.snapshot().classified_total == 0


def test_an_internal_error_is_a_json_500(fresh_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(fresh_client.app.state.sdc, "classify_renderer", broken)
    response = fresh_client.post(ROUTE, json={"urls": ["https://www.lyon.fr/"]}, headers=ORIGIN)
    assert response.status_code == 500 and response.json() == {"detail": "internal error"}
    assert response.headers["access-control-allow-origin"] == "*" and response.headers["vary"] == "Origin"
    assert metric(fresh_client, "sdc_http_requests_total", method="POST", route=ROUTE, status="500") == 1


# -- metrics and usage ------------------------------------------------------------------------

def test_metrics_count_requests_and_urls(fresh_client: TestClient) -> None:
    urls = ["https://www.lyon.fr/", "https://www.caf.fr/a", "https://nope.example/", "pas une url"]
    for _ in range(3):
        assert fresh_client.post(ROUTE, json={"urls": urls}).status_code == 200
    assert fresh_client.post(ROUTE, content=b"{").status_code == 422
    assert fresh_client.post(ROUTE, json={"urls": ["a"] * (MAX_URLS + 1)}).status_code == 422
    assert fresh_client.get(ROUTE, params={"url": "https://www.lyon.fr/"}).status_code == 200
    requests = "sdc_http_requests_total"
    assert metric(fresh_client, requests, method="POST", route=ROUTE, status="200") == 3
    assert metric(fresh_client, requests, method="POST", route=ROUTE, status="422") == 2
    assert metric(fresh_client, requests, method="GET", route=ROUTE, status="200") == 1
    assert metric(fresh_client, "sdc_http_request_duration_seconds_count", route=ROUTE) == 6
    assert metric(fresh_client, "sdc_urls_classified_total") == 3 * 4 + 1
    assert metric(fresh_client, "sdc_urls_trusted_total") == 3 * 2 + 1
    assert metric(fresh_client, "sdc_trusted_share") == pytest.approx(7 / 13)
    text = fresh_client.get("/metrics").text
    assert "# TYPE sdc_urls_classified_total counter" in text
    assert "# TYPE sdc_trusted_share gauge" in text
    assert "lyon" not in text and "nope" not in text


def test_usage_counts_reach_the_stats_and_the_database(writable_data: Path, make_settings) -> None:
    for leftover in writable_data.glob("usage.sqlite3*"):
        leftover.unlink()
    urls = ["https://www.lyon.fr/", "https://secret.example/", "https://www.ameli.fr/x"]
    with TestClient(create_app(make_settings(writable_data))) as first:
        for _ in range(4):
            first.post(ROUTE, json={"urls": urls})
        first.post(ROUTE, content=b"{")  # refused: counts nothing
        deadline = time.monotonic() + 10  # the background task flushes about once a second
        while first.app.state.sdc.usage._buffer.peek() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not first.app.state.sdc.usage._buffer.peek()
        usage = first.get("/api/stats").json()["classified"]
    assert usage["classified_total"] == usage["classified_this_month"] == 12
    assert usage["trusted_total"] == usage["trusted_this_month"] == 8
    with TestClient(create_app(make_settings(writable_data))) as second:  # what was persisted
        assert second.get("/api/stats").json()["classified"]["classified_total"] == 12
    stored = b"".join(p.read_bytes() for p in writable_data.glob("usage.sqlite3*"))
    assert b"secret" not in stored


def test_usage_months_roll_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """The buffer keeps its month string until the month ends, then starts the next one."""
    from datetime import UTC, datetime

    from service import usage

    clock = [datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC)]

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return clock[0]

    monkeypatch.setattr(usage, "datetime", Clock)
    monkeypatch.setattr(usage, "time", type("T", (), {"time": staticmethod(lambda: clock[0].timestamp())}))
    buffer = usage.CountBuffer()
    buffer.record(2, 1)
    clock[0] = datetime(2026, 2, 1, 0, 0, 0, tzinfo=UTC)
    buffer.record(3, 3)
    clock[0] = datetime(2026, 2, 28, 23, 59, 59, tzinfo=UTC)
    buffer.record(1, 0)
    clock[0] = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    buffer.record(1, 1)
    clock[0] = datetime(2027, 1, 1, tzinfo=UTC)
    buffer.record(5, 0)
    assert buffer.take() == {"2026-01": [2, 1], "2026-02": [4, 3], "2026-12": [1, 1], "2027-01": [5, 0]}


def test_a_curator_change_reaches_the_hot_path_at_once(curator_client: TestClient) -> None:
    """A reload builds a new classifier, so a new renderer: no fragment of the old one stays."""
    auth = {"Authorization": "Bearer jeton-de-test-curateur"}  # as in conftest
    urls = ["https://www.mairie-nouvelle.fr/", "https://www.lyon.fr/x", "https://www.lyon.fr/y"]

    def trusted() -> list[bool]:
        return [r["trusted"] for r in curator_client.post(ROUTE, json={"urls": urls}).json()["results"]]

    assert trusted() == [False, True, True]  # both hosts now cached
    assert curator_client.post("/api/curator/allow", headers=auth, json={
        "host": "mairie-nouvelle.fr", "reason": "vérifiée", "category": "commune"}).status_code == 200
    assert curator_client.post("/api/curator/deny", headers=auth,
                               json={"host": "www.lyon.fr", "reason": "compromis"}).status_code == 200
    assert trusted() == [True, False, False]
    classifier = curator_client.app.state.sdc.classifier
    assert curator_client.post(ROUTE, json={"urls": urls}).content == orjson.dumps(
        {"results": [classifier.classify(u).to_dict() for u in urls]})


# -- what stays with FastAPI ----------------------------------------------------------------

def test_preflight_is_answered_by_the_cors_middleware(client: TestClient) -> None:
    response = client.options(ROUTE, headers={**ORIGIN, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "Content-Type"})
    assert response.status_code == 200
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-max-age"] == "86400"
    assert response.headers["access-control-allow-origin"] == "*"


def test_other_methods_and_paths_go_to_fastapi(client: TestClient) -> None:
    classifier = client.app.state.sdc.classifier
    one = client.get(ROUTE, params={"url": "https://www.lyon.fr/x"})
    assert one.status_code == 200 and one.json() == classifier.classify("https://www.lyon.fr/x").to_dict()
    assert one.headers["x-frame-options"] == "DENY"
    # a trailing slash is answered in place: Starlette's redirect wrote its Location from Host
    slash = client.post(ROUTE + "/", json={"urls": ["https://www.lyon.fr/"]}, follow_redirects=False,
                        headers={"Host": "evil.example"})
    assert slash.status_code == 200 and "location" not in slash.headers
    assert slash.json()["results"][0]["trusted"] is True
    page = client.get("/recherche/", params={"q": "x"}, headers={"Host": "evil.example"},
                      follow_redirects=False)
    assert page.status_code == 200 and "evil.example" not in page.text
    put = client.put(ROUTE, json={"urls": []})
    assert put.status_code == 405 and put.headers["content-security-policy"]
    assert client.get(ROUTE).status_code == 422  # no url: FastAPI's own validation
    assert client.post("/api/classifyx", json={"urls": []}).status_code == 404
    assert "/api/classify" in client.get("/api/openapi.json").json()["paths"]


def test_behind_a_proxy_with_a_root_path(built_data: Path, make_settings_module) -> None:
    """``uvicorn --root-path /sdc``: the path arrives with or without the prefix."""
    settings = make_settings_module(built_data, public_base_url="https://intranet.example.fr/sdc/")
    app = create_app(settings)
    with TestClient(app, root_path="/sdc") as proxied:
        want = proxied.post(ROUTE, json={"urls": SAMPLE})
        assert want.status_code == 200
        prefixed = proxied.post("/sdc" + ROUTE, json={"urls": SAMPLE})
        assert (prefixed.status_code, prefixed.content) == (200, want.content)
        assert prefixed.headers["vary"] == "Origin"
        assert metric(proxied, "sdc_http_requests_total", method="POST", route=ROUTE, status="200") == 2
    sent = call(app, [{"type": "http.request", "body": orjson.dumps({"urls": SAMPLE})}],
                path="/sdc" + ROUTE, root_path="/sdc")
    assert sent[0]["status"] == 200 and sent[1]["body"] == want.content
