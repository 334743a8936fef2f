"""A loopback HTTP proxy that tunnels every HTTPS connection to one port.

Firefox has no ``--host-resolver-rules``: to load the saved results pages at
the engines' real URLs (``https://www.google.fr/...``), the end-to-end test
points Firefox's proxy at this server, which answers each ``CONNECT host:443``
by tunnelling to the loopback SERP server.  Every host asked for is recorded,
plain-HTTP proxy requests included (they are refused): the test checks that
the browser contacted nothing else.
"""

from __future__ import annotations

import select
import socket
import socketserver
import threading


def read_head(connection: socket.socket) -> bytes | None:
    """A proxy request's head (its request line and headers), None if the client hung up first."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = connection.recv(4096)
        if not chunk:
            return None
        head += chunk
    return head


class ConnectProxy:
    """``CONNECT`` to any host goes to ``127.0.0.1:target_port``; ``hosts`` records who was asked for."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.hosts: list[str] = []
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                head = read_head(self.request)
                if head is None:
                    return
                method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                if method != "CONNECT":
                    # plain HTTP through the proxy: recorded (e.g. a captive-portal probe), never served
                    host = target.split("/")[2] if "://" in target else target
                    proxy.hosts.append(host.split(":")[0])
                    self.request.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    return
                proxy.hosts.append(target.rsplit(":", 1)[0])
                with socket.create_connection(("127.0.0.1", proxy.target_port)) as upstream:
                    self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    _pump(self.request, upstream)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a tunnel the browser or the server dropped (a page left early)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port: int = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ConnectProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _pump(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    sockets = [a, b]
    while True:
        readable, _, broken = select.select(sockets, [], sockets, 30)
        if broken or not readable:
            return
        for source in readable:
            data = source.recv(65536)
            if not data:
                return
            (b if source is a else a).sendall(data)
