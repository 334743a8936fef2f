"""Fixtures of the ranking tests: small classifiers, the engines' result lists, and a
loopback stand-in that speaks SearXNG's and Marginalia's documented JSON."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ranking import EngineResult, TrustTable
from sources import Category, Classifier, Entry

DATA = Path(__file__).parent / "data"
SERP = Path(__file__).resolve().parents[1] / "fixtures" / "serp"


@pytest.fixture(scope="session")
def small_classifier() -> Classifier:
    """Built-in zones plus a few listed hosts and one curator deny."""
    return Classifier(
        [Entry("service-public.fr", Category.AUTRE_PUBLIC, "Service-Public.fr", "test", "listed"),
         Entry("caf.fr", Category.AUTRE_PUBLIC, "Caf", "test", "listed"),
         Entry("paris.fr", Category.COMMUNE, "Ville de Paris", "test", "listed"),
         Entry("insee.fr", Category.AUTRE_PUBLIC, "Insee", "test", "listed")],
        denies=[Entry("impots-gouv-remboursement.fr", None, None, "curator:deny",
                      "denied by a curator: phishing")],
    )


@pytest.fixture()
def table(small_classifier: Classifier) -> TrustTable:
    return TrustTable(small_classifier)


@pytest.fixture(scope="session")
def serps() -> dict[str, list[EngineResult]]:
    """Each engine result page of tests/fixtures/serp, by file name."""
    found = {path.stem: [EngineResult(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
             for path in sorted(SERP.glob("*.json"))}
    assert len(found) >= 6
    return found


class _StandIn(BaseHTTPRequestHandler):
    """``/<behaviour>/search``: ``ok`` answers the recorded body of the provider
    named by the query string's shape, other behaviours fail the documented ways."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        behaviour = parts.path.strip("/").split("/")[0]
        params = parse_qs(parts.query)
        self.server.requests.append((parts.path, params, dict(self.headers)))  # type: ignore[attr-defined]
        if behaviour == "slow":
            time.sleep(0.6)
        if behaviour == "429":
            return self._send(429, b'{"error": "Too Many Requests"}', {"Retry-After": "30"})
        if behaviour == "500":
            return self._send(500, b"Internal Server Error", {}, "text/plain")
        if behaviour == "403":
            return self._send(403, b"Forbidden", {}, "text/plain")
        if behaviour == "html":
            return self._send(200, b"<html><body>Search</body></html>", {}, "text/html")
        if behaviour == "foreign":
            return self._send(200, b'{"items": []}', {})
        if behaviour == "captcha":
            body = {"query": "q", "number_of_results": 0, "results": [],
                    "unresponsive_engines": [["google", "CAPTCHA"], ["bing", "timeout"]]}
            return self._send(200, json.dumps(body).encode(), {})
        if "format" in params:  # SearXNG: ?q=...&format=json
            if params["format"] != ["json"]:
                return self._send(403, b"Forbidden", {}, "text/plain")
            return self._send(200, (DATA / "searxng-search.json").read_bytes(), {})
        if "query" in params:  # Marginalia: ?query=... with the API-Key header
            if not self.headers.get("API-Key"):
                return self._send(401, b'{"error": "missing API key"}', {})
            return self._send(200, (DATA / "marginalia-search.json").read_bytes(), {})
        return self._send(404, b"{}", {})

    def _send(self, status: int, body: bytes, headers: dict[str, str],
              content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that timed out and hung up (the timeout tests) is expected


@pytest.fixture()
def standin() -> Iterator[ThreadingHTTPServer]:
    """A stand-in upstream on 127.0.0.1, started and stopped by the test."""
    server = _Server(("127.0.0.1", 0), _StandIn)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def base_url(server: ThreadingHTTPServer, behaviour: str = "ok") -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/{behaviour}"


@pytest.fixture()
def upstream(standin: ThreadingHTTPServer):  # type: ignore[no-untyped-def]
    """``upstream("429")`` is the stand-in's base URL for that behaviour."""
    return lambda behaviour="ok": base_url(standin, behaviour)
