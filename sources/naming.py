"""Names and categories for the hosts no origin names, from the structure of open sources.

The curated national table (``sources.national``) names the sites agents meet most; the
Annuaire names its offices' websites; the universities list its universities.  Most
hosts of the Etalab lists still have no name.  What the lists and the State's naming
conventions say about them, without anyone writing a line per host:

- the prefectures: ``<department>.gouv.fr`` (Etalab's ``prefectures`` list follows it) and
  ``<region>.gouv.fr`` for the regional prefectures;
- the State's regional and departmental services: ``<region>.<service>.gouv.fr`` and
  ``<service>.<region>.gouv.fr`` (``ile-de-france.drjscs.gouv.fr``);
- the networks of public bodies named by acronym and department number or place
  (``udaf30.fr``, ``cdg29.bzh``, ``carsat-nordest.fr``, ``crous-bfc.fr``, ``sdis13.fr``);
- a school under an academy's domain (``clg-x.ac-versailles.fr``): the academy names it;
- a commune's site whose domain spells a commune's name (``mairie-montois.fr``): the
  Annuaire's mairie of that name, when the Annuaire is imported.

Each rule only fills what is missing: a name an origin gives is never replaced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from sources import psl
from sources.annuaire.departments import DEPARTMENTS
from sources.categories import Category

#: today's regions and the former ones the State's services' hosts still use
REGIONS = {
    "auvergne-rhone-alpes": "Auvergne-Rhône-Alpes", "bourgogne-franche-comte": "Bourgogne-Franche-Comté",
    "bretagne": "Bretagne", "centre-val-de-loire": "Centre-Val de Loire", "corse": "Corse",
    "grand-est": "Grand Est", "hauts-de-france": "Hauts-de-France", "ile-de-france": "Île-de-France",
    "normandie": "Normandie", "nouvelle-aquitaine": "Nouvelle-Aquitaine", "occitanie": "Occitanie",
    "pays-de-la-loire": "Pays de la Loire", "provence-alpes-cote-dazur": "Provence-Alpes-Côte d'Azur",
    "paca": "Provence-Alpes-Côte d'Azur", "guadeloupe": "Guadeloupe", "martinique": "Martinique",
    "guyane": "Guyane", "reunion": "La Réunion", "la-reunion": "La Réunion", "mayotte": "Mayotte",
    "alsace": "Alsace", "aquitaine": "Aquitaine", "auvergne": "Auvergne", "bourgogne": "Bourgogne",
    "centre": "Centre", "champagne-ardenne": "Champagne-Ardenne", "franche-comte": "Franche-Comté",
    "languedoc-roussillon": "Languedoc-Roussillon", "limousin": "Limousin", "lorraine": "Lorraine",
    "midi-pyrenees": "Midi-Pyrénées", "nord-pas-de-calais": "Nord-Pas-de-Calais",
    "basse-normandie": "Basse-Normandie", "haute-normandie": "Haute-Normandie", "picardie": "Picardie",
    "poitou-charentes": "Poitou-Charentes", "rhone-alpes": "Rhône-Alpes",
}

#: the State's decentralised services, by the label their hosts carry
SERVICES = {
    "drjscs": "Direction régionale de la jeunesse, des sports et de la cohésion sociale (DRJSCS)",
    "drdjscs": "Direction régionale et départementale de la jeunesse, des sports et de la cohésion"
               " sociale (DRDJSCS)",
    "dreets": "Direction régionale de l'économie, de l'emploi, du travail et des solidarités (DREETS)",
    "drieets": "Direction régionale et interdépartementale de l'économie, de l'emploi, du travail et"
               " des solidarités (DRIEETS)",
    "deets": "Direction de l'économie, de l'emploi, du travail et des solidarités (DEETS)",
    "direccte": "Direction régionale des entreprises, de la concurrence, de la consommation, du"
                " travail et de l'emploi (DIRECCTE)",
    "dieccte": "Direction des entreprises, de la concurrence, de la consommation, du travail et de"
               " l'emploi (DIECCTE)",
    "drire": "Direction régionale de l'industrie, de la recherche et de l'environnement (DRIRE)",
    "dreal": "Direction régionale de l'environnement, de l'aménagement et du logement (DREAL)",
    "draaf": "Direction régionale de l'alimentation, de l'agriculture et de la forêt (DRAAF)",
    "daaf": "Direction de l'alimentation, de l'agriculture et de la forêt (DAAF)",
    "drac": "Direction régionale des affaires culturelles (DRAC)",
    "ddt": "Direction départementale des territoires (DDT)",
    "ddtm": "Direction départementale des territoires et de la mer (DDTM)",
    "ddpp": "Direction départementale de la protection des populations (DDPP)",
    "ddcs": "Direction départementale de la cohésion sociale (DDCS)",
    "ddcspp": "Direction départementale de la cohésion sociale et de la protection des populations"
              " (DDCSPP)",
    "dirm": "Direction interrégionale de la mer (DIRM)",
    "premar": "Préfecture maritime",
}

#: (pattern of the registrable domain's first label, category, name); ``{where}`` is the
#: department (a number) or the rest of the label
NETWORKS: tuple[tuple[re.Pattern[str], Category, str], ...] = tuple(
    (re.compile(pattern), category, name) for pattern, category, name in (
        (r"^udaf-?(\d[\dab]|97\d)$", Category.AUTRE_PUBLIC,
         "Union départementale des associations familiales (UDAF) — {where}"),
        (r"^cdg-?(\d[\dab]|97\d)$", Category.COLLECTIVITE,
         "Centre de gestion de la fonction publique territoriale — {where}"),
        (r"^sdis-?(\d[\dab]|97\d)$", Category.COLLECTIVITE,
         "Service départemental d'incendie et de secours (SDIS) — {where}"),
        (r"^adil-?(\d[\dab]|97\d)$", Category.AUTRE_PUBLIC,
         "Agence départementale d'information sur le logement (ADIL) — {where}"),
        (r"^caue-?(\d[\dab]|97\d)$", Category.AUTRE_PUBLIC,
         "Conseil d'architecture, d'urbanisme et de l'environnement (CAUE) — {where}"),
        (r"^cma-?(\d[\dab]|97\d)$", Category.AUTRE_PUBLIC, "Chambre de métiers et de l'artisanat — {where}"),
        (r"^mdph-?(\d[\dab]|97\d)$", Category.DEPARTEMENT,
         "Maison départementale des personnes handicapées (MDPH) — {where}"),
        (r"^carsat-?([a-z-]+)$", Category.SANTE,
         "Caisse d'assurance retraite et de la santé au travail (Carsat) — {where}"),
        (r"^cpam-?([a-z0-9-]+)$", Category.SANTE, "Caisse primaire d'assurance maladie (CPAM) — {where}"),
        (r"^crous-?([a-z-]+)$", Category.ENSEIGNEMENT_SUPERIEUR,
         "Centre régional des œuvres universitaires et scolaires (Crous) — {where}"),
        (r"^crij-?([a-z-]+)$", Category.AUTRE_PUBLIC,
         "Centre régional information jeunesse (CRIJ) — {where}"),
        (r"^(?:chu|chru)-?([a-z-]+)$", Category.SANTE, "Centre hospitalier universitaire — {where}"),
    ))

#: categories a derived name may replace (a list's catch-all, or no category at all)
_WEAK = {Category.AUTRE_PUBLIC.value, Category.COLLECTIVITE.value}
_PREFIXES = ("mairiede", "mairied", "mairie", "villede", "villed", "ville", "communede", "communed",
             "commune")


def fold(text: str) -> str:
    """``Saint-Étienne-d'Orthe`` -> ``stetiennedorthe``: names and domain labels compared."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    plain = re.sub(r"\bsainte\b", "ste", re.sub(r"\bsaint\b", "st", re.sub(r"[-_'’ ]+", " ", plain)))
    return re.sub(r"[^a-z0-9]", "", plain)


