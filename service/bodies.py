"""Reading request bodies with a size cap, before any parsing (streamed, never past the cap).

``/api/classify`` and ``/api/rerank`` parse their bodies themselves (it is
their hot path); without a cap one large POST could fill a worker's memory
before the 1,000-URL or 500-result limits are even checked.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.requests import ClientDisconnect
from starlette.types import Message, Receive, Scope

#: 1,000 URLs of the longest length the classifier accepts (8 KB) fit under it
MAX_BODY_BYTES = 10 * 1024 * 1024


class BodyTooLarge(Exception):
    """The body is larger than the cap (its length said so, or its chunks added up past it)."""


async def read_capped(scope: Scope, receive: Receive, limit: int = MAX_BODY_BYTES) -> bytes | None:
    """The whole body from the ASGI ``receive``, None if the client disconnected; past ``limit``
    :class:`BodyTooLarge` (chunked uploads declare no length: the chunks are counted too).

    The one body reader of the API: FastAPI routes through :func:`read_body`, the classify
    hot path (``service.hotpath``) directly."""
    for name, value in scope["headers"]:
        if name == b"content-length" and value.isdigit() and int(value) > limit:
            raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


#: the rest of a refused body is not worth reading: the server closes the connection after the 413
CLOSE = {"connection": "close"}


def too_large(limit: int = MAX_BODY_BYTES) -> HTTPException:
    return HTTPException(413, detail=f"request body larger than {limit} bytes", headers=CLOSE)


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, or HTTP 413 as soon as it is known to be larger than ``limit``."""
    try:
        body = await read_capped(request.scope, request.receive, limit)
    except BodyTooLarge:
        raise too_large(limit) from None
    if body is None:
        raise ClientDisconnect
    return body
