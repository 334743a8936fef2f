"""The unified view re-ranks the engines' results once; its upstreams share one HTTP client,
closed with the app."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ranking import Mode, TrustTable, merge_annotated, rerank
from service import unified_view as unified_view_module
from service.app import create_app
from service.settings import Settings
from service.unified_view import build_view
from service.upstreams import Upstreams
from tests.ranking.test_unified import ENGINES, OWN
from tests.service.conftest import build


def test_merge_from_the_annotated_list_is_the_merge(table: TrustTable) -> None:
    merged = rerank(ENGINES, table, Mode.MERGE, own=OWN).results
    again = merge_annotated(rerank(ENGINES, table, Mode.ANNOTATE), OWN, table)
    assert [(r.url, r.engines, r.score) for r in again] == [(r.url, r.engines, r.score) for r in merged]


@pytest.mark.parametrize("view", ["confiance", "tous"])
def test_the_view_reranks_once(table: TrustTable, monkeypatch: pytest.MonkeyPatch, view: str) -> None:
    calls: list[Mode] = []

    def counted(results: Any, table: TrustTable, mode: Mode = Mode.ANNOTATE, **kwargs: Any) -> Any:
        calls.append(mode)
        return rerank(results, table, mode, **kwargs)

    monkeypatch.setattr(unified_view_module, "rerank", counted)
    build_view("carte grise", OWN, ENGINES, table, view=view, upstreams=["SearXNG"])
    assert calls == [Mode.ANNOTATE]


def test_no_upstream_no_client(tmp_path: Path) -> None:
    async def make() -> Upstreams:
        return Upstreams(Settings(data_dir=tmp_path))

    upstreams = asyncio.run(make())
    assert upstreams.client is None and upstreams.providers == [] and upstreams.names == []


def test_without_the_lifespan_each_loop_has_its_client(tmp_path: Path, upstream: Any) -> None:
    build(tmp_path)
    app = create_app(Settings(data_dir=tmp_path, shared_dir=tmp_path / "none", searxng_url=upstream()))
    client = TestClient(app)  # no `with`: each request runs in an event loop of its own
    made = []
    for query in ("carte grise", "allocations"):
        page = client.get("/recherche", params={"q": query})
        assert page.status_code == 200 and "n'a pas" not in page.text and "indisponible" not in page.text
        made.append(app.state.upstreams)
    # a client's connections belong to the loop that opened them: never reused from a dead loop
    assert made[0] is not made[1] and made[0].loop is not made[1].loop


def test_one_client_for_the_app_closed_by_its_lifespan(tmp_path: Path, upstream: Any) -> None:
    build(tmp_path)  # the search page needs an index
    settings = Settings(data_dir=tmp_path, shared_dir=tmp_path / "none", searxng_url=upstream())
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/recherche", params={"q": "carte grise"}).status_code == 200
        assert client.get("/recherche", params={"q": "allocations"}).status_code == 200
        upstreams = app.state.upstreams  # made by the first search, in the app's loop
        http = upstreams.client
        assert http is not None and not http.is_closed
        assert all(getattr(p, "provider", p).client is http for p in upstreams.providers)
    assert http.is_closed and app.state.upstreams is None
