"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis).

Checks: never a server error (the index is present here, so not even the
documented 503), statuses, content types and bodies as documented.  Every
operation of the schema is fuzzed, the curator's both without the token
(always 401, whatever the body) and with it.  Each
operation gets a bounded number of examples, which keeps it to seconds.
(schemathesis' pytest plugin does not run under pytest 9, so the test drives
its Hypothesis strategies itself, one test per operation.)
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.settings import Settings
from tests.service.conftest import CURATOR_TOKEN

#: statuses conform to the schema: a 5xx passes only when documented (the Annuaire not imported:
#: 503; an upstream unreachable: 502), and never a 500
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]
#: operations every service has; the curator's (and other routers') are found in the schema
OPERATIONS = ["GET /api/search", "POST /api/classify", "GET /api/classify", "GET /api/sources/{domain}",
              "GET /api/stats", "GET /api/suggest", "GET /opensearch.xml", "GET /healthz", "GET /metrics",
              "GET /extension/trustlist.json", "POST /api/rerank"]
CURATOR = "/api/curator/"
EXAMPLES = 40


def _all_operations() -> list[str]:
    """Every operation of a service with a curator token (read once from the schema of an empty service).

    Read from FastAPI's schema, not through schemathesis: that would start the app's lifespan in a
    thread still writing into the folder while it is removed (a collection error seen in CI).
    """
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as empty:
        app = create_app(Settings(data_dir=Path(empty), shared_dir=Path(empty) / "none",
                                  curator_token="x"))
        paths = app.openapi()["paths"]
        return sorted(f"{method.upper()} {path}" for path, item in paths.items() for method in item)


ALL = _all_operations()


@pytest.fixture(scope="module")
def api_schema(built_data: Path, make_settings_module, tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(built_data, data)  # curator calls change the registry
    nowhere = "http://127.0.0.1:9/none"  # imports of the upstreams fail at once (502), never online
    app = create_app(make_settings_module(data, curator_token=CURATOR_TOKEN, etalab_url=nowhere,
                                          universities_url=nowhere))
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_every_operation_is_fuzzed(api_schema) -> None:
    found = {f"{op.ok().method.upper()} {op.ok().path}" for op in api_schema.get_all_operations()}
    assert set(OPERATIONS) <= found == set(ALL)
    assert any(CURATOR in label for label in ALL)


@pytest.mark.parametrize("token", [False, True], ids=["anonymous", "curator"])
@pytest.mark.parametrize("label", ALL)
def test_operation_conforms_to_its_schema_and_never_fails(api_schema, label: str, token: bool) -> None:
    method, path = label.split(" ")
    if token and CURATOR not in path:
        pytest.skip("the token changes nothing outside the curator routes")
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {CURATOR_TOKEN}"} if token else None

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        response = case.call_and_validate(checks=CHECKS, headers=headers)
        assert response.status_code not in (500, 501, 504), response.text
        if CURATOR in path and not token:
            assert response.status_code == 401, response.text  # the token comes before the body
    run()
