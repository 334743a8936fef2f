"""Curator endpoints: only with a token, only with the right bearer, effective at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sources.national import NATIONAL

CURATOR_TOKEN = "jeton-de-test-curateur"  # as in conftest
AUTH = {"Authorization": f"Bearer {CURATOR_TOKEN}"}


def test_no_token_configured_means_no_curator_endpoint(client: TestClient) -> None:
    response = client.post("/api/curator/allow", json={"host": "x.fr", "reason": "r"}, headers=AUTH)
    assert response.status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": CURATOR_TOKEN}, {"Authorization": "Basic x"}])
def test_wrong_or_missing_bearer_is_a_401(curator_client: TestClient, headers: dict[str, str]) -> None:
    response = curator_client.post("/api/curator/deny", json={"host": "www.lyon.fr", "reason": "r"},
                                   headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "token" in response.json()["detail"]


def test_allow_deny_forget_change_classification_at_once(curator_client: TestClient) -> None:
    def trusted(url: str) -> bool:
        return curator_client.get("/api/classify", params={"url": url}).json()["trusted"]

    assert not trusted("https://www.mairie-nouvelle.fr/")
    response = curator_client.post("/api/curator/allow", headers=AUTH, json={
        "host": "Mairie-Nouvelle.fr", "reason": "mairie vérifiée", "category": "commune",
        "name": "Mairie nouvelle"})
    assert response.status_code == 200
    assert response.json()["host"] == "mairie-nouvelle.fr"
    assert trusted("https://www.mairie-nouvelle.fr/")
    assert curator_client.post("/api/curator/deny", headers=AUTH,
                               json={"host": "www.lyon.fr", "reason": "compromis"}).status_code == 200
    assert not trusted("https://www.lyon.fr/")
    assert curator_client.delete("/api/curator/entries/www.lyon.fr", headers=AUTH).status_code == 200
    assert trusted("https://www.lyon.fr/")  # back to the test list's entry
    missing = curator_client.delete("/api/curator/entries/nulle-part.fr", headers=AUTH)
    assert missing.status_code == 404


def test_curator_input_errors_are_4xx(curator_client: TestClient) -> None:
    bad_category = curator_client.post("/api/curator/allow", headers=AUTH, json={
        "host": "a.fr", "reason": "r", "category": "boulangerie"})
    assert bad_category.status_code == 422 and "boulangerie" in bad_category.json()["detail"]
    bad_host = curator_client.post("/api/curator/allow", headers=AUTH,
                                   json={"host": "10.0.0.1", "reason": "r"})
    assert bad_host.status_code == 422
    assert curator_client.post("/api/curator/import", headers=AUTH,
                               json={"kind": "list"}).status_code == 422


def test_import_a_list_then_a_missing_file(curator_client: TestClient, writable_data: Path) -> None:
    imports = writable_data / "imports"  # SDC_DATA_DIR/imports: a configured data folder
    imports.mkdir()
    listed = imports / "hopitaux.txt"
    listed.write_text("chu-exemple.fr\nhopital-exemple.fr\n", encoding="utf-8")
    response = curator_client.post("/api/curator/import", headers=AUTH, json={
        "kind": "list", "location": str(listed), "category": "sante", "origin": "hopitaux-test"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] == 2 and report["registry_entries"] == 4 + len(NATIONAL)
    verdict = curator_client.get("/api/classify", params={"url": "https://www.chu-exemple.fr/"}).json()
    assert verdict["trusted"] and verdict["category"] == "sante"
    missing = curator_client.post("/api/curator/import", headers=AUTH, json={
        "kind": "list", "location": str(imports / "absent.txt"), "category": "sante", "origin": "x"})
    assert 400 <= missing.status_code < 500 or missing.status_code == 502
    assert missing.json()["detail"]
