"""Fixtures shared by every package's tests.

``../shared/data`` (real open data) is used when present; tests that need it
are skipped, never failed, when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sources import Classifier, Registry

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data")).resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not (SHARED_DATA / "sources").is_dir():
        pytest.skip("../shared/data is absent")
    return SHARED_DATA


@pytest.fixture(scope="session")
def corpus_file(shared_data: Path) -> Path:
    path = shared_data / "corpus" / "documents.jsonl.gz"
    if not path.is_file():
        pytest.skip("../shared/data/corpus is absent")
    return path


@pytest.fixture(scope="session")
def full_registry_dir(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A registry with every list of ../shared imported (about a second)."""
    path = tmp_path_factory.mktemp("full-registry")
    with Registry(path) as registry:
        registry.import_etalab(str(shared_data / "sources" / "etalab"))
        registry.import_universities(
            str(shared_data / "sources" / "universities" / "world_universities_and_domains.json")
        )
    return path


@pytest.fixture(scope="session")
def full_classifier(full_registry_dir: Path) -> Classifier:
    with Registry(full_registry_dir) as registry:
        return registry.classifier()


@pytest.fixture()
def registry(tmp_path: Path) -> Registry:
    """An empty registry in a temporary data directory."""
    with Registry(tmp_path / "data") as reg:
        yield reg