def _slug(name: str) -> str:
    """``Côte-d'Or`` -> ``cote-dor``: how the prefectures' hosts spell a department."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text.replace("'", "")).strip("-").removeprefix("la-")


DEPARTMENT_SLUGS = {_slug(name): name for name in DEPARTMENTS.values()}
_FOLDED_PLACES = {fold(s): n for s, n in (*DEPARTMENT_SLUGS.items(), *REGIONS.items())}


def communes_of_annuaire(data_dir: Path) -> dict[str, str]:
    """Folded commune name -> the Annuaire's mairie name, when the Annuaire is imported."""
    from sources.annuaire.store import FILENAME, AnnuaireStore

    if not (Path(data_dir) / FILENAME).is_file():
        return {}
    try:
        with AnnuaireStore(data_dir, readonly=True) as store:
            return communes_from((name for _id, kind, name, _w in store.websites_all() if kind == "mairie"))
    except Exception:  # noqa: BLE001 - names are a bonus: an unreadable Annuaire names nothing
        return {}


def communes_from(mairies: Iterable[str]) -> dict[str, str]:
    """Folded commune name -> mairie name, from names like ``Mairie - Billiers``."""
    out: dict[str, str] = {}
    for name in mairies:
        commune = name.partition(" - ")[2].strip()
        key = fold(commune)
        if len(key) >= 4:
            out.setdefault(key, f"Mairie - {commune}")
    return out


