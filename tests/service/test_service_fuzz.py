"""Property-based fuzzing of the API against its own OpenAPI schema (schemathesis).

Checks: never a server error (the index is present here, so not even the
documented 503), statuses, content types and bodies as documented.  Each
operation gets a bounded number of examples, which keeps it to seconds.
(schemathesis' pytest plugin does not run under pytest 9, so the test drives
its Hypothesis strategies itself, one test per operation.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
OPERATIONS = ["GET /api/search", "POST /api/classify", "GET /api/classify", "GET /api/sources/{domain}",
              "GET /api/stats", "GET /api/suggest", "GET /opensearch.xml", "GET /healthz", "GET /metrics",
              "GET /extension/trustlist.json"]
#: operations of other packages' routers, fuzzed when they are installed
OPTIONAL = ["POST /api/rerank"]
EXAMPLES = 40


@pytest.fixture(scope="module")
def api_schema(built_data: Path, make_settings_module):
    app = create_app(make_settings_module(built_data))
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_every_operation_is_fuzzed(api_schema) -> None:
    found = {f"{op.ok().method.upper()} {op.ok().path}" for op in api_schema.get_all_operations()}
    assert set(OPERATIONS) <= found <= set(OPERATIONS + OPTIONAL)


@pytest.mark.parametrize("label", OPERATIONS + OPTIONAL)
def test_operation_conforms_to_its_schema_and_never_fails(api_schema, label: str) -> None:
    method, path = label.split(" ")
    if label in OPTIONAL and path not in api_schema:
        pytest.skip(f"{label} is not installed")
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()
