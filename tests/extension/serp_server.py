"""A loopback HTTPS server standing in for the engines and the configured service.

Chromium is started with ``--host-resolver-rules`` mapping each engine's real
host (``www.google.fr``...) and the service's host to this server, so the saved
pages load at their real URLs.  Every request is recorded with its Host header:
the end-to-end test checks that nothing else was asked for.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def make_certificate(folder: Path, hosts: list[str]) -> tuple[Path, Path]:
    """A self-signed certificate for ``hosts`` (Chromium runs with --ignore-certificate-errors)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    names = ",".join(f"DNS:{h}" for h in hosts)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=sdc-e2e", "-addext", f"subjectAltName={names}"],
        check=True, capture_output=True,
    )
    return cert, key


class SerpServer:
    """``pages``: host -> HTML; ``service_host`` answers /extension/trustlist.json and /api/classify."""

    def __init__(self, folder: Path, pages: dict[str, str], service_host: str, trustlist: dict[str, Any],
                 classify: Callable[[str], dict[str, Any]],
                 documents: dict[str, tuple[bytes, dict[str, str]]] | None = None) -> None:
        self.pages = dict(pages)
        #: "host/path?query" -> (body, extra headers): several saved pages on one host
        self.documents = dict(documents or {})
        self.classify = classify
        self.classified: list[str] = []
        self.service_host = service_host
        self.trustlist = json.dumps(trustlist).encode()
        self.requests: list[tuple[str, str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _answer(self, status: int, body: bytes, content_type: str,
                        headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                host = (self.headers.get("Host") or "").split(":")[0]
                server.requests.append(("GET", host, self.path))
                if f"{host}{self.path}" in server.documents:
                    body, headers = server.documents[f"{host}{self.path}"]
                    self._answer(200, body, headers.get("Content-Type", "text/html"),
                                 {k: v for k, v in headers.items() if k != "Content-Type"})
                elif host == server.service_host and self.path.startswith("/extension/trustlist.json"):
                    self._answer(200, server.trustlist, "application/json")
                elif host in server.pages and not self.path.startswith("/favicon"):
                    self._answer(200, server.pages[host].encode(), "text/html; charset=utf-8")
                else:
                    self._answer(404, b"not found", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                host = (self.headers.get("Host") or "").split(":")[0]
                server.requests.append(("POST", host, self.path))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if host == server.service_host and self.path == "/api/classify":
                    urls = json.loads(body)["urls"]
                    server.classified += urls
                    answer = {"results": [server.classify(url) for url in urls]}
                    self._answer(200, json.dumps(answer).encode(), "application/json")
                else:
                    self._answer(404, b"not found", "text/plain")

        hosts = {*pages, *(name.split("/")[0] for name in self.documents), service_host}
        cert, key = make_certificate(folder, sorted(hosts))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # a browser that drops a connection mid-answer (a page left early) is no error of ours
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SerpServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
