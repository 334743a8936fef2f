"""The farm's network side: one asyncio server on 127.0.0.1 that is an HTTP proxy for its virtual hosts.

Clients reach it as they reach a corporate proxy: ``GET http://host/path`` in absolute form for
http URLs, ``CONNECT host:443`` then TLS for https URLs (TLS is terminated here with a self-signed
certificate made at start; Scrapy does not verify certificates).  Requests in origin form with a
``Host`` header are served too.  Only GET and HEAD are understood, which is all a crawler sends.

Every request is logged (:class:`LoggedRequest`: host, path, status, start and end times) so that
tests can check what the crawler fetched and when.  A reply that waits (slow pages, timeouts) ends
early when the client hangs up, and its end time is then the hang-up time.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path

from crawler.farm.hostile import SUFFIX as FARM_SUFFIX
from crawler.farm.sites import Reply, Site

MAX_HEAD = 64 * 1024
CHUNK = 256 * 1024


@dataclass(slots=True)
class LoggedRequest:
    host: str
    path: str
    method: str
    status: int
    start: float
    end: float
    connection: int = 0
    #: False when the client hung up before the answer (a timeout): ``end`` is then when the
    #: farm noticed, which can be a little after the client's next request arrived
    completed: bool = True
    user_agent: str = ""

    @property
    def url(self) -> str:
        return f"//{self.host}{self.path}"


def self_signed_context(hosts: list[str]) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate for ``hosts`` (EC P-256, one day)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sdc site farm")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(h) for h in [*hosts, "localhost"]]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        context.load_cert_chain(cert_file, key_file)
    return context


class FarmServer:
    """Serves ``sites`` (by host name) through one listening socket."""

    def __init__(self, sites: dict[str, Site]) -> None:
        self.sites = sites
        self.log: list[LoggedRequest] = []
        # one wildcard for the farm's own hosts: clients check every name of a certificate
        # at each handshake, and a real site's certificate has a few, not hundreds
        names = {h if not h.endswith("." + FARM_SUFFIX) else "*." + FARM_SUFFIX for h in sites}
        self.tls = self_signed_context(sorted(names))
        self._server: asyncio.Server | None = None
        self.port = 0
        self.connections = 0
        self.tunnels = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = await asyncio.start_server(self._connection, host, port, limit=MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                self._server.close_clients()  # type: ignore[attr-defined]  # 3.13+
            await asyncio.sleep(0)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tunnel: str | None = None
        self.connections += 1
        connection = self.connections
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
                headers: dict[str, str] = {}
                for line in lines[1:]:
                    key, sep, value = line.partition(":")
                    if sep:
                        headers[key.strip().lower()] = value.strip()
                if method == "CONNECT":
                    tunnel = target.rsplit(":", 1)[0].lower()
                    self.tunnels += 1
                    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    await writer.drain()
                    await writer.start_tls(self.tls)
                    continue
                length = int(headers.get("content-length") or 0)
                if length:
                    await reader.readexactly(length)
                if target.startswith(("http://", "https://")):
                    rest = target.split("://", 1)[1]
                    host, slash, path = rest.partition("/")
                    path = slash + path
                else:
                    host, path = tunnel or headers.get("host", ""), target
                host = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host
                if not await self._serve(reader, writer, method, host, path or "/", headers, connection):
                    break
                if headers.get("connection", "").lower() == "close" or headers.get("proxy-connection",
                                                                                   "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ssl.SSLError,
                ValueError, RuntimeError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, method: str,
                     host: str, path: str, headers: dict[str, str], connection: int = 0) -> bool:
        """Answer one request; False when the client went away meanwhile."""
        start = time.time()
        site = self.sites.get(host)
        if site is None:
            reply = Reply(502, b"unknown host", {"Content-Type": "text/plain"})
        elif method not in ("GET", "HEAD"):
            reply = Reply(405, b"", {"Allow": "GET, HEAD"})
        else:
            reply = site.respond(path, headers)
        entry = LoggedRequest(host, path, method, reply.status, start, start, connection,
                              user_agent=headers.get("user-agent", ""))
        self.log.append(entry)
        if reply.delay and not await _wait_unless_closed(reader, reply.delay):
            entry.end, entry.completed = time.time(), False
            return False
        try:
            reason = HTTPStatus(reply.status).phrase if reply.status in HTTPStatus._value2member_map_ else "?"
            head = [f"HTTP/1.1 {reply.status} {reason}", f"Content-Length: {len(reply.body)}",
                    "Server: sdc-farm"]
            head += [f"{k}: {v}" for k, v in reply.headers.items()]
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            if method != "HEAD":
                body = memoryview(reply.body)
                for offset in range(0, len(body), CHUNK):
                    writer.write(body[offset:offset + CHUNK])
                    if offset:
                        await writer.drain()
        finally:
            entry.end = time.time()
        await writer.drain()
        return True


async def _wait_unless_closed(reader: asyncio.StreamReader, seconds: float) -> bool:
    """Sleep ``seconds``; False as soon as the client closes its side."""
    closed = asyncio.ensure_future(_eof(reader))
    try:
        done, _ = await asyncio.wait({closed}, timeout=seconds)
    finally:
        if not closed.done():
            closed.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await closed  # the reader must be free before the next readuntil()
    return not done


async def _eof(reader: asyncio.StreamReader) -> None:
    with contextlib.suppress(ConnectionError, ssl.SSLError):
        await reader.read(1)
