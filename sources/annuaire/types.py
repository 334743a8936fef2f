"""Office types of the Annuaire: French labels, the words agents use for them, registry categories.

``SYNONYMS`` maps normalised words or phrases (no accents, lower case) to the pivot types they
name; the search reads a query's type words from it ("hotel de ville" -> ``mairie``).
"""

from __future__ import annotations

from sources.categories import Category

LABELS: dict[str, str] = {
    "mairie": "Mairie", "tresorerie": "Trésorerie", "gendarmerie": "Gendarmerie",
    "msap": "Maison France services", "france_services": "Maison France services",
    "cij": "Information jeunesse", "epci": "Intercommunalité",
    "communaute_communes": "Communauté de communes",
    "communaute_agglomerations": "Communauté d'agglomération",
    "clic": "Point d'information personnes âgées (CLIC)", "mission_locale": "Mission locale",
    "sie": "Service des impôts des entreprises", "sip": "Service des impôts des particuliers",
    "cio": "Centre d'information et d'orientation (CIO)", "pmi": "Protection maternelle et infantile",
    "hypotheque": "Service de la publicité foncière", "pif": "Point info famille",
    "prefecture": "Préfecture", "prefecture_region": "Préfecture de région", "sous_pref": "Sous-préfecture",
    "prefecture_greffe_associations": "Greffe des associations", "greta": "Greta",
    "bureau_de_douane": "Bureau de douane", "cci": "Chambre de commerce et d'industrie",
    "commissariat_police": "Commissariat de police", "cidf": "CIDFF", "mjd": "Maison de justice et du droit",
    "adil": "ADIL", "chambre_metier": "Chambre de métiers", "chambre_agriculture": "Chambre d'agriculture",
    "maison_handicapees": "MDPH", "cdg": "Centre de gestion", "cg": "Conseil départemental",
    "cr": "Conseil régional", "caf": "Caisse d'allocations familiales", "cpam": "CPAM", "msa": "MSA",
    "ti": "Tribunal d'instance", "tgi": "Tribunal de grande instance", "ta": "Tribunal administratif",
    "prudhommes": "Conseil de prud'hommes", "rectorat": "Rectorat", "crous": "Crous",
    "pole_emploi": "France Travail (Pôle emploi)", "ddt": "Direction départementale des territoires",
}

#: normalised word or phrase -> pivot types it names
SYNONYMS: dict[str, tuple[str, ...]] = {
    "mairie": ("mairie",), "mairies": ("mairie",), "hotel de ville": ("mairie",),
    "mairie annexe": ("mairie",), "commune": ("mairie",),
    "tresorerie": ("tresorerie",), "tresor public": ("tresorerie",), "perception": ("tresorerie",),
    "finances publiques": ("tresorerie", "sip", "sie"), "impots": ("sip", "sie", "tresorerie"),
    "centre des impots": ("sip", "sie"), "sip": ("sip",), "sie": ("sie",),
    "gendarmerie": ("gendarmerie",), "brigade": ("gendarmerie",), "gendarmes": ("gendarmerie",),
    "police": ("commissariat_police",), "commissariat": ("commissariat_police",),
    "france services": ("msap", "france_services"), "maison france services": ("msap", "france_services"),
    "msap": ("msap", "france_services"), "maison de services au public": ("msap", "france_services"),
    "cio": ("cio",), "orientation": ("cio",), "mission locale": ("mission_locale",),
    "cij": ("cij",), "bij": ("cij",), "pij": ("cij",), "information jeunesse": ("cij",),
    "communaute de communes": ("communaute_communes", "epci"), "cdc": ("communaute_communes",),
    "communaute d agglomeration": ("communaute_agglomerations", "epci"),
    "agglomeration": ("communaute_agglomerations", "epci"), "agglo": ("communaute_agglomerations", "epci"),
    "intercommunalite": ("epci",), "epci": ("epci",),
    "prefecture": ("prefecture", "prefecture_region"), "sous prefecture": ("sous_pref",),
    "sous-prefecture": ("sous_pref",), "clic": ("clic",), "pmi": ("pmi",), "caf": ("caf",),
    "cpam": ("cpam",), "securite sociale": ("cpam",), "assurance maladie": ("cpam",), "msa": ("msa",),
    "douane": ("bureau_de_douane", "drddi"), "douanes": ("bureau_de_douane", "drddi"),
    "tribunal": ("ti", "tgi", "ta", "tribunal_commerce"), "prud hommes": ("prudhommes",),
    "prudhommes": ("prudhommes",), "mdph": ("maison_handicapees",), "greta": ("greta",),
    "rectorat": ("rectorat",), "crous": ("crous",), "clous": ("crous",), "cci": ("cci",),
    "conseil departemental": ("cg",), "departement": ("cg",), "conseil regional": ("cr",),
    "region": ("cr",), "pole emploi": ("pole_emploi",), "france travail": ("pole_emploi",),
    "adil": ("adil",), "cidff": ("cidf",), "maison de justice": ("mjd",), "mjd": ("mjd",),
    "ddt": ("ddt",), "cadastre": ("centre_impots_fonciers",), "publicite fonciere": ("hypotheque",),
}

#: registry category of an office's website, by pivot type (default: autre-public)
CATEGORIES: dict[str, Category] = {
    "mairie": Category.COMMUNE, "epci": Category.INTERCOMMUNALITE,
    "communaute_communes": Category.INTERCOMMUNALITE, "communaute_agglomerations": Category.INTERCOMMUNALITE,
    "cg": Category.DEPARTEMENT, "cr": Category.REGION, "prefecture": Category.PREFECTURE,
    "prefecture_region": Category.PREFECTURE, "sous_pref": Category.PREFECTURE,
    "gendarmerie": Category.ETAT, "tresorerie": Category.ETAT, "sie": Category.ETAT, "sip": Category.ETAT,
    "commissariat_police": Category.ETAT, "bureau_de_douane": Category.ETAT, "ddt": Category.ETAT,
    "cio": Category.ACADEMIE, "rectorat": Category.ACADEMIE, "inspection_academique": Category.ACADEMIE,
    "greta": Category.ACADEMIE, "crous": Category.ENSEIGNEMENT_SUPERIEUR, "pmi": Category.DEPARTEMENT,
}


def label(kind: str) -> str:
    return LABELS.get(kind, kind.replace("_", " ").capitalize())


def category(kind: str) -> Category:
    return CATEGORIES.get(kind, Category.AUTRE_PUBLIC)
