"""Fixtures of the Annuaire's tests: a small CSV in the 2019 file's exact format, a DILA record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HEADER = "#id,name,request_email,notes,home_page,tag_string\n"
ROWS = [
    'mairie-56018-01,Mairie - Billiers,mairiedebilliers@orange.fr,"Adresse : 26 rue du Penher,56190,Billiers'
    ' | Tél : 02 97 41 64 23 | Fax : 02 97 45 66 85",http://www.billiers.fr,mairie',
    'mairie-56147-01,Mairie - Muzillac,accueil@muzillac.fr,"Adresse : Place de l\'Hôtel de Ville,56190,'
    'Muzillac | Tél : 02 97 41 66 66 | Fax : ",http://www.muzillac.fr,mairie',
    'gendarmerie-97128-01,Brigade de gendarmerie - Sainte-Anne 97128-01,bta.ste-anne@gendarmerie.interieur'
    '.gouv.fr,"Adresse : 1 Impasse Joas Section Castaing,97180,Sainte-Anne | Tél : +590 85 19 50 | Fax : ",'
    'http://www.gendarmerie.interieur.gouv.fr,gendarmerie',
    'gendarmerie-97410-01,Brigade de gendarmerie - Sainte-Anne - Saint-Benoît 97410-01,cob@gendarmerie.'
    'interieur.gouv.fr,"Adresse : Sainte-Anne - 1 rue Roger Dijoux,97470,Saint-Benoît | Tél : | Fax : ",'
    'http://www.gendarmerie.interieur.gouv.fr,gendarmerie',
    'mairie-97128-01,Mairie - Sainte-Anne,mairie@ville-sainteanne.fr,"Adresse : Rue Abbé Grégoire,97180,'
    'Sainte-Anne | Tél : +590 88 27 27 | Fax : ",http://www.ville-sainteanne.fr,mairie',
    'cio-31555-01,Centre d\x92information et d\x92orientation (CIO) - Toulouse Centre 31555-01,cio@ac-'
    'toulouse.fr,"Adresse : 4 rue Claire-Pauilhac, 31000, Toulouse Cedex 6 | Tél : 05 61 | Fax : ",'
    'www.ac-toulouse.fr,cio',
    'mairie-09122-01,Mairie - Foix,mairie@foix.fr,"Adresse : 45 cours Gabriel-Fauré,9000,Foix | Tél : | '
    'Fax : ",https://www.sites.google.com/foix,mairie',
    'mairie-69123-01,Mairie - Lyon,contact@lyon.fr,"Adresse : 1 place de la Comédie,69001,Lyon | Tél : 04 72'
    ' 10 30 30 | Fax : ",http://www.lyon.fr,mairie',
    'mairie-56018-01,Mairie - Billiers (doublon),x@y.fr,"Adresse : ,56190,Billiers | Tél : | Fax : ",,mairie',
]


def write_csv(path: Path, rows: list[str] = ROWS) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture()
def sample_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "annuaire.csv")


DILA_RECORD = {
    "id": "0b19da66-336b-4a4d-a56a-1bbf731ec306", "nom": "Mairie - Breux-sur-Avre",
    "pivot": [{"type_service_local": "mairie", "code_insee_commune": "27115"}],
    "code_insee_commune": "27115",
    "adresse": [{"type_adresse": "Adresse", "complement1": "10 ancienne route du Mans",
                 "numero_voie": "Le Bourg",
                 "code_postal": "27570", "nom_commune": "Breux-sur-Avre", "longitude": "1.081901",
                 "latitude": "48.76231", "accessibilite": "ACC"}],
    "telephone": [{"valeur": "02 32 32 50 76"}], "adresse_courriel": ["mairie@breux-sur-avre.fr"],
    "site_internet": [{"valeur": "https://www.breux-sur-avre.fr "}],
    "plage_ouverture": [
        {"nom_jour_debut": "Lundi", "nom_jour_fin": "Lundi", "valeur_heure_debut_1": "16:30:00",
         "valeur_heure_fin_1": "18:30:00", "valeur_heure_debut_2": "", "valeur_heure_fin_2": "",
         "commentaire": ""},
        {"nom_jour_debut": "Mardi", "nom_jour_fin": "Vendredi", "valeur_heure_debut_1": "09:00:00",
         "valeur_heure_fin_1": "12:00:00", "valeur_heure_debut_2": "14:00:00",
         "valeur_heure_fin_2": "17:30:00", "commentaire": "sur rendez-vous le vendredi"},
    ],
    "date_modification": "03/12/2021 07:55:01",
}


@pytest.fixture()
def dila_json(tmp_path: Path) -> Path:
    path = tmp_path / "data.gouv_local.json"
    path.write_text(json.dumps({"service": [DILA_RECORD]}), encoding="utf-8")
    return path
