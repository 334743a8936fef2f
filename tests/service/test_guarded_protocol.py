"""``service.server.GuardedHttpProtocol``: deadlines and head caps around uvicorn's protocol.

A real uvicorn server on loopback with short deadlines and a tiny ASGI app; the
end-to-end attacks on ``sdc serve`` are in tests/hostile.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import socket
import time
from collections.abc import Iterator

import pytest
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.server import MAX_AFTER_HEAD_BYTES, MAX_HEADERS, GuardedHttpProtocol
from tests.served import uvicorn_in_thread

DEADLINE = 0.4
BODY_DEADLINE = 3 * DEADLINE
KEEP_ALIVE = 1.0
BIG = 64 * 1024 * 1024  # an answer far larger than the socket buffers
ONE_WRITE = 6 * 1024 * 1024  # ... in one write, which takes longer than BODY_DEADLINE to read


async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    """Echoes the body's length; ``/stream`` starts its answer before reading the body, ``/slow`` takes
    longer than the header deadline to answer."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"part1-", "more_body": True})
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] == "/slow":
        await asyncio.sleep(1.5 * DEADLINE)
    if scope["path"].startswith("/one-write"):
        size = int(scope["path"].removeprefix("/one-write").strip("/") or ONE_WRITE)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * size})
        return
    if scope["path"] == "/big":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(BIG // 65536):
            await send({"type": "http.response.body", "body": b"x" * 65536, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        return
    answer = b"ok %d" % len(body)
    if scope["path"] == "/stream":
        await send({"type": "http.response.body", "body": answer})
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(answer)).encode())]})
    await send({"type": "http.response.body", "body": answer})


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    guarded = functools.partial(GuardedHttpProtocol, header_timeout=DEADLINE, body_timeout=BODY_DEADLINE)
    with uvicorn_in_thread(app, lifespan="off", timeout_keep_alive=KEEP_ALIVE, http=guarded) as running:
        yield running.port


def _exchange(port: int, data: bytes) -> bytes:
    """What the server sends back until it closes the connection (or 5 s pass)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        if data:
            sock.sendall(data)
        return _drain(sock)


def _drain(sock: socket.socket) -> bytes:
    """What ``sock`` receives until the server closes it, resets it or 5 s pass."""
    out = b""
    try:
        while chunk := sock.recv(1 << 20):
            out += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return out


def _read_until(sock: socket.socket, end: bytes) -> bytes:
    """What ``sock`` receives up to an answer ending with ``end``."""
    out = b""
    while not out.endswith(end):
        chunk = sock.recv(65536)
        assert chunk, out
        out += chunk
    return out


def _flood(sock: socket.socket, chunk: bytes, most: int = 64 * 1024 * 1024) -> int:
    """Send ``chunk`` after ``chunk`` until the server refuses more or ``most`` bytes went; how many."""
    sent = 0
    try:
        while sent < most:
            sock.sendall(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return sent


def _never_reading(port: int, request: bytes) -> socket.socket:
    """A connection that sent ``request`` with a tiny receive buffer, and reads nothing."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(5)
    sock.connect(("127.0.0.1", port))
    sock.sendall(request)
    return sock


