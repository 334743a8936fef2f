"""Jinja2 set-up for the pages: autoescaping, French formatting, one render function."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from service.verticals import label

TEMPLATES = Path(__file__).parent / "templates"

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")

#: French messages of the error page, by status
ERROR_MESSAGES = {
    400: "La demande n'est pas valide.",
    401: "Cette page demande une authentification.",
    404: "Cette page n'existe pas.",
    405: "Cette méthode n'est pas acceptée ici.",
    422: "Un paramètre de la recherche n'est pas valide (recherche trop longue, "
         "catégorie ou page inconnue).",
    503: "Le service de recherche n'est pas encore prêt.",
}


def nombre(value: int | float) -> str:
    """French thousands separator (narrow no-break space): 12 345."""
    return f"{value:,}".replace(",", "\u202f")


def date_fr(value: date | str | None) -> str:
    """``3 décembre 2026`` (``1er`` for the first of a month) from a date or an ISO string."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS[day.month - 1]} {day.year}"


def duration(ms: float) -> str:
    return "moins d'une milliseconde" if ms < 1 else f"{nombre(round(ms))} ms"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html", "xml"]), auto_reload=False)
    env.filters.update(nombre=nombre, date_fr=date_fr, duration=duration, categorie=label)
    return env


def base_path(public_base_url: str | None) -> str | None:
    """The path prefix of the public URL (``https://intranet.fr/sdc/`` -> ``/sdc``), if configured."""
    if not public_base_url:
        return None
    return urlsplit(public_base_url).path.rstrip("/")


class Renderer:
    """``render(request, template, context, status)`` -> ``HTMLResponse``.

    Every link of the pages starts with ``base_path``: the path of
    ``SDC_PUBLIC_BASE_URL`` when set (a reverse proxy serving the app under
    ``/sdc/``), else the ASGI ``root_path`` (``uvicorn --root-path``).
    """

    def __init__(self, env: Environment, prefix: str | None = None) -> None:
        self.env = env
        self.prefix = prefix

    def __call__(self, request: Request, name: str, context: dict[str, Any],
                 status: int = 200) -> HTMLResponse:
        prefix = self.prefix if self.prefix is not None else request.scope.get("root_path", "")
        body = self.env.get_template(name).render({"base_path": prefix, "unified": None,
                                                   "request": request, **context})
        return HTMLResponse(body, status_code=status)

    def error(self, request: Request, status: int, detail: object) -> HTMLResponse:
        message = ERROR_MESSAGES.get(status, "Une erreur est survenue.")
        return self(request, "error.html", {"status": status, "message": message,
                                            "q": request.query_params.get("q", "")[:500]},
                    status=status)
