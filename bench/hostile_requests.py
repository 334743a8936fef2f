"""The hostile requests of issue 14, and the thread that sends one of each kind a second.

Each kind is one request built to cost the server (an 8 MB classify of 4,000-label hosts,
bodies of 50 and 200 MB, half bodies and half headers left open, a header flood, a JSON
nesting bomb...); its figure is the status answered, 0 when the server closed the
connection.  ``bench_hostile`` runs an :class:`Attacker` beside the normal traffic.
"""

from __future__ import annotations

import concurrent.futures
import json
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator

import httpx
import orjson

#: the curator token the server under attack is started with: the import kind gets past authorisation
TOKEN = "bench-curator-token"
MB = 1024 * 1024
LONG_HOST = ".".join(["a"] * 3990) + ".gouv.fr"


def _open(base: str, data: bytes) -> socket.socket:
    """A connection that sent ``data`` and is left open: the server's deadlines close it."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(data)
    return sock


def _raw(base: str, data: bytes) -> int:
    """The status answered to ``data`` sent as is (0: closed without an answer)."""
    sock = _open(base, data)
    try:
        head = sock.recv(4096)
        return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    finally:
        sock.close()


def _stream(size: int) -> Iterator[bytes]:
    block = b"x" * MB
    for _ in range(size // MB):
        yield block


def hostile_kinds(base: str) -> dict[str, Callable[[], int]]:
    """Each kind: one request; returns its status (0: the server closed the connection)."""
    client = httpx.Client(base_url=base, timeout=60)
    long_hosts = orjson.dumps({"urls": [f"https://{LONG_HOST}/{i}" for i in range(1000)]})
    nesting = b'{"urls": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    auth = {"authorization": f"Bearer {TOKEN}"}
    held: list[socket.socket] = []

    def post(path: str, content: object, headers: dict[str, str] | None = None) -> int:
        try:
            return client.post(path, content=content,  # type: ignore[arg-type]
                               headers={"content-type": "application/json", **(headers or {})}).status_code
        except httpx.TransportError:
            return 0

    def stalled(data: bytes, count: int) -> int:
        held.extend(_open(base, data) for _ in range(count))
        while len(held) > 2000:  # ours to close once the server has (deadlines: 10 s, 30 s)
            held.pop(0).close()
        return 0

    return {
        "classify 1,000 URLs of 4,000-label hosts (8 MB)": lambda: post("/api/classify", long_hosts),
        "curator route, 50 MB body, no token": lambda: post("/api/curator/allow", _stream(50 * MB)),
        "curator import of /dev/zero": lambda: post("/api/curator/import", json.dumps(
            {"kind": "list", "location": "/dev/zero", "category": "commune", "origin": "x"}), auth),
        "search hitting a 50 MB page": lambda: client.get(
            "/api/search", params={"q": "gigantesque allocations"}).status_code,
        "5 half bodies left open": lambda: stalled(
            b"POST /api/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{", 5),
        "20 half headers left open": lambda: stalled(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-a: ", 20),
        "forged Host on /opensearch.xml": lambda: client.get(
            "/opensearch.xml", headers={"host": "evil.example"}).status_code,
        "HEAD /api/search": lambda: client.head("/api/search", params={"q": "carte"}).status_code,
        "rerank position false": lambda: post("/api/rerank", json.dumps(
            {"results": [{"url": "https://www.paris.fr/", "position": False}]})),
        "60 KB query string": lambda: client.get("/api/search", params={"q": "a" * 60_000}).status_code,
        "header flood (200 headers)": lambda: _raw(base, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(
            b"X-%d: v\r\n" % i for i in range(200)) + b"\r\n"),
        "JSON nesting bomb": lambda: post("/api/classify", nesting),
        "200 MB body to /api/rerank": lambda: post("/api/rerank", _stream(200 * MB)),
    }


def _chosen(kinds: dict[str, Callable[[], int]], spec: str) -> dict[str, Callable[[], int]]:
    """The hostile kinds named by ``--attacks``: ``all``, ``none``, or words of their names
    separated by commas (``--attacks "8 MB,50 MB page"``)."""
    if spec == "all":
        return kinds
    words = [w.strip().lower() for w in spec.split(",") if w.strip() and spec != "none"]
    return {name: kind for name, kind in kinds.items() if any(w in name.lower() for w in words)}


class Attacker(threading.Thread):
    """Every second, one request of each kind (a kind still running from the last second is skipped)."""

    def __init__(self, base: str, spec: str = "all") -> None:
        super().__init__(daemon=True)
        self.kinds = _chosen(hostile_kinds(base), spec)
        self.statuses: dict[str, Counter[int]] = {k: Counter() for k in self.kinds}
        self.skipped: Counter[str] = Counter()
        self.stopped = threading.Event()

    def run(self) -> None:
        running: dict[str, concurrent.futures.Future[int]] = {}
        with concurrent.futures.ThreadPoolExecutor(max(1, len(self.kinds))) as pool:
            while not self.stopped.wait(1.0):
                for name, attack in self.kinds.items():
                    previous = running.get(name)
                    if previous is not None and not previous.done():
                        self.skipped[name] += 1
                        continue
                    if previous is not None:
                        self._record(name, previous)
                    running[name] = pool.submit(attack)
            for name, future in running.items():
                self._record(name, future)

    def _record(self, name: str, future: concurrent.futures.Future[int]) -> None:
        try:
            self.statuses[name][future.result()] += 1
        except Exception as exc:  # noqa: BLE001 - a client-side failure is a figure too
            self.statuses[name][-1] += 1
            print(f"  {name}: {type(exc).__name__}: {exc}", flush=True)
