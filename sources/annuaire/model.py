"""An office of the Annuaire de l'administration, as both upstream formats become one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

#: French day names, Monday first (DILA writes them capitalised)
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

ANNUAIRE_SITE = "https://lannuaire.service-public.fr"


def annuaire_page(url: str) -> str:
    """``url`` when it is a page of lannuaire.service-public.fr (https), else ``""``."""
    url = url.strip()
    for prefix in (ANNUAIRE_SITE + "/", "http://lannuaire.service-public.fr/"):
        if url.startswith(prefix) and len(url) > len(prefix):
            return ANNUAIRE_SITE + "/" + url[len(prefix):]
    return ""


@dataclass(frozen=True, slots=True)
class Hours:
    """One opening range: days ``first``..``last`` (0 = Monday), with up to two time spans."""

    first: int
    last: int
    spans: tuple[tuple[str, str], ...]
    comment: str = ""

    def covers(self, weekday: int) -> bool:
        return self.first <= weekday <= self.last

    @property
    def days(self) -> str:
        if self.first == self.last:
            return DAYS[self.first]
        return f"du {DAYS[self.first]} au {DAYS[self.last]}"

    @property
    def text(self) -> str:
        """``9 h – 12 h, 14 h – 17 h 30`` (the French way of writing hours)."""
        return ", ".join(f"{french_time(a)} – {french_time(b)}" for a, b in self.spans)

    def to_dict(self) -> dict[str, Any]:
        return {"days": self.days, "first_day": DAYS[self.first], "last_day": DAYS[self.last],
                "spans": [{"from": a, "to": b} for a, b in self.spans], "comment": self.comment}


def french_time(value: str) -> str:
    """``09:30`` -> ``9 h 30``; ``14:00`` -> ``14 h``."""
    hours, _, minutes = value.partition(":")
    h = str(int(hours)) if hours.isdigit() else hours
    return f"{h} h" if minutes in ("", "00") else f"{h} h {minutes}"


@dataclass(frozen=True, slots=True)
class Office:
    id: str
    name: str
    type: str
    types: tuple[str, ...] = ()
    street: str = ""
    postcode: str = ""
    commune: str = ""
    insee: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    hours: tuple[Hours, ...] = ()
    updated: str | None = None  # ISO date of the upstream's last change, when it says
    latitude: float | None = None
    longitude: float | None = None
    accessibility: str = ""
    #: the office's own page on lannuaire.service-public.fr, when the data names it (DILA's
    #: ``url_service_public``; a 2019 row whose ``home_page`` is that page)
    page_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def department(self) -> str:
        """Department code from the INSEE code (``2A``/``2B``, ``971``...), else from the postcode."""
        code = self.insee or self.postcode
        if len(code) < 2:
            return ""
        return code[:3] if code.startswith("97") else code[:2]

    @property
    def source_url(self) -> str:
        """The office's page on lannuaire.service-public.fr when the data names it, else the site's
        search for its name and commune (the site's page addresses, ``/<region>/<department>/<id>``,
        carry slugs that neither the 2019 file nor DILA's dump give: never made up)."""
        if self.page_url:
            return self.page_url
        return f"{ANNUAIRE_SITE}/recherche?" + urlencode({"whoWhat": self.name, "where": self.commune})

    @property
    def source_is_page(self) -> bool:
        """Whether :attr:`source_url` is the office's own page (else a search on the site)."""
        return bool(self.page_url)

    def hours_on(self, weekday: int) -> list[Hours]:
        return [h for h in self.hours if h.covers(weekday)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.type, "types": list(self.types),
            "address": {"street": self.street, "postcode": self.postcode, "commune": self.commune,
                        "latitude": self.latitude, "longitude": self.longitude,
                        "accessibility": self.accessibility},
            "postcode": self.postcode, "commune": self.commune, "insee": self.insee,
            "department": self.department, "phone": self.phone, "email": self.email,
            "website": self.website, "hours": [h.to_dict() for h in self.hours],
            "updated": self.updated, "source_url": self.source_url, "source_is_page": self.source_is_page,
            "page_url": self.page_url,
        }
