"""One precedence of origins: what an origin is stored with is what the compiled view orders by."""

from __future__ import annotations

from pathlib import Path

from sources import Registry
from sources.annuaire import AnnuaireStore, import_annuaire
from sources.annuaire.origin import ORIGIN, register_origin
from sources.precedence import LIST, NATIONAL, PRIORITY, priority

CSV = ("#id,name,request_email,notes,home_page,tag_string\n"
       'mairie-56018-01,Mairie - Billiers,m@billiers.fr,"Adresse : 1 rue,56190,Billiers | Tél : | Fax : ",'
       "http://www.billiers.fr,mairie\n")
UNIVERSITIES = '[{"name": "Université de Billiers", "domains": ["www.billiers.fr"]}]'


def test_the_documented_order() -> None:
    # docs/sources.md: the national table > the Annuaire > universities > Etalab > plain lists
    assert NATIONAL < priority("annuaire") < priority("universities") < priority("etalab") < LIST
    assert priority("my-list") == LIST and set(PRIORITY) == {"annuaire", "universities", "etalab"}


def test_the_annuaire_origin_is_stored_with_the_one_priority(tmp_path: Path) -> None:
    source = tmp_path / "annuaire.csv"
    source.write_text(CSV, encoding="utf-8")
    import_annuaire(tmp_path, str(source))
    universities = tmp_path / "universities.json"
    universities.write_text(UNIVERSITIES, encoding="utf-8")
    with Registry(tmp_path) as registry:
        registry.import_universities(str(universities))
        with AnnuaireStore(tmp_path) as store:
            register_origin(store, registry.store, "v1")
        stored = {o["origin"]: o["priority"] for o in registry.store.origins()}
        assert stored == {ORIGIN: priority("annuaire"), "universities": priority("universities")}
        # the store's own order (``sdc sources show``) and the compiled view agree: the Annuaire names it
        assert registry.store.entries_for("www.billiers.fr")[0]["origin"] == ORIGIN
        verdict = registry.classifier().classify_host("www.billiers.fr")
        assert (verdict.name, verdict.category.value if verdict.category else None) == (
            "Mairie - Billiers", "commune")
