"""``POST /api/reports``: an agent reports a wrong verdict ("Signaler une erreur").

The report keeps the URL, what the agent expected, a comment and the verdict
shown at that moment; curators list them (``sdc sources reports``,
``GET /api/curator/reports``) and close one with the action that answers it.

Rate-limited without keeping IP addresses: each worker keys its buckets by an
HMAC of the client address under a random key drawn at start-up and never
written anywhere, so neither the registry nor a memory dump after a restart can
tell who reported what; buckets are dropped once refilled.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from service.bodies import read_body
from service.deps import StateDep
from service.responses import json_response
from service.state import ServiceState

#: reports per client per window, and per worker per window (a flood from many addresses)
PER_CLIENT = 5
PER_WORKER = 200
WINDOW = 600.0
#: past this many open reports, new ones wait (curators are behind)
MAX_OPEN = 10_000
MAX_URL = 2048

router = APIRouter(tags=["reports"])


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=MAX_URL, description="the address whose verdict is wrong")
    expected: Literal["trusted", "untrusted"] = Field(description="what the verdict should be")
    comment: str = Field("", max_length=1000, description="why (e.g. the body's name)")


class ReportCreated(BaseModel):
    id: int
    status: Literal["open"]


class RateLimiter:
    """Sliding-window counts keyed by a keyed hash of the client: no address is kept."""

    def __init__(self, per_client: int = PER_CLIENT, per_worker: int = PER_WORKER,
                 window: float = WINDOW) -> None:
        self._key = secrets.token_bytes(32)
        self.per_client, self.per_worker, self.window = per_client, per_worker, window
        self._hits: dict[bytes, list[float]] = {}
        self._all: list[float] = []

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        horizon = now - self.window
        self._all = [t for t in self._all if t > horizon]
        if len(self._all) >= self.per_worker:
            return False
        token = hmac.new(self._key, client.encode(), hashlib.sha256).digest()[:16]
        hits = [t for t in self._hits.get(token, ()) if t > horizon]
        if len(hits) >= self.per_client:
            self._hits[token] = hits
            return False
        hits.append(now)
        self._hits[token] = hits
        if len(self._hits) > 10_000:  # forget refilled buckets
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > horizon}
        self._all.append(now)
        return True


def _limiter(request: Request) -> RateLimiter:
    """One limiter per application (each worker process has its own, and its own key)."""
    limiter = getattr(request.app.state, "report_limiter", None)
    if limiter is None:
        limiter = request.app.state.report_limiter = RateLimiter()
    return limiter


async def _file(body: ReportRequest, request: Request, state: ServiceState) -> int:
    client = request.client.host if request.client else "?"
    if not _limiter(request).allow(client):
        raise HTTPException(429, detail="too many reports, retry later",
                            headers={"Retry-After": str(int(WINDOW))})
    classification = state.classifier.classify(body.url)

    def work() -> int:
        with state.open_registry() as registry:
            curation = registry.curation
            if curation.open_reports() >= MAX_OPEN:
                raise HTTPException(503, detail="too many open reports, retry later",
                                    headers={"Retry-After": "3600"})
            return curation.add_report(body.url, classification.host, body.expected,
                                       body.comment, classification.to_dict())

    return await run_in_threadpool(work)


@router.post("/api/reports", status_code=201, response_model=ReportCreated,
             responses={429: {"description": "too many reports from this client, retry later"},
                        503: {"description": "too many open reports"}})
async def report(body: ReportRequest, request: Request, state: StateDep) -> Response:
    """Report a wrong verdict; curators see it with the verdict shown now."""
    number = await _file(body, request, state)
    return json_response({"id": number, "status": "open"}, status=201)


#: the "Signaler une erreur" page of the results (a form, for browsers without script)
PAGE = """{% extends "base.html" %}
{% block title %}Signaler une erreur — Sources de Confiance{% endblock %}
{% block main %}
<h1>Signaler une erreur</h1>
{% if number %}
<p role="status">Merci : votre signalement n° {{ number }} a été transmis aux curateurs.</p>
{% else %}
<p>Cette adresse est {% if verdict.trusted %}marquée <strong>source de confiance</strong>{% if verdict.name %}
({{ verdict.name }}){% endif %}{% else %}<strong>non reconnue</strong> comme source de confiance{% endif %}.
Si c'est une erreur, dites-le aux curateurs.</p>
<form method="post" action="{{ base_path }}/signaler">
  <p><label for="url">Adresse</label><br><input id="url" name="url" value="{{ url }}" size="80" required maxlength="2048"></p>
  <fieldset><legend>Cette adresse devrait être</legend>
    <p><label><input type="radio" name="expected" value="trusted"{% if not verdict.trusted %} checked{% endif %}> une source de confiance</label></p>
    <p><label><input type="radio" name="expected" value="untrusted"{% if verdict.trusted %} checked{% endif %}> hors des sources de confiance</label></p>
  </fieldset>
  <p><label for="comment">Précisions (facultatif : organisme, raison)</label><br>
  <textarea id="comment" name="comment" rows="4" cols="80" maxlength="1000"></textarea></p>
  <p><button type="submit">Envoyer le signalement</button></p>
</form>
<p>Aucune adresse IP n'est conservée.</p>
{% endif %}
{% endblock %}"""


def _page(request: Request, context: dict[str, object], status: int = 200) -> HTMLResponse:
    template = request.app.state.templates.from_string(PAGE)
    prefix = request.app.state.render.prefix
    base = prefix if prefix is not None else request.scope.get("root_path", "")
    return HTMLResponse(template.render({"base_path": base, "request": request, "unified": None,
                                         "number": None, **context}), status_code=status)


@router.get("/signaler", response_class=HTMLResponse, include_in_schema=False)
async def report_page(request: Request, state: StateDep,
                      url: str = Query("", max_length=MAX_URL)) -> HTMLResponse:
    """The form the results' "Signaler une erreur" link opens."""
    return _page(request, {"url": url, "verdict": state.classifier.classify(url).verdict})


@router.post("/signaler", response_class=HTMLResponse, include_in_schema=False)
async def report_form(request: Request, state: StateDep) -> HTMLResponse:
    fields = {k: v[0] for k, v in parse_qs((await read_body(request, 16_384)).decode("utf-8", "replace"),
                                            max_num_fields=10).items()}
    try:
        body = ReportRequest(url=fields.get("url", ""), expected=fields.get("expected", ""),  # type: ignore[arg-type]
                             comment=fields.get("comment", ""))
    except ValidationError:
        raise HTTPException(422, detail="une adresse et un choix sont nécessaires") from None
    return _page(request, {"number": await _file(body, request, state), "url": body.url})
