"""``HEAD`` on every ``GET`` route (RFC 9110 §9.3.2): the GET's status and headers, no body.

FastAPI routes answer only the methods they declare, so ``HEAD /`` was a 405.
This pure ASGI middleware runs a ``HEAD`` as the ``GET`` it stands for and
drops the body on the way out (the headers, ``content-length`` included, stay
those of the GET).  The OpenAPI document keeps listing GET only: HEAD is
implied by HTTP for every GET.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)
