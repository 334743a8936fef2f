"""The uvicorn options ``sdc serve`` runs with (``sdc.cli.serving.server_limits``), on a real server."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from pydantic import ValidationError

from sdc.cli import serving
from service.settings import Settings


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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off", **serving.server_limits(settings)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as stalled:
        stalled.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        time.sleep(0.2)
        started = time.perf_counter()
        server.should_exit = True
        thread.join(timeout=15)
        assert not thread.is_alive() and time.perf_counter() - started < 3.0


@pytest.mark.parametrize("seconds", [float("inf"), 1e7, 0])
def test_deadlines_are_refused_out_of_range(tmp_path: Path, seconds: float) -> None:
    """The kernel's TCP_USER_TIMEOUT takes the body deadline in milliseconds on 32 bits."""
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, body_timeout=seconds)
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, header_timeout=seconds)
