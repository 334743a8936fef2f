"""The Annuaire in the service: ``GET /api/annuaire`` (JSON), the "Annuaire" view of the search
page (``/recherche/annuaire``) and the office card shown above web results.

The Annuaire lives in ``annuaire.sqlite3`` under the data directory (``sdc annuaire import``).
It is opened read-only on first use and re-opened when a new import replaced it; searches take a
millisecond or two, run in the thread pool, one at a time per worker on the one connection.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from index.errors import SearchIndexError
from index.office_index import DIRNAME, STAMP, OfficeIndex
from index.offices import Candidates, names_office, search
from service.models import MAX_QUERY_LENGTH
from service.responses import json_response
from service.routers import actualites
from sources.annuaire import FILENAME, AnnuaireError, AnnuaireStore, Office
from sources.annuaire.model import DAYS
from sources.annuaire.types import label as type_label

router = APIRouter(tags=["annuaire"])
# the other vertical with a page of its own, wired with this one (service/app.py includes this router)
router.include_router(actualites.router)
PARIS = ZoneInfo("Europe/Paris")
MAX_RESULTS = 50


class Annuaire:
    """The worker's read-only view of ``annuaire.sqlite3``, re-opened after a new import."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILENAME
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._store: AnnuaireStore | None = None
        self._candidates: Candidates | None = None
        self._stamp: tuple[float, float] = (0.0, 0.0)

    def _stamp_now(self) -> tuple[float, float] | None:
        try:
            stamp = self.path.stat().st_mtime
        except OSError:
            return None
        try:
            built = (self.data_dir / DIRNAME / STAMP).stat().st_mtime
        except OSError:
            built = 0.0
        return stamp, built

    def _open(self) -> Candidates | None:
        """The tantivy index of the Annuaire, or its FTS5 table; re-opened after an import."""
        stamp = self._stamp_now()
        if stamp is None:
            return None
        if self._candidates is None or stamp != self._stamp:
            if self._store is not None:
                self._store.close()
            self._store = AnnuaireStore(self.data_dir, readonly=True)
            try:
                self._candidates = OfficeIndex(self.data_dir, self._store)
            except SearchIndexError:
                self._candidates = self._store  # no index, or older than the Annuaire
            self._stamp = stamp
        return self._candidates

    def available(self) -> bool:
        return self.path.exists()

    def search(self, q: str, kind: str | None = None, commune: str | None = None,
               limit: int = 10) -> list[Office] | None:
        with self._lock:
            store = self._open()
            if store is None:
                return None
            return [s.office for s in search(store, q, kind=kind, commune=commune, limit=limit)]

    def named(self, q: str) -> Office | None:
        with self._lock:
            store = self._open()
            return names_office(store, q) if store is not None else None


def annuaire_of(request: Request) -> Annuaire:
    found: Annuaire | None = getattr(request.app.state, "annuaire", None)
    if found is None:
        found = request.app.state.annuaire = Annuaire(request.app.state.settings.data_dir)
    return found


class AddressPublic(BaseModel):
    street: str
    postcode: str
    commune: str
    latitude: float | None
    longitude: float | None
    accessibility: str


class HoursPublic(BaseModel):
    days: str
    first_day: str
    last_day: str
    spans: list[dict[str, str]]
    comment: str


class OfficePublic(BaseModel):
    id: str
    name: str
    type: str
    types: list[str]
    address: AddressPublic
    postcode: str
    commune: str
    insee: str
    department: str
    phone: str
    email: str
    website: str
    hours: list[HoursPublic]
    updated: str | None
    source_url: str = Field(description="the office's page on lannuaire.service-public.fr when the data "
                            "names it (source_is_page), else the site's search for its name and commune")
    source_is_page: bool


class AnnuaireResults(BaseModel):
    query: str
    total: int
    results: list[OfficePublic]


NO_ANNUAIRE: dict[int | str, dict[str, Any]] = {
    503: {"description": "no Annuaire imported on this server (`sdc annuaire import`)"}}


@router.get("/api/annuaire", response_model=AnnuaireResults, responses=NO_ANNUAIRE)
async def api_annuaire(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH,
                            description="office, type, commune, postcode or INSEE code")],
    type: Annotated[str | None, Query(max_length=60, description="office type, e.g. mairie")] = None,
    commune: Annotated[str | None, Query(max_length=120)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_RESULTS)] = 10,
) -> Response:
    """Offices of the Annuaire de l'administration (Service-Public.fr / DILA), best first."""
    try:
        found = await asyncio.to_thread(annuaire_of(request).search, q, type, commune, limit)
    except AnnuaireError as exc:
        raise HTTPException(503, str(exc)) from None
    if found is None:
        raise HTTPException(503, "no Annuaire on this server: run `sdc annuaire import`")
    return json_response({"query": q, "total": len(found), "results": [o.to_dict() for o in found]})


# -- the page -----------------------------------------------------------------


def card(office: Office, now: datetime | None = None) -> dict[str, Any]:
    """What the office card shows; today's hours in Paris time, when the Annuaire has them."""
    today = (now or datetime.now(PARIS)).weekday()
    hours = office.hours_on(today)
    return {
        "office": office, "type_label": type_label(office.type),
        "tel": "".join(c for c in office.phone if c.isdigit() or c == "+"),
        "today": DAYS[today], "hours_known": bool(office.hours),
        "today_hours": [h.text for h in hours if h.spans],
        "today_comment": "; ".join(h.comment for h in hours if h.comment),
    }


async def office_card(request: Request, q: str) -> dict[str, Any] | None:
    """The card for a web query that names an office (None otherwise, or without an Annuaire)."""
    annuaire = annuaire_of(request)
    if not annuaire.available():  # one stat: no thread hop for every page of an instance without one
        return None
    try:
        office = await asyncio.to_thread(annuaire.named, q)
    except AnnuaireError:
        return None
    if office is None:
        return None
    found = card(office)
    found["more_url"] = "/recherche/annuaire?" + urlencode({"q": q})
    return found


@router.get("/recherche/annuaire", response_class=HTMLResponse, include_in_schema=False)
async def annuaire_page(
    request: Request,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
) -> HTMLResponse:
    render = request.app.state.render
    query = q.strip()
    if not query:
        return render(request, "search.html", {"q": "", "searched": False})
    annuaire = annuaire_of(request)
    try:
        found = await asyncio.to_thread(annuaire.search, query, None, None, 20)
    except AnnuaireError:
        found = None
    return render(request, "annuaire.html", {
        "q": query, "searched": True, "view": "annuaire", "available": found is not None,
        "cards": [card(o) for o in found or []]}, status=200 if found is not None else 503)


# -- "Ajouter comme moteur de recherche" ------------------------------------------------
# Lives here with the other pages of this router: browsers dropped the script call that used to
# add an engine (window.external.AddSearchProvider, gone from Firefox 78 and Chrome), so the page
# explains what each browser offers with the OpenSearch discovery link every page carries.


@router.get("/moteur-de-recherche", response_class=HTMLResponse, include_in_schema=False)
async def add_engine(request: Request) -> HTMLResponse:
    return request.app.state.render(request, "moteur.html", {"q": ""})
