"""Names and categories derived from the lists' structure for hosts no origin names."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources import Registry, psl
from sources.naming import Namer, communes_from, fold
from sources.national import ACADEMIES

COMMUNES = communes_from(["Mairie - Montagnieu", "Mairie - Saint-Jodard", "Mairie - Thèzan-des-Corbières"])


@pytest.fixture(scope="module")
def namer() -> Namer:
    return Namer(psl.bundled_rules(), COMMUNES, ACADEMIES)


@pytest.mark.parametrize(("host", "category", "expected"), [
    ("www.ain.gouv.fr", "etat", ("prefecture", "Préfecture — Ain")),
    ("cote-dor.gouv.fr", "prefecture", ("prefecture", "Préfecture — Côte-d'Or")),
    ("reunion.gouv.fr", "etat", ("prefecture", "Préfecture — La Réunion")),
    ("www.ile-de-france.gouv.fr", "etat", ("prefecture", "Préfecture de région — Île-de-France")),
    ("ile-de-france.drjscs.gouv.fr", "etat", ("etat", "Direction régionale de la jeunesse, des sports et de"
                                                      " la cohésion sociale (DRJSCS) — Île-de-France")),
    ("www.udaf30.fr", "autre-public", ("autre-public",
                                       "Union départementale des associations familiales (UDAF) — Gard")),
    ("cdg29.bzh", "collectivite", ("collectivite",
                                   "Centre de gestion de la fonction publique territoriale — Finistère")),
    ("www.clg-nolhac-versailles.ac-versailles.fr", "etablissement-scolaire",
     ("etablissement-scolaire", "Établissement scolaire — Académie de Versailles")),
    ("montagnieu-01.fr", "collectivite", ("commune", "Mairie - Montagnieu")),
    ("www.mairie-saint-jodard.fr", "commune", ("commune", "Mairie - Saint-Jodard")),
    ("thezandescorbieres.com", "commune", ("commune", "Mairie - Thèzan-des-Corbières")),
])
def test_what_the_structure_says(namer: Namer, host: str, category: str, expected: tuple[str, str]) -> None:
    assert namer.derive(host, category) == expected


@pytest.mark.parametrize(("host", "category"), [
    ("reforme-retraite.gouv.fr", "etat"),           # nothing in its name says whose it is
    ("www.lyceekastler.fr", "etablissement-scolaire"),
    ("www.montagnieu.example.com", "commune"),      # ``example.com`` spells no commune
    ("amf.asso.fr", "collectivite"),                # ``asso.fr`` is a public suffix: ``amf`` is the label
    ("cc-broceliande.bzh", "intercommunalite"),
])
def test_nothing_is_made_up(namer: Namer, host: str, category: str) -> None:
    assert namer.derive(host, category) is None


def test_names_and_labels_fold_alike() -> None:
    assert fold("Œuilly-Saint-Étienne") == fold("oeuilly-st-etienne") == "oeuillystetienne"


def test_the_registry_names_unnamed_hosts_and_keeps_given_names(tmp_path: Path) -> None:
    listed = tmp_path / "etat.txt"
    listed.write_text("ain.gouv.fr\nwww.ain.gouv.fr\nbretagne.drjscs.gouv.fr\nudaf30.fr\n", "utf-8")
    universities = tmp_path / "u.json"
    universities.write_text('[{"name": "Université de l\'Ain", "domains": ["udaf30.fr"]}]', "utf-8")
    with Registry(tmp_path) as registry:
        registry.import_list(str(listed), "etat", "test-etat")
        registry.import_universities(str(universities))
        classifier = registry.classifier()
    named = {h: (v.category.value if v.category else None, v.name)
             for h in ("www.ain.gouv.fr", "bretagne.drjscs.gouv.fr", "udaf30.fr")
             for v in [classifier.classify_host(h)]}
    assert named["www.ain.gouv.fr"] == ("prefecture", "Préfecture — Ain")
    assert named["bretagne.drjscs.gouv.fr"][1].endswith("(DRJSCS) — Bretagne")
    assert named["udaf30.fr"] == ("enseignement-superieur", "Université de l'Ain")  # an origin's name wins
