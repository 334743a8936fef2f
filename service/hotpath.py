"""``POST /api/classify`` answered ahead of the middleware stack, as a plain ASGI app.

The extension and the tools that annotate search results post 50 URLs at a
time, many times a second. Through FastAPI's stack (its error and telemetry
layers, CORS, our two middlewares, routing, the ``Request`` object) a request
cost about 50 microseconds before any URL was looked at, as much as
classifying them (``bench/bench_service.py``). This app does only what that
stack did for this one route, from the same sources, so the two cannot drift:

* the headers: :data:`service.security.HEADERS`, and the CORS headers that the
  app's ``CORSMiddleware`` computes from its own options;
* the metrics, through :meth:`service.metrics.Metrics.observe`;
* the errors, in the API's JSON form: 413 past the body cap
  (:data:`service.bodies.MAX_BODY_BYTES`), 422 with the same ``detail`` list as
  FastAPI's validation errors (:func:`service.errors.validation_detail`).

Everything else about the route (its OpenAPI description, ``OPTIONS``
preflights, other methods) stays with the FastAPI route in
``service.routers.api``, which gives the same answers.
"""

from __future__ import annotations

import logging
import time

import orjson
from pydantic import ValidationError
from starlette.types import Receive, Scope, Send

from service.bodies import MAX_BODY_BYTES, BodyTooLarge, read_capped
from service.classify_wire import checked_urls
from service.errors import Busy, validation_detail
from service.heavy import RETRY_AFTER
from service.models import ClassifyRequest
from service.security import HEADERS
from service.state import ServiceState

logger = logging.getLogger("sdc.service")

ROUTE = "/api/classify"
_JSON = (b"content-type", b"application/json")
_TOO_LARGE = orjson.dumps({"detail": f"request body larger than {MAX_BODY_BYTES} bytes"})


class ClassifyEndpoint:
    """The ASGI app for ``POST /api/classify`` (``ServiceApp`` routes it here first)."""

    def __init__(self, state: ServiceState, cors_headers: dict[str, str]) -> None:
        self.state = state
        # the CORS middleware adds ``Vary: Origin`` to every answer, its other headers
        # only when the request names an origin
        self._headers = [*HEADERS, (b"vary", b"Origin")]
        self._headers_cors = [*self._headers, *((k.lower().encode("latin-1"), v.encode("latin-1"))
                                                 for k, v in cors_headers.items())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500
        try:
            status, body = await self._answer(scope, receive)
        except Exception:  # a bug of ours, still answered in JSON; never user input
            logger.exception("POST %s failed", ROUTE)
            body = b'{"detail":"internal error"}'
        if body is None:  # the client went away before sending its body
            return
        origin = False
        for name, _ in scope["headers"]:
            if name == b"origin":
                origin = True
                break
        headers = [_JSON, (b"content-length", str(len(body)).encode()),
                   *(self._headers_cors if origin else self._headers)]
        if status == 503:
            headers.append((b"retry-after", str(RETRY_AFTER).encode()))
        elif status == 413:  # the rest of the body is not read: the server closes after answering
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        self.state.metrics.observe("POST", ROUTE, status, time.perf_counter() - started)

    async def _answer(self, scope: Scope, receive: Receive) -> tuple[int, bytes | None]:
        try:
            raw = await read_capped(scope, receive)
        except BodyTooLarge:
            return 413, _TOO_LARGE
        if raw is None:
            return 400, None
        try:
            return await classify_json(self.state, raw)
        except Busy as exc:
            return 503, orjson.dumps({"detail": str(exc)})


#: bodies larger than this are classified in the thread pool, in the bulky lane of the heavy-work
#: bound (50 URLs of the extension weigh about 5 KB; 1,000 URLs of 8 KB take tens of milliseconds)
INLINE_BODY_BYTES = 64 * 1024


async def classify_json(state: ServiceState, raw: bytes) -> tuple[int, bytes]:
    """Status and JSON body for a request body of ``POST /api/classify``; counts the URLs.

    Small bodies are answered on the event loop (the extension's hot path); large ones in
    the thread pool, one at a time in the bulky lane (:class:`service.errors.Busy` when the
    worker has too many waiting)."""
    if len(raw) <= INLINE_BODY_BYTES:
        return classify_now(state, raw)
    return await state.bulky.run_sized(len(raw), classify_now, state, raw)


def classify_now(state: ServiceState, raw: bytes) -> tuple[int, bytes]:
    """:func:`classify_json` in the calling thread."""
    urls = checked_urls(raw)
    if urls is None:
        try:
            urls = ClassifyRequest.model_validate_json(raw).urls
        except ValidationError as exc:
            errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
            return 422, orjson.dumps({"detail": validation_detail(errors)})
    body, trusted = state.classify_renderer().render(urls)
    state.count_classified(len(urls), trusted)
    return 200, body