def test_a_request_is_answered_as_uvicorn_answers_it(port: int) -> None:
    out = _exchange(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
    assert out.startswith(b"HTTP/1.1 200") and out.endswith(b"ok 3")


def test_keep_alive_requests_go_through(port: int) -> None:
    one = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    out = _exchange(port, one + one + b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert out.count(b"HTTP/1.1 200") == 3


def test_a_silent_connection_gets_408_at_the_deadline(port: int) -> None:
    started = time.perf_counter()
    out = _exchange(port, b"")
    assert out.startswith(b"HTTP/1.1 408") and time.perf_counter() - started < DEADLINE + 2


def test_headers_never_finished_get_408(port: int) -> None:
    assert _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").startswith(b"HTTP/1.1 408")


def test_a_body_never_finished_is_dropped_at_the_deadline(port: int) -> None:
    started = time.perf_counter()
    out = _exchange(port, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
    assert b"HTTP/1.1 200" not in out and time.perf_counter() - started < BODY_DEADLINE + 2


@pytest.mark.parametrize("head", [
    b"".join(b"X-H%d: v\r\n" % i for i in range(MAX_HEADERS + 1)),
    b"X-Big: " + b"v" * (100 * 1024) + b"\r\n",
], ids=["many-headers", "huge-header"])
def test_a_head_past_the_caps_gets_431(port: int, head: bytes) -> None:
    out = _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n")
    assert out.startswith(b"HTTP/1.1 431")


def test_a_refusal_on_a_reused_connection_never_cuts_into_a_response(port: int) -> None:
    """uvicorn may still be writing an earlier answer: the connection closes with no status line."""
    flood = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(MAX_HEADERS + 1))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        first = _read_until(sock, b"ok 0")
        sock.sendall(flood + b"\r\n")
        assert first.startswith(b"HTTP/1.1 200") and sock.recv(65536) == b""
    # both in one packet: the hostile connection is closed before uvicorn sees either request
    assert b"431" not in _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + flood + b"\r\n")


@pytest.mark.parametrize("upgrade", [b"h2c", b"websocket"])
def test_an_upgrade_header_never_frees_a_connection_from_the_deadlines(port: int, upgrade: bytes) -> None:
    started = time.perf_counter()
    _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: " + upgrade +
              b"\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
              b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    assert time.perf_counter() - started < BODY_DEADLINE + 2


def test_an_upgrade_header_still_gets_a_slow_answer(port: int) -> None:
    """``curl --http2`` on http:// asks for h2c; uvicorn answers in HTTP/1.1, after the header deadline."""
    out = _exchange(port, b"GET /slow HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                          b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 200") and out.endswith(b"ok 0")


def test_a_header_value_that_never_ends_is_refused_on_its_bytes(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
        sent = _flood(sock, b"v" * 16384)
        out = sock.recv(65536)
    assert out.startswith(b"HTTP/1.1 431") and sent < 4 * 1024 * 1024


def test_blank_lines_trickled_never_hold_a_reused_connection(port: int) -> None:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            while time.perf_counter() - started < 5:
                time.sleep(0.1)
                sock.sendall(b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
    assert time.perf_counter() - started < KEEP_ALIVE + 2  # uvicorn's keep-alive timeout closed it


def test_trailers_are_bounded_and_never_cut_into_an_answer(port: int) -> None:
    head = b"POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n"
    many = b"".join(b"X-T%d: v\r\n" % i for i in range(MAX_HEADERS + 20))
    out = _exchange(port, head + many + b"Connection: close\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 200") and b"part1-" in out and b"ok 3" in out  # legal, answered
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head + b"X-Endless: ")
        _flood(sock, b"v" * 65536, 2 * MAX_AFTER_HEAD_BYTES)
        out = _drain(sock)
    assert b"part1-" in out and b"HTTP/1.1 4" not in out


def test_a_client_that_stops_reading_is_dropped(port: int) -> None:
    with _never_reading(port, b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n") as sock:
        time.sleep(BODY_DEADLINE + 1.5)  # reads nothing meanwhile
        got = len(_drain(sock))
    assert got < BIG


@pytest.mark.parametrize("size", [2_790_000, 2_900_000, 8_000_000])
def test_a_client_that_never_reads_an_answer_is_dropped_wherever_it_waits(port: int, size: int) -> None:
    """Most of an answer of a few MB waits in the kernel, the rest (too little to pause the writing)
    in uvicorn's buffer, which close() would wait to send for ever: TCP_USER_TIMEOUT ends it."""
    with _never_reading(port, b"GET /one-write/%d HTTP/1.1\r\nHost: x\r\n\r\n" % size) as sock:
        time.sleep(BODY_DEADLINE + KEEP_ALIVE + 1.5)
        got = len(_drain(sock))
    assert got < size


def _read_slowly(port: int, path: str, size: int, pause: float) -> int:
    """The bytes of ``GET path`` read ``size`` at a time, ``pause`` seconds apart, until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        got = 0
        while chunk := sock.recv(size):
            got += len(chunk)
            time.sleep(pause)
    return got


def test_a_slow_reader_still_gets_its_answer(port: int) -> None:
    assert _read_slowly(port, "/big", 1 << 20, 0.001) > BIG


def test_a_slow_reader_of_one_large_write_gets_it_whole(port: int) -> None:
    """The client reads on, under 1 MB/s: the answer drains over several body deadlines."""
    assert _read_slowly(port, "/one-write", 16384, 0.02) > ONE_WRITE


def test_blank_lines_after_a_request_never_cut_its_answer(port: int) -> None:
    """Old clients end a POST body with a blank line; the answer takes longer than the header deadline."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        time.sleep(0.1)
        sock.sendall(b"\r\n")
        out = _read_until(sock, b"ok 3")
    assert out.startswith(b"HTTP/1.1 200")


def test_an_upgrade_never_frees_the_next_requests_from_the_caps(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n")
        _read_until(sock, b"ok 0")
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
        sent = _flood(sock, b"v" * 65536)
    assert sent < 4 * 1024 * 1024


def test_malformed_requests_are_left_to_uvicorn(port: int) -> None:
    assert _exchange(port, b"NOT HTTP AT ALL\r\n\r\n").startswith(b"HTTP/1.1 400")


def test_it_wraps_uvicorns_protocol_and_overrides_none_of_it() -> None:
    """Only the protocol class and the arguments uvicorn gives any ``http`` class are relied on."""
    assert not issubclass(GuardedHttpProtocol, HttpToolsProtocol)
    assert "config" in inspect.signature(HttpToolsProtocol).parameters


def test_a_server_still_runs_on_the_sockets_it_is_given() -> None:
    """service/workers.py hands each worker's ``Server.run`` its own SO_REUSEPORT socket."""
    assert "sockets" in inspect.signature(uvicorn.Server.run).parameters
