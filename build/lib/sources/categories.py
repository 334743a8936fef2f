"""The categories of trusted sources, with their French labels.

Every importer maps its own lists onto these values; the index, the ranking,
the service and the extension only ever see these.
"""

from __future__ import annotations

from enum import StrEnum

from sources.errors import UnknownCategoryError


class Category(StrEnum):
    COMMUNE = "commune"
    INTERCOMMUNALITE = "intercommunalite"
    DEPARTEMENT = "departement"
    REGION = "region"
    COLLECTIVITE = "collectivite"
    ETAT = "etat"
    PREFECTURE = "prefecture"
    AMBASSADE = "ambassade"
    ENSEIGNEMENT_SUPERIEUR = "enseignement-superieur"
    ETABLISSEMENT_SCOLAIRE = "etablissement-scolaire"
    ACADEMIE = "academie"
    SANTE = "sante"
    AUTRE_PUBLIC = "autre-public"
    #: intergovernmental organisations and EU institutions (.int, europa.eu)
    INSTITUTION_INTERNATIONALE = "institution-internationale"
    #: foreign governments and armed forces (.gov, .mil, gov.uk...)
    ETAT_ETRANGER = "etat-etranger"


LABELS: dict[Category, str] = {
    Category.COMMUNE: "Commune",
    Category.INTERCOMMUNALITE: "Intercommunalité",
    Category.DEPARTEMENT: "Département",
    Category.REGION: "Région",
    Category.COLLECTIVITE: "Collectivité",
    Category.ETAT: "État",
    Category.PREFECTURE: "Préfecture",
    Category.AMBASSADE: "Ambassade",
    Category.ENSEIGNEMENT_SUPERIEUR: "Enseignement supérieur",
    Category.ETABLISSEMENT_SCOLAIRE: "Établissement scolaire",
    Category.ACADEMIE: "Académie",
    Category.SANTE: "Santé",
    Category.AUTRE_PUBLIC: "Autre organisme public",
    Category.INSTITUTION_INTERNATIONALE: "Institution internationale",
    Category.ETAT_ETRANGER: "État étranger",
}


def parse_category(value: str) -> Category:
    """Return the category named ``value`` or raise :class:`UnknownCategoryError`."""
    try:
        return Category(value.strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in Category)
        raise UnknownCategoryError(f"unknown category {value!r} (known: {known})") from None
