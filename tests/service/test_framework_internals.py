"""The two places the service leans on FastAPI/Starlette beyond their documented API, guarded.

* ``service.app.ServiceApp`` overrides ``FastAPI.__call__`` (the ASGI entry point) to hand
  ``POST /api/classify`` to ``service.hotpath`` ahead of the middleware stack;
* ``create_app`` reads ``CORSMiddleware.simple_headers`` (an attribute, not a documented API)
  so that the hot path sends the CORS headers the middleware would.

Neither has a public hook (a middleware added with ``add_middleware`` runs inside FastAPI's
error and telemetry layers, which is what the hot path avoids). These tests fail loudly when
a FastAPI or Starlette release changes either, before a wrong header reaches a browser:
``test_classify_hotpath.py`` then says whether the hot path still answers as the stack.
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.testclient import TestClient

from service.app import CORS_OPTIONS, ServiceApp

ORIGIN = {"Origin": "moz-extension://abc"}


def test_the_asgi_entry_point_keeps_its_shape() -> None:
    assert inspect.iscoroutinefunction(FastAPI.__call__)
    assert list(inspect.signature(FastAPI.__call__).parameters) == ["self", "scope", "receive", "send"]
    assert list(inspect.signature(ServiceApp.__call__).parameters) == ["self", "scope", "receive", "send"]
    # everything but the one route still goes through FastAPI's own entry point
    assert "super().__call__(scope, receive, send)" in inspect.getsource(ServiceApp.__call__)


def test_simple_headers_are_what_the_cors_middleware_sends(stack_client: TestClient) -> None:
    expected = CORSMiddleware(FastAPI(), **CORS_OPTIONS).simple_headers
    assert isinstance(expected, dict) and expected, "CORSMiddleware.simple_headers is gone"
    through_stack = stack_client.post("/api/classify", json={"urls": ["https://www.caf.fr/"]},
                                      headers=ORIGIN).headers
    for name, value in expected.items():
        assert through_stack.get(name) == value, name


def test_the_hot_path_sends_the_same_cors_headers(client: TestClient, stack_client: TestClient) -> None:
    body = {"urls": ["https://www.caf.fr/", "https://example.com/"]}
    hot = client.post("/api/classify", json=body, headers=ORIGIN).headers
    stack = stack_client.post("/api/classify", json=body, headers=ORIGIN).headers
    for name in ("access-control-allow-origin", "access-control-expose-headers", "vary"):
        assert hot.get(name) == stack.get(name), name
