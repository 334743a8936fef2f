"""The unified view's verticals (``?vue=``), as data: which hosts or dates make a result belong.

``textes``, "Textes de référence"
    Law, case law, official journals and statistics: the sites an agent cites.
    A group of hosts rather than a registry category (Légifrance and INSEE
    are both ``etat`` or ``autre-public`` beside thousands of other sites); a
    host matches when it is listed or under a listed host, on label boundaries
    (``www.legifrance.gouv.fr`` matches ``legifrance.gouv.fr``).

``actualites``, "Actualités officielles"
    Trusted pages that carry a publication date, newest first: the index is
    asked with ``sort="date"`` and pages without a date are left out.

>>> vertical("textes").matches("www.legifrance.gouv.fr")
True
>>> vertical("textes").matches("notlegifrance.gouv.fr")
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ranking.errors import InvalidResultsError
from sources.hosts import under_any

#: the sites of reference texts, with the body that publishes them
REFERENCE_HOSTS: dict[str, str] = {
    "legifrance.gouv.fr": "Légifrance (DILA)",
    "journal-officiel.gouv.fr": "Journal officiel (DILA)",
    "boamp.fr": "Bulletin officiel des annonces des marchés publics",
    "bodacc.fr": "Bulletin officiel des annonces civiles et commerciales",
    "bofip.impots.gouv.fr": "Bulletin officiel des finances publiques",
    "boss.gouv.fr": "Bulletin officiel de la sécurité sociale",
    "bulletin-officiel.developpement-durable.gouv.fr": "Bulletin officiel du ministère de l'Écologie",
    "vie-publique.fr": "Vie publique (DILA)",
    "conseil-constitutionnel.fr": "Conseil constitutionnel",
    "conseil-etat.fr": "Conseil d'État",
    "courdecassation.fr": "Cour de cassation",
    "ccomptes.fr": "Cour des comptes",
    "assemblee-nationale.fr": "Assemblée nationale",
    "senat.fr": "Sénat",
    "insee.fr": "Insee",
    "data.gouv.fr": "data.gouv.fr (Etalab)",
    "eur-lex.europa.eu": "EUR-Lex (Union européenne)",
    "cnil.fr": "CNIL (délibérations)",
}


@dataclass(frozen=True, slots=True)
class ResultView:
    """A vertical of the unified view (``?vue=``): which trusted results belong (by host, or by having
    a date) and in what order. Not :class:`service.verticals.CategoryTab`, the search page's tabs that
    filter our own index by registry category."""

    slug: str
    label: str
    #: hosts (with their subdomains) that belong; empty: every trusted host
    hosts: frozenset[str]
    sort: Literal["relevance", "date"] = "relevance"
    #: only results with a publication date
    dated_only: bool = False

    def matches(self, host: str | None) -> bool:
        if not self.hosts:
            return True
        if not host:
            return False
        return under_any(host.lower().rstrip("."), self.hosts)


TEXTES = ResultView("textes", "Textes de référence", frozenset(REFERENCE_HOSTS))
ACTUALITES = ResultView("actualites", "Actualités officielles", frozenset(), sort="date", dated_only=True)

VERTICALS: dict[str, ResultView] = {v.slug: v for v in (TEXTES, ACTUALITES)}


def vertical(slug: str) -> ResultView:
    try:
        return VERTICALS[slug]
    except KeyError:
        known = ", ".join(VERTICALS)
        raise InvalidResultsError(f"unknown vertical {slug!r} (known: {known})") from None
