"""uvicorn's HTTP/1.1 protocol behind the limits a public server needs against slow or greedy clients.

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
  header lines, and ``MAX_RAW_HEAD_BYTES`` read for one head (a header value
  that never ends); past them, ``431`` and the connection closes;
* at most ``MAX_AFTER_HEAD_BYTES`` read after a head (the application caps
  bodies itself; this bounds trailers); past it the connection closes;
* ``body_timeout`` for the kernel to see answer bytes acknowledged
  (``TCP_USER_TIMEOUT``: a client that stopped reading); past it the
  connection is dropped.

A status line is written only while the head of a connection's first request
is read; later, an answer may be on its way, and the connection just closes.
Blank lines between requests are dropped: uvicorn's keep-alive timer stays on.

The keep-alive timeout stays uvicorn's (``timeout_keep_alive``).  Behind a
reverse proxy these are a second line: docs/deploy.md gives the proxy's own.

It wraps uvicorn's ``HttpToolsProtocol`` rather than subclassing it: the bytes
go through a parser of its own (httptools, the one uvicorn uses) on their way
to uvicorn's protocol, which is only driven through the methods every asyncio
protocol has.  So it depends on nothing of uvicorn but its protocol class and
the arguments uvicorn gives any ``http`` class, which it passes on untouched.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any, cast

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.bodies import MAX_BODY_BYTES

HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 30.0
MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 100
#: bytes read for one request head however it is cut: the parsers keep a header value whole until its
#: line ends, so a value that never ends is refused on the bytes themselves, not at its end
MAX_RAW_HEAD_BYTES = 2 * MAX_HEAD_BYTES
#: bytes read after a request's head (body, chunk framing, trailers) before the connection closes:
#: the application refuses a body over MAX_BODY_BYTES (413), but trailer lines are kept by the
#: parsers and never reach it
MAX_AFTER_HEAD_BYTES = 2 * MAX_BODY_BYTES + MAX_HEAD_BYTES

_REFUSALS = {
    408: b"HTTP/1.1 408 Request Timeout\r\n",
    431: b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
}


class _HeadTooLarge(Exception):
    """Raised from a parser callback to stop the parser (the request is answered 431)."""


class GuardedHttpProtocol(asyncio.Protocol):
    """uvicorn's :class:`HttpToolsProtocol` with header and body deadlines and caps on what a request sends.

    ``args`` and ``kwargs`` (what uvicorn gives an ``http`` class) go to the wrapped protocol.
    """

    def __init__(self, *args: Any, header_timeout: float = HEADER_TIMEOUT,
                 body_timeout: float = BODY_TIMEOUT, **kwargs: Any) -> None:
        self.header_timeout, self.body_timeout = header_timeout, body_timeout
        self.inner = HttpToolsProtocol(*args, **kwargs)
        self._parser = httptools.HttpRequestParser(self)
        # as uvicorn's parser: a request after "Connection: close" is read (and ignored), not an error
        self._parser.set_dangerous_leniencies(lenient_data_after_close=True)
        self._transport: asyncio.Transport | None = None
        self._deadline: asyncio.TimerHandle | None = None
        self._in_head = True  # between requests too: the next byte is the next request's
        self._raw = 0  # bytes of the current head, or read since its end
        self._tail = b""  # the head's last bytes read: its blank line may come in two reads
        self._head_bytes = 0
        self._header_count = 0
        self._between = False  # a request was read whole and no other has begun
        self._heads = 0  # request heads read whole on this connection: an answer may follow each
        self._watching = True  # False once the parser stops (an upgrade, a request uvicorn refuses)
        self._refused = False

    # -- what asyncio calls: watched, then passed to uvicorn's protocol -------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # a stream server's (asyncio's or uvloop's)
        sock = transport.get_extra_info("socket")
        if sock is not None and hasattr(socket, "TCP_USER_TIMEOUT"):
            # answer bytes the client does not acknowledge for body_timeout (it stopped reading: its
            # window stays shut) end the connection in the kernel, even once closed here with bytes
            # still to send; the kernel counts what the client reads, however slowly (Linux only:
            # elsewhere such a client holds its connection until limit_concurrency refuses others)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, int(self.body_timeout * 1000))
        self.inner.connection_made(self._transport)
        self._arm(self.header_timeout, 408)  # a connection that sends nothing is not kept

    def data_received(self, data: bytes) -> None:
        if self._refused or (self._watching and not self._within_bounds(data)):
            return  # answered: nothing more is read from this connection
        if self._between and not data.strip(b"\r\n"):
            # blank lines between requests, which both parsers skip: kept from uvicorn, whose keep-alive
            # timer any byte restarts (a trickle of them held a reused connection for ever)
            return
        if self._watching:
            try:
                self._parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                # as uvicorn's parser: the rest of this read is left, the next ones read on (uvicorn
                # runs with ws="none": it answers the request as plain HTTP, never switching protocols)
                pass
            except httptools.HttpParserError:
                if self._refused:
                    return  # a callback refused the request: uvicorn never sees the rest
                self._watching = False  # malformed: uvicorn's own parser answers 400 and closes
        self.inner.data_received(data)

    def eof_received(self) -> None:
        self.inner.eof_received()  # it keeps nothing open: the transport closes, as uvicorn's does

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def _within_bounds(self, data: bytes) -> bool:
        """Count ``data`` against the caps before any parser keeps it; ``False``: refused."""
        if not self._in_head:
            self._raw += len(data)
            if self._raw > MAX_AFTER_HEAD_BYTES:
                self._refuse(None)
            return not self._refused
        seen = self._tail + data
        end = seen.find(b"\r\n\r\n")
        self._raw += len(data) if end < 0 else max(0, end + 4 - len(self._tail))
        self._tail = seen[-3:]
        if self._raw > MAX_RAW_HEAD_BYTES:
            self._refuse(431)
        return not self._refused

    # -- the parser's callbacks ----------------------------------------------------

    def on_message_begin(self) -> None:
        self._between = False
        self._head_bytes = self._header_count = 0
        if self._deadline is None:  # else the clock runs from the connection
            self._arm(self.header_timeout, 408)

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url), 0)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._in_head:  # trailers come after the head: they count among MAX_AFTER_HEAD_BYTES
            self._count_head(len(name) + len(value), 1)

    def on_headers_complete(self) -> None:
        self._heads += 1
        self._in_head, self._raw, self._tail = False, 0, b""
        self._arm(self.body_timeout, None)

    def on_message_complete(self) -> None:
        self._between = True
        self._in_head, self._raw, self._tail = True, 0, b""
        self._disarm()

    def _count_head(self, size: int, headers: int) -> None:
        self._head_bytes += size
        self._header_count += headers
        if self._head_bytes > MAX_HEAD_BYTES or self._header_count > MAX_HEADERS:
            self._refuse(431)
            raise _HeadTooLarge  # stops the parser; data_received sees it as a parser error

    # -- deadlines and refusals ------------------------------------------------------

    def _arm(self, seconds: float, status: int | None) -> None:
        self._disarm()
        self._deadline = asyncio.get_running_loop().call_later(seconds, self._refuse, status)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _refuse(self, status: int | None) -> None:
        """Close the connection, answering ``status`` first when no answer can be on its way.

        That is only until a request head was read whole on the connection: after one, the
        application or uvicorn may be answering, and a status line must not cut into an answer.
        Nothing more is read from the connection.
        """
        self._refused = True
        self._disarm()
        transport = self._transport
        if transport is not None and not transport.is_closing():
            if status is not None and self._heads == 0:
                transport.write(_REFUSALS[status] + b"content-length: 0\r\nconnection: close\r\n\r\n")
            transport.close()
