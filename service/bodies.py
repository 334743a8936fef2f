"""Reading request bodies with a size cap, before any parsing.

``/api/classify`` and ``/api/rerank`` parse their bodies themselves (it is
their hot path); without a cap one large POST could fill a worker's memory
before the 1,000-URL or 500-result limits are even checked.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

#: 1,000 URLs of the longest length the classifier accepts (8 KB) fit under it
MAX_BODY_BYTES = 10 * 1024 * 1024


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, or HTTP 413 as soon as it is known to be larger than ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, detail=f"request body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():  # chunked uploads declare no length
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, detail=f"request body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