class Namer:
    """Derives ``(category, name)`` for an unnamed host (module docstring)."""

    def __init__(self, rules: dict[str, int], communes: dict[str, str] | None = None,
                 academies: dict[str, str] | None = None) -> None:
        self.rules = rules  # the Public Suffix List's (sources.psl)
        self.communes = communes or {}
        #: academy domain (``ac-versailles.fr``) -> its name
        self.academies = academies or {}

    def derive(self, host: str, category: str) -> tuple[str, str] | None:
        labels = host.removeprefix("www.").split(".")
        if labels[-2:] == ["gouv", "fr"]:
            return self._state(labels[:-2], category)
        domain = psl.walk_registrable(host, self.rules)
        if not domain:
            return None
        academy = self.academies.get(domain)
        if academy is not None and category == Category.ETABLISSEMENT_SCOLAIRE.value:
            return category, f"Établissement scolaire — {academy}"
        first = domain.split(".", 1)[0]
        for pattern, network_category, name in NETWORKS:
            found = pattern.match(first)
            if found:
                where = found.group(1)
                place = DEPARTMENTS.get(where.upper()) or _FOLDED_PLACES.get(fold(where)) or where
                kind = network_category.value if category in _WEAK else category
                return kind, name.format(where=place)
        if category in (Category.COMMUNE.value, *_WEAK) and self.communes:
            commune = self.communes.get(self._commune_key(first))
            if commune is not None:
                return Category.COMMUNE.value if category in _WEAK else category, commune
        return None

    def _state(self, labels: list[str], category: str) -> tuple[str, str] | None:
        """A host under ``gouv.fr`` (``labels`` without it)."""
        if len(labels) == 1:
            department = DEPARTMENT_SLUGS.get(labels[0])
            if department is not None:
                return Category.PREFECTURE.value, f"Préfecture — {department}"
            region = REGIONS.get(labels[0])
            if region is not None:
                return Category.PREFECTURE.value, f"Préfecture de région — {region}"
        for i, label in enumerate(labels):
            head, _, tail = label.partition("-")
            service = SERVICES.get(label) or SERVICES.get(head)
            if service is None:
                continue
            places = [*labels[:i], *labels[i + 1:], tail]
            place = next((p for p in (_FOLDED_PLACES.get(fold(x)) for x in places if x) if p), None)
            kind = Category.ETAT.value if category in (*_WEAK, Category.ETAT.value) else category
            return kind, f"{service} — {place}" if place else service
        return None

    @staticmethod
    def _commune_key(label: str) -> str:
        """``mairie-montagnieu-01`` -> ``montagnieu``: the commune a domain label spells."""
        words = label.split("-")
        if len(words) > 1 and (words[-1].isdigit() or fold(words[-1]) in _FOLDED_PLACES):
            words = words[:-1]
        key = fold(" ".join(words))
        for prefix in _PREFIXES:
            if key.startswith(prefix) and len(key) - len(prefix) >= 4:
                return key[len(prefix):]
        return key
