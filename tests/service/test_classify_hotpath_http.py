"""``POST /api/classify`` over real HTTP (``sdc serve`` on loopback): bodies, headers, the
body cap by length and by a chunked upload, metrics and usage counts."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient

from service.bodies import MAX_BODY_BYTES
from tests.served import start_service, stop_service
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

# -- over real HTTP ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(pristine_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("hotpath-served") / "data"
    shutil.copytree(pristine_data, data_dir)
    for leftover in data_dir.glob("usage.sqlite3*"):
        leftover.unlink()
    process, base = start_service(data_dir, "--no-access-log")
    yield base
    stop_service(process)


def test_http_answers_as_the_stack(served: str, stack_client: TestClient) -> None:
    with httpx.Client(base_url=served) as http:
        for name, body in [*GOOD_BODIES.items(), *((n, b) for n, (b, _) in BAD_BODIES.items())]:
            for extra in ({}, ORIGIN):
                headers = {"content-type": "application/json", **extra}
                hot = http.post(ROUTE, content=body, headers=headers)
                stack = stack_client.post(ROUTE, content=body, headers=headers)
                assert (hot.status_code, hot.content) == (stack.status_code, stack.content), name
                assert headers_of(hot) == headers_of(stack), name


def test_http_body_cap_by_length_and_by_chunks(served: str) -> None:
    over = b'{"urls": ["' + b"x" * (MAX_BODY_BYTES - 13) + b'"]}'

    def chunks() -> Iterator[bytes]:  # no Content-Length: Transfer-Encoding: chunked
        sent = 0
        while sent <= MAX_BODY_BYTES:
            sent += 256 * 1024
            yield b" " * (256 * 1024)

    with httpx.Client(base_url=served, timeout=60) as http:
        declared = http.post(ROUTE, content=over, headers=ORIGIN)
        assert declared.status_code == 413 and declared.json() == TOO_LARGE
        assert declared.headers["access-control-allow-origin"] == "*"
        assert declared.headers["content-security-policy"]
        chunked = http.post(ROUTE, content=chunks(), headers={"content-type": "application/json"})
        assert chunked.status_code == 413 and chunked.json() == TOO_LARGE
        assert chunked.headers["vary"] == "Origin"
        # the same client goes on (a new connection if the server closed the old one)
        assert http.post(ROUTE, json={"urls": ["https://www.lyon.fr/"]}).status_code == 200


def test_http_small_chunked_body_and_keep_alive(served: str) -> None:
    body = orjson.dumps({"urls": SAMPLE})
    with httpx.Client(base_url=served) as http:
        whole = http.post(ROUTE, content=body)
        pieces = http.post(ROUTE, content=iter([body[i:i + 5] for i in range(0, len(body), 5)]))
        bad = http.post(ROUTE, content=b"{")
        after = http.post(ROUTE, content=body)
    assert whole.status_code == pieces.status_code == after.status_code == 200
    assert pieces.content == whole.content == after.content
    assert bad.status_code == 422


def test_http_metrics_and_usage(served: str) -> None:
    with httpx.Client(base_url=served) as http:
        before_urls = metric(http, "sdc_urls_classified_total")
        before_trusted = metric(http, "sdc_urls_trusted_total")
        before_ok = metric(http, "sdc_http_requests_total", method="POST", route=ROUTE, status="200")
        before_bad = metric(http, "sdc_http_requests_total", method="POST", route=ROUTE, status="422")
        stats = http.get("/api/stats").json()["classified"]["classified_total"]
        for _ in range(5):
            assert http.post(ROUTE, json={"urls": ["https://www.lyon.fr/", "https://nope.example/"]}
                             ).status_code == 200
        assert http.post(ROUTE, content=b"[").status_code == 422
        assert metric(http, "sdc_urls_classified_total") - before_urls == 10
        assert metric(http, "sdc_urls_trusted_total") - before_trusted == 5
        assert metric(http, "sdc_http_requests_total", method="POST", route=ROUTE, status="200") \
            - before_ok == 5
        assert metric(http, "sdc_http_requests_total", method="POST", route=ROUTE, status="422") \
            - before_bad == 1
        deadline = time.monotonic() + 15
        while True:
            usage = http.get("/api/stats").json()["classified"]
            if usage["classified_total"] - stats >= 10 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert usage["classified_total"] - stats == 10


def test_http_preflight_and_fastapi_routes(served: str) -> None:
    with httpx.Client(base_url=served) as http:
        preflight = http.options(ROUTE, headers={**ORIGIN, "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]
        one = http.get(ROUTE, params={"url": "https://www.lyon.fr/"})
        assert one.status_code == 200 and one.json()["trusted"] is True
        slash = http.post(ROUTE + "/", json={"urls": []})
        assert slash.status_code == 200 and slash.json() == {"results": []}
