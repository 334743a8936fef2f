"""The extension's endpoints: the trust list with ETag, and CORS on the API."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from service.settings import Settings
from service.app import create_app
from sources import Registry


def test_trustlist_is_served_with_an_etag(tmp_path) -> None:
    with Registry(tmp_path) as registry:
        registry.allow("mairie-exemple.fr", reason="test", category="commune")
    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app) as client:
        first = client.get("/extension/trustlist.json")
        assert first.status_code == 200
        document = first.json()
        assert document["sha256"] and document["version"] and json.loads(document["payload"])
        etag = first.headers["etag"]
        again = client.get("/extension/trustlist.json", headers={"If-None-Match": etag})
        assert again.status_code == 304


def test_the_api_answers_cross_origin_requests_from_the_extension(tmp_path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    with TestClient(app) as client:
        preflight = client.options("/api/classify", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] in {"*", origin}
        answer = client.post("/api/classify", json={"urls": ["https://www.gouv.fr/"]},
                             headers={"Origin": origin})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] in {"*", origin}
        assert answer.json()["results"][0]["trusted"] is True


def test_a_lone_surrogate_is_a_4xx_not_a_500(tmp_path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app) as client:
        answer = client.post("/api/classify", content=b'{"urls":["https://caf.fr/\\ud800"]}',
                             headers={"Content-Type": "application/json"})
        assert answer.status_code < 500


def test_an_oversized_body_is_refused_with_413(tmp_path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    with TestClient(app) as client:
        big = b'{"urls": ["' + b"a" * (11 * 1024 * 1024) + b'"]}'
        for path in ("/api/classify", "/api/rerank"):
            answer = client.post(path, content=big, headers={"Content-Type": "application/json"})
            assert answer.status_code == 413
            assert "detail" in answer.json()


def test_access_logs_carry_no_looked_up_host() -> None:
    import logging

    from service.logs import StripQueryFilter

    record = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("1.2.3.4", "GET", "/api/sources/mairie-secrete.fr?x=1", "1.1", 200), None)
    StripQueryFilter().filter(record)
    assert "mairie-secrete" not in record.getMessage() and "1.2.3.4" not in record.getMessage()
