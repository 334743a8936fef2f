"""Fixtures shared by every package's tests.

``../shared/data`` (real open data) is used when present; tests that need it
are skipped, never failed, when it is absent.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from sources import Classifier, Registry

if TYPE_CHECKING:
    from tests.scale.redis_server import RedisServer

ROOT = Path(__file__).resolve().parent.parent

# The property tests check properties, not how fast inputs are drawn: on CI's two cores shared by
# `-n` workers, Hypothesis' speed health check and per-example deadline fail at random.
hypothesis_settings.register_profile("sdc", suppress_health_check=[HealthCheck.too_slow], deadline=None)
hypothesis_settings.load_profile("sdc")
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


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on loopback for the session (skipped when not installed); the tests
    empty it themselves (``redis_url`` in tests/scale, ``client`` in the crawler's)."""
    from tests.scale.redis_server import RedisServer

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()
