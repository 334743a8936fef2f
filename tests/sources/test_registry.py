"""Imports (local and over HTTP), idempotency, provenance, the curator overlay, concurrency."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sources import Registry
from sources.errors import FetchError, FormatError, ImportRefusedError, InvalidHostError, UnknownCategoryError
from sources.national import NATIONAL
from sources.records import ImportGuard


def write_etalab(directory: Path, communes: str, urls: str = "", **more: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "communes.txt").write_text(communes, "utf-8")
    if urls:
        (directory / "urls.txt").write_text(urls, "utf-8")
    for stem, text in more.items():
        (directory / f"{stem.replace('_', '-')}.txt").write_text(text, "utf-8")
    return directory


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def http_dir(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "www"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_etalab_import_maps_categories_and_urls(registry: Registry, tmp_path: Path) -> None:
    lists = write_etalab(
        tmp_path / "etalab",
        "paris.fr\nwww.paris.fr  # (redirection from paris.com)\nÉmancé.fr\n",
        "https://www.paris.fr\nhttps://agence-exemple.fr\nhttp://www.agence-exemple.fr\n",
        prefectures="ain.gouv.fr\n",
        epci="grandlyon.com\n",
    )
    result = registry.import_etalab(str(lists))
    assert result.to_dict()["added"] == 7
    classifier = registry.classifier()
    assert classifier.classify("https://www.paris.fr/").to_dict()["category"] == "commune"
    assert classifier.classify("https://xn--manc-9oae.fr/").to_dict()["category"] == "commune"
    assert classifier.classify("https://ain.gouv.fr/").to_dict()["category"] == "prefecture"
    assert classifier.classify("https://www.grandlyon.com/").to_dict()["category"] == "intercommunalite"
    cnil = classifier.classify("https://www.agence-exemple.fr/").to_dict()
    assert cnil["category"] == "autre-public" and cnil["rule"] == "etalab:urls"
    entries = registry.describe("paris.fr")["entries"]
    www = next(e for e in entries if e["host"] == "www.paris.fr")
    assert www["comment"] == "(redirection from paris.com)"
    assert www["origin"] == "etalab" and www["list"] == "communes" and www["added_at"]
    assert str(www["version"]).startswith("sha256:")


def test_reimport_is_idempotent_and_reports_the_difference(registry: Registry, tmp_path: Path) -> None:
    lists = write_etalab(tmp_path / "e", "a.fr\nb.fr\nc.fr\n")
    first = registry.import_etalab(str(lists)).report
    assert (first.added, first.removed, first.unchanged) == (3, 0, 0)
    again = registry.import_etalab(str(lists)).report
    assert (again.added, again.removed, again.changed, again.unchanged) == (0, 0, 0, 3)
    write_etalab(tmp_path / "e", "a.fr\nc.fr\nd.fr\n", prefectures="b.fr\n")
    third = registry.import_etalab(str(lists)).report
    assert (third.added, third.removed, third.changed, third.unchanged) == (1, 0, 1, 2)
    classifier = registry.classifier()
    assert classifier.classify("https://b.fr/").to_dict()["category"] == "prefecture"
    write_etalab(tmp_path / "e", "a.fr\n")
    (lists / "prefectures.txt").unlink()
    generation = registry.generation()
    with pytest.raises(ImportRefusedError, match="prefectures.txt"):  # a file read last time is gone
        registry.import_etalab(str(lists))
    (lists / "prefectures.txt").write_text("", "utf-8")
    with pytest.raises(ImportRefusedError, match="3 of 4"):  # 75 % of the origin would go
        registry.import_etalab(str(lists))
    assert registry.generation() == generation and registry.classifier().classify("https://d.fr/").trusted
    dry = registry.import_etalab(str(lists), guard=ImportGuard(dry_run=True, allow_shrink=True))
    assert dry.report.removed_hosts == ("b.fr", "c.fr", "d.fr") and dry.report.dry_run
    assert registry.classifier().classify("https://d.fr/").trusted  # a dry run changes nothing
    fourth = registry.import_etalab(str(lists), guard=ImportGuard(allow_shrink=True)).report
    assert (fourth.removed, fourth.unchanged) == (3, 1)
    assert registry.generation() > generation
    assert not registry.classifier().classify("https://d.fr/").trusted
    history = registry.store.imports()
    assert len(history) == 4 and history[0]["removed"] == 3
    assert registry.store.import_hosts(int(history[0]["id"]))["removed"] == ["b.fr", "c.fr", "d.fr"]
    assert set(registry.curation.pending_purges()) == {"b.fr", "c.fr", "d.fr"}
    assert registry.curation.log(1)[0]["action"] == "import"


def test_imports_over_http(registry: Registry, http_dir: tuple[Path, str]) -> None:
    root, base = http_dir
    write_etalab(root / "lists", "paris.fr\n", "https://lyon.fr\n")
    (root / "unis.json").write_text(json.dumps([
        {"name": "Université Paris 1", "domains": ["univ-paris1.fr"], "web_pages": [],
         "country": "France", "alpha_two_code": "FR", "state-province": None},
    ]), "utf-8")
    (root / "plain.txt").write_text("# a list\nexample-agency.fr\n\nbad host name!\n", "utf-8")
    etalab = registry.import_etalab(f"{base}/lists")
    assert etalab.to_dict()["entries"] == 2 and "prefectures.txt" in etalab.missing
    assert registry.import_universities(f"{base}/unis.json").report.added == 1
    plain = registry.import_list(f"{base}/plain.txt", "etat", "agences")
    assert plain.report.added == 1 and len(plain.rejected) == 1
    classifier = registry.classifier()
    univ = classifier.classify("https://www.univ-paris1.fr/").to_dict()
    assert univ["name"] == "Université Paris 1" and univ["category"] == "enseignement-superieur"
    assert classifier.classify("https://example-agency.fr/").to_dict()["rule"] == "agences"
    origins = {o["origin"]: o for o in registry.store.origins()}
    assert origins["agences"]["location"] == f"{base}/plain.txt"


def test_bad_imports_change_nothing(registry: Registry, tmp_path: Path,
                                    http_dir: tuple[Path, str]) -> None:
    _, base = http_dir
    registry.import_etalab(str(write_etalab(tmp_path / "e", "paris.fr\n")))
    with pytest.raises(FetchError):
        registry.import_universities(f"{base}/missing.json")
    with pytest.raises(FetchError):
        registry.import_universities(str(tmp_path / "missing.json"))
    (tmp_path / "bad.json").write_text("{not json", "utf-8")
    with pytest.raises(FormatError):
        registry.import_universities(str(tmp_path / "bad.json"))
    with pytest.raises(FormatError):
        registry.import_etalab(str(tmp_path / "nowhere"))
    with pytest.raises(UnknownCategoryError):
        registry.import_list(str(tmp_path / "bad.json"), "mairie", "x")
    with pytest.raises(FetchError):
        registry.import_universities("http://127.0.0.1:9/unreachable.json")
    assert registry.classifier().classify("https://paris.fr/").trusted


def test_curator_overlay(registry: Registry, tmp_path: Path) -> None:
    registry.import_etalab(str(write_etalab(tmp_path / "e", "paris.fr\nfacebook.com\n")))
    registry.deny("PARIS.fr.", reason="domain re-registered by a squatter")
    registry.allow("https://www.mairie-nouvelle.fr/", reason="new commune site", category="commune",
                   name="Mairie nouvelle")
    classifier = registry.classifier()
    denied = classifier.classify("https://www.paris.fr/").to_dict()
    assert denied["trusted"] is False and denied["rule"] == "curator:deny"
    assert "squatter" in str(denied["reason"])
    allowed = classifier.classify("https://www.mairie-nouvelle.fr/x").to_dict()
    assert allowed["trusted"] and allowed["name"] == "Mairie nouvelle"
    assert not classifier.classify("https://facebook.com/x").trusted
    assert registry.forget("paris.fr")
    assert registry.classifier().classify("https://www.paris.fr/").trusted
    with pytest.raises(InvalidHostError):
        registry.deny("1.2.3.4", reason="x")
    with pytest.raises(UnknownCategoryError):
        registry.allow("x.fr", reason="x", category="bogus")


def test_readers_keep_a_consistent_snapshot_during_an_import(tmp_path: Path) -> None:
    data = tmp_path / "data"
    lists = write_etalab(tmp_path / "e", "".join(f"commune{i}.fr\n" for i in range(20000)))
    with Registry(data) as writer:
        writer.import_etalab(str(lists))
    write_etalab(tmp_path / "e", "".join(f"ville{i}.fr\n" for i in range(20000)))
    counts: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with Registry(data) as reader:
                for _ in range(5):
                    counts.append(reader.classifier().entry_count)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with Registry(data) as writer:
        thread = threading.Thread(target=read)
        thread.start()
        writer.import_etalab(str(lists), guard=ImportGuard(allow_shrink=True))
        thread.join()
    assert not errors
    assert counts and all(c == 20000 + len(NATIONAL) for c in counts)


@pytest.mark.shared
def test_full_lists_import(full_registry_dir: Path) -> None:
    with Registry(full_registry_dir) as registry:
        stats = registry.stats()
    # PROVENANCE.md: 100,032 hostnames over 41,062 registrable domains (+private)
    assert 99_500 <= stats["hosts"] <= 100_100
    assert 40_500 <= stats["domains"] <= 41_500
    assert stats["by_origin"] == {"etalab": 89_544, "universities": 10_572}
    by_category = stats["by_category"]
    assert by_category["commune"] > 36_000
    assert by_category["etat"] > 22_000
    # + hosts the national table files as prefectures, and the regional and departmental prefectures
    # under gouv.fr that Etalab files in gouvfr-divers (sources.naming: alsace.gouv.fr, eure.gouv.fr)
    assert 250 <= by_category["prefecture"] <= 280
    assert by_category["region"] == 32
    assert 72 <= by_category["academie"] <= 90  # + www. hosts named after their national academy entry
    assert by_category["enseignement-superieur"] > 10_000
    assert stats["listed_but_untrusted"] >= 5  # facebook.com and friends
