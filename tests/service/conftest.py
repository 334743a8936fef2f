"""Fixtures of the service's tests: a real registry and tantivy index built from test pages,
and apps over them (a small French corpus over a few trusted hosts)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.documents import PageDocument
from index.writer import IndexWriter
from service.app import create_app
from service.settings import Settings
from sources import Registry

XSS_TITLE = "<script>alert(1)</script>"

#: host -> (category, name); curator allows give them their category
SITES = {
    "www.caf.fr": ("etat", "Caisse d'allocations familiales"),
    "www.lyon.fr": ("commune", "Ville de Lyon"),
    "www.ameli.fr": ("sante", "Assurance maladie"),
    "www.univ-exemple.fr": ("enseignement-superieur", "Université Exemple"),
}

TOPICS = [
    ("Allocations familiales : conditions d'attribution", "Les allocations familiales sont versées"
     " aux familles ayant au moins deux enfants à charge."),
    ("Prime de naissance et allocations familiales", "La prime de naissance complète les"
     " allocations familiales versées chaque mois."),
    ("Complément familial", "Le complément familial s'ajoute aux allocations familiales pour les"
     " familles nombreuses."),
    ("Inscription à la crèche municipale", "Les familles peuvent inscrire leur enfant à la crèche"
     " de la ville; les allocations familiales ne changent pas."),
    ("Remboursement des soins et allocations familiales", "Votre caisse rembourse les soins; les"
     " allocations familiales relèvent de la caisse d'allocations familiales."),
]


def documents() -> list[PageDocument]:
    docs = []
    for i, (host, _) in enumerate(SITES.items()):
        for j, (title, body) in enumerate(TOPICS):
            docs.append(PageDocument(
                url=f"https://{host}/pages/{j}",
                title=f"{title} ({host.split('.')[1]})",
                body=(body + " ") * 20,
                description=body,
                published=date(2024, 1 + j, 1 + i),
                kind="news",  # the dated pages stand for feed items: the Actualités view lists them
            ))
    docs.append(PageDocument(
        url="https://www.lyon.fr/alerte",
        title=XSS_TITLE,
        body="Page de test d'alerte sécurité <img src=x onerror=alert(2)> " * 10,
        description="alerte sécurité",
    ))
    docs.append(PageDocument(
        url="https://www.ameli.fr/prothese",
        title="Prothèses auditives : remboursement",
        body="Les prothèses auditives sont remboursées par l'Assurance maladie. " * 10,
    ))
    return docs


def build(data_dir: Path) -> tuple[Path, int]:
    """Create the registry (curator allows) and the index under ``data_dir``."""
    listed = data_dir / "communes-test.txt"
    listed.write_text("mairie-exemple.fr\nwww.lyon.fr\n", encoding="utf-8")
    with Registry(data_dir) as registry:
        registry.import_list(str(listed), "commune", "test-communes")
        for host, (category, name) in SITES.items():
            registry.allow(host, "test site", category, name)
        classifier = registry.classifier()
    index_dir = data_dir / "index"
    docs = documents()
    with IndexWriter(index_dir, classifier) as writer:
        for doc in docs:
            assert writer.add(doc) == "added"
    return index_dir, len(docs)

CURATOR_TOKEN = "jeton-de-test-curateur"


@pytest.fixture(scope="session")
def pristine_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Registry + index built once per session and never served: what ``writable_data`` copies.

    A served data directory is written to (``usage.sqlite3``, the classified-URL count), so a copy
    of the served one would carry whatever tests ran before (order-dependent results)."""
    data_dir = tmp_path_factory.mktemp("service-pristine")
    build(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def built_data(pristine_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data the read-only clients share (a copy of ``pristine_data``)."""
    data_dir = tmp_path_factory.mktemp("service-data") / "data"
    shutil.copytree(pristine_data, data_dir)
    return data_dir


def settings_for(data_dir: Path, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, shared_dir=data_dir / "no-shared", **overrides)


@pytest.fixture(scope="module")
def client(built_data: Path) -> Iterator[TestClient]:
    """A read-only client over the shared test index (no curator token)."""
    with TestClient(create_app(settings_for(built_data))) as test_client:
        yield test_client


@pytest.fixture()
def writable_data(pristine_data: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(pristine_data, target)
    return target


@pytest.fixture()
def curator_client(writable_data: Path) -> Iterator[TestClient]:
    app = create_app(settings_for(writable_data, curator_token=CURATOR_TOKEN))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture()
def empty_client(tmp_path: Path) -> Iterator[TestClient]:
    """A service with no index and an empty registry."""
    with TestClient(create_app(settings_for(tmp_path / "empty"))) as test_client:
        yield test_client


@pytest.fixture()
def make_settings() -> object:
    """``make_settings(data_dir, **overrides)``: settings for a test app."""
    return settings_for


@pytest.fixture(scope="module")
def make_settings_module() -> object:
    return settings_for


@pytest.fixture(scope="module")
def stack_client(built_data: Path, make_settings_module) -> Iterator[TestClient]:
    """The same service with the hot path turned off: the FastAPI route answers through the stack."""
    app = create_app(make_settings_module(built_data))
    app.hot_path = None  # type: ignore[attr-defined]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture()
def fresh_client(writable_data: Path, make_settings) -> Iterator[TestClient]:
    """A service of its own (own metrics and usage counters)."""
    with TestClient(create_app(make_settings(writable_data))) as test_client:
        yield test_client
