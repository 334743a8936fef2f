"""The Annuaire's store (replace, report, version, all or nothing) and its search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index.offices import names_office, parse, search
from sources.annuaire import AnnuaireStore, AnnuaireStoreError, Office, import_annuaire, read_offices
from sources.annuaire.origin import coverage, origin_rows, register_origin
from sources.store import Store
from tests.annuaire.conftest import ROWS, write_csv


@pytest.fixture()
def store(tmp_path: Path, sample_csv: Path) -> Iterator[AnnuaireStore]:
    import_annuaire(tmp_path, str(sample_csv))
    with AnnuaireStore(tmp_path, readonly=True) as opened:
        yield opened


def test_reimport_reports_added_changed_removed_and_keeps_version(tmp_path: Path, sample_csv: Path,
                                                                   dila_json: Path) -> None:
    first = import_annuaire(tmp_path, str(sample_csv), version="2019-10-22")
    assert (first.total, first.added, first.changed, first.removed) == (8, 8, 0, 0)
    again = import_annuaire(tmp_path, str(sample_csv))
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    edited = [ROWS[0].replace("02 97 41 64 23", "02 97 00 00 00"), *ROWS[1:5]]
    third = import_annuaire(tmp_path, str(write_csv(tmp_path / "edited.csv", edited)))
    assert (third.total, third.added, third.changed, third.removed) == (5, 0, 1, 3)
    dila = import_annuaire(tmp_path, str(dila_json))
    assert dila.date == "2021-12-03"
    with AnnuaireStore(tmp_path, readonly=True) as store:
        meta = store.meta()
        assert (meta["version"], meta["date"], meta["offices"]) == (dila.version, "2021-12-03", "1")
        assert store.get("0b19da66-336b-4a4d-a56a-1bbf731ec306").hours[0].text == "16 h 30 – 18 h 30"


def test_a_failed_import_leaves_the_previous_annuaire(tmp_path: Path, sample_csv: Path) -> None:
    import_annuaire(tmp_path, str(sample_csv))

    def broken() -> Iterator[Office]:
        yield from read_offices(str(sample_csv))
        raise OSError("connection lost")

    with AnnuaireStore(tmp_path) as store, pytest.raises(OSError):
        store.replace(broken(), "broken")
    with AnnuaireStore(tmp_path) as store, pytest.raises(AnnuaireStoreError, match="no office"):
        store.replace(iter(()), "empty")
    with AnnuaireStore(tmp_path, readonly=True) as store:
        assert store.count() == 8


def test_no_annuaire_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(AnnuaireStoreError, match="sdc annuaire import"):
        AnnuaireStore(tmp_path / "nothing", readonly=True)


def test_the_query_is_read_as_types_codes_and_place() -> None:
    parsed = parse("Horaires de la mairie de Saint-Jean-de-Luz 64500")
    assert parsed.types == {"mairie"} and parsed.codes == ["64500"]
    assert parsed.place == ["saint", "jean", "luz"]
    assert parse("hôtel de ville st malo").types == {"mairie"}
    assert parse("maison france services amiens").types == {"msap", "france_services"}


@pytest.mark.parametrize(("query", "expected"), [
    ("mairie de billiers", "mairie-56018-01"),
    ("billiers", "mairie-56018-01"),
    ("Billiers", "mairie-56018-01"),
    ("gendarmerie sainte anne", "gendarmerie-97128-01"),
    ("gendarmerie Sainte-Anne", "gendarmerie-97128-01"),
    ("mairie ste anne", "mairie-97128-01"),
    ("cio toulouse", "cio-31555-01"),
    ("centre d'information et d'orientation toulouse", "cio-31555-01"),
    ("97180 gendarmerie", "gendarmerie-97128-01"),
    ("mairie 56018", "mairie-56018-01"),
    ("mairie morbihan muzillac", "mairie-56147-01"),
])
def test_agents_queries_find_the_office_first(store: AnnuaireStore, query: str, expected: str) -> None:
    assert search(store, query)[0].office.id == expected


def test_filters_by_type_and_commune(store: AnnuaireStore) -> None:
    assert [s.office.id for s in search(store, "sainte anne", kind="gendarmerie")] == [
        "gendarmerie-97128-01", "gendarmerie-97410-01"]
    assert [s.office.id for s in search(store, "56190", commune="Muzillac")] == ["mairie-56147-01"]
    assert search(store, "de la du") == []


def test_a_web_query_names_an_office_only_when_every_word_is_in_it(store: AnnuaireStore) -> None:
    assert names_office(store, "mairie de billiers").id == "mairie-56018-01"
    assert names_office(store, "billiers").id == "mairie-56018-01"
    assert names_office(store, "budget participatif billiers") is None
    assert names_office(store, "sainte anne") is not None  # the mairie of that commune
    assert names_office(store, "allocations familiales") is None
    assert names_office(store, "mairie") is None


def test_websites_become_a_registry_origin_named_after_the_office(tmp_path: Path,
                                                                  store: AnnuaireStore) -> None:
    rows = {r.host: r for r in origin_rows(store)}
    assert rows["www.billiers.fr"].name == "Mairie - Billiers"
    assert rows["www.billiers.fr"].category == "commune"
    assert rows["www.gendarmerie.interieur.gouv.fr"].category == "etat"
    with Store(tmp_path / "registry") as registry:
        report = register_origin(store, registry, "v1")
        assert report.added == len(rows)
        assert register_origin(store, registry, "v1").added == 0


def test_coverage_lists_the_untrusted_websites(tmp_path: Path, store: AnnuaireStore) -> None:
    from sources import Registry

    with Registry(tmp_path / "registry") as registry:
        found = coverage(store, registry.classifier(), {"mairie"})
        # interieur.gouv.fr is trusted by the built-in rules; a fresh registry knows no commune
        assert found.by_type["mairie"][:2] == [5, 5] and found.trusted == 0
        assert any(w == "https://www.sites.google.com/foix" for _, _, w, _ in found.untrusted)
        register_origin(store, registry.store, "v1")
        after = coverage(store, registry.classifier(), {"mairie"})
        assert after.trusted == 4 and after.by_annuaire == 4  # sites.google.com stays untrusted


def test_the_tantivy_index_finds_what_fts5_finds_and_knows_when_it_is_stale(tmp_path: Path,
                                                                            sample_csv: Path) -> None:
    import time

    from index.errors import SearchIndexError
    from index.office_index import OfficeIndex, build

    import_annuaire(tmp_path, str(sample_csv))
    with AnnuaireStore(tmp_path, readonly=True) as store:
        build(store, tmp_path)
        index = OfficeIndex(tmp_path, store)
        for query in ("mairie de billiers", "gendarmerie sainte anne", "cio toulouse", "97180 gendarmerie",
                      "mairie morbihan muzillac"):
            assert [s.office.id for s in search(index, query)] == [s.office.id for s in search(store, query)]
        # an index of an earlier layout (its rowids were stored only) is not used: FTS5 answers
        stamp = tmp_path / "annuaire-index" / "built-from"
        stamp.write_text(stamp.read_text(encoding="utf-8").split(" ", 1)[1], encoding="utf-8")
        with pytest.raises(SearchIndexError, match="older"):
            OfficeIndex(tmp_path, store)
    time.sleep(1.1)  # the stamp has a one-second resolution
    import_annuaire(tmp_path, str(sample_csv))
    with AnnuaireStore(tmp_path, readonly=True) as store, pytest.raises(SearchIndexError, match="older"):
        OfficeIndex(tmp_path, store)
    with AnnuaireStore(tmp_path / "none", readonly=False) as empty, pytest.raises(SearchIndexError):
        OfficeIndex(tmp_path / "none", empty)
