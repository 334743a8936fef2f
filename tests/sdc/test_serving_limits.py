"""The uvicorn options ``sdc serve`` runs with (``sdc.cli.serving.server_limits``), on a real server."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from sdc.cli import serving
from service.settings import Settings
from tests.served import uvicorn_in_thread


async def app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    if scope["type"] != "http":
        return
    while True:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_stalled_body_never_holds_the_stop_past_the_grace(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving, "GRACEFUL_SHUTDOWN", 0.5)
    settings = Settings(data_dir=tmp_path, body_timeout=20.0)
    with uvicorn_in_thread(app, lifespan="off", **serving.server_limits(settings)) as running, \
            socket.create_connection(("127.0.0.1", running.port), timeout=5) as stalled:
        stalled.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        time.sleep(0.2)
        started = time.perf_counter()
        assert running.stop(timeout=15) and time.perf_counter() - started < 3.0


@pytest.mark.parametrize("seconds", [float("inf"), 1e7, 0])
def test_deadlines_are_refused_out_of_range(tmp_path: Path, seconds: float) -> None:
    """The kernel's TCP_USER_TIMEOUT takes the body deadline in milliseconds on 32 bits."""
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, body_timeout=seconds)
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, header_timeout=seconds)


def test_a_websocket_upgrade_is_answered_as_http(tmp_path: Path) -> None:
    """No WebSocket route: uvicorn's WebSocket handler answered a bare 403 and logged the query."""
    settings = Settings(data_dir=tmp_path)
    with uvicorn_in_thread(app, lifespan="off", **serving.server_limits(settings)) as running, \
            socket.create_connection(("127.0.0.1", running.port), timeout=5) as client:
        client.sendall(b"GET /recherche?q=secret HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                       b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                       b"Sec-WebSocket-Version: 13\r\n\r\n")
        answer = b""
        while not answer.endswith(b"0\r\n\r\n") and (chunk := client.recv(4096)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200") and b"\r\nok\r\n" in answer
