"""uvicorn's HTTP/1.1 protocol with the limits a public server needs against slow or greedy clients.

uvicorn times out idle keep-alive connections but not a client that opens a
connection and sends nothing, sends its headers one byte a second, or never
finishes its body (slowloris): each such connection was held as long as the
client liked.  It also keeps every header line a client sends.  This protocol
(``sdc serve`` passes it to uvicorn as its ``http`` class) adds, per request:

* ``header_timeout``: from the connection (or the request's first byte) to the
  end of its headers; past it, ``408`` and the connection closes;
* ``body_timeout``: from the end of the headers to the end of the body; past it
  the connection closes (the application sees a disconnect);
* at most ``MAX_HEAD_BYTES`` of request line and headers and ``MAX_HEADERS``
  header lines; past them, ``431`` and the connection closes.

The keep-alive timeout stays uvicorn's (``timeout_keep_alive``).  Behind a
reverse proxy these are a second line: docs/deploy.md gives the proxy's own.

This overrides callbacks of uvicorn's ``HttpToolsProtocol`` (not a documented API) and reads
its ``loop``, ``transport`` and ``cycle`` attributes; it was written against uvicorn
``UVICORN_SERIES``.  ``tests/service/test_uvicorn_internals.py`` fails loudly on another
series or when the overridden methods change shape: re-read this module against the new
release before raising ``UVICORN_SERIES``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

UVICORN_SERIES = "0.55"  # the uvicorn release the overrides below were written against

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 30.0
MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 100

_REFUSALS = {
    408: b"HTTP/1.1 408 Request Timeout\r\n",
    431: b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
}


class GuardedHttpProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` with header and body deadlines and a cap on the request head."""

    def __init__(self, *args: Any, header_timeout: float = HEADER_TIMEOUT,
                 body_timeout: float = BODY_TIMEOUT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout, self.body_timeout = header_timeout, body_timeout
        self._deadline: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        self._header_count = 0
        self._refused = False

    # -- deadlines -----------------------------------------------------------

    def _arm(self, seconds: float, status: int | None) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired, status)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self, status: int | None) -> None:
        self._deadline = None
        if status is None:
            self.transport.close()  # the application sees http.disconnect
        else:
            self._refuse(status)

    def _refuse(self, status: int) -> None:
        """Answer ``status`` with no body and close; nothing more is read from this connection."""
        self._refused = True
        self._disarm()
        if not self.transport.is_closing():
            cycle = self.cycle  # the last request's: a refusal never cuts into a response
            if cycle is None or cycle.response_complete or not cycle.response_started:
                self.transport.write(_REFUSALS[status] + b"content-length: 0\r\nconnection: close\r\n\r\n")
            self.transport.close()

    # -- protocol and parser callbacks -----------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout, 408)  # a connection that sends nothing is not kept

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if not self._refused:
            super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        if not self._refused:  # a refusal already answered
            super().send_400_response(msg)

    def on_message_begin(self) -> None:
        self._head_bytes = self._header_count = 0
        self._arm(self.header_timeout, 408)
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url), 0)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value), 1)
        super().on_header(name, value)

    def _count_head(self, size: int, headers: int) -> None:
        self._head_bytes += size
        self._header_count += headers
        if self._head_bytes > MAX_HEAD_BYTES or self._header_count > MAX_HEADERS:
            self._refuse(431)
            raise ValueError("request head too large")  # stops the parser (answered above)

    def on_headers_complete(self) -> None:
        self._arm(self.body_timeout, None)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()
