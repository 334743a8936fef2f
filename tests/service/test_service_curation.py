"""Curation beyond allow/deny: the token before the body, bounded bodies, imports limited to
the configured sources, named curators, the audit log, agents' reports, purges, following."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.purge import purge_pending
from service.registry_follow import apply_snapshot, snapshot
from sources import Registry

CURATOR_TOKEN = "jeton-de-test-curateur"  # as in conftest
AUTH = {"Authorization": f"Bearer {CURATOR_TOKEN}"}


def _stream(total: int, read: list[int]) -> Iterator[bytes]:
    chunk = b"x" * 65536
    sent = 0
    while sent < total:
        read[0] += len(chunk)
        sent += len(chunk)
        yield chunk


def test_the_token_is_checked_before_the_body_is_read(curator_client: TestClient) -> None:
    read = [0]
    response = curator_client.post("/api/curator/deny", content=_stream(300 * 1024 * 1024, read),
                                   headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert read[0] < 1024 * 1024  # the 300 MB body was never pulled
    # nor drained by the server for a next request on the connection: it closes it
    assert response.headers["connection"] == "close"


def test_curator_bodies_are_capped_at_one_megabyte(curator_client: TestClient) -> None:
    read = [0]
    response = curator_client.post("/api/curator/deny", content=_stream(50 * 1024 * 1024, read),
                                   headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["detail"]
    declared = curator_client.post("/api/curator/allow", headers={**AUTH, "Content-Length": "5000000"},
                                   content=b"{" + b" " * 10)
    assert declared.status_code in (400, 413)


@pytest.mark.parametrize("location", ["/dev/zero", "/etc/passwd", "/proc/self/environ",
                                      "http://127.0.0.1:9/list.txt", "https://localhost/x",
                                      "file:///etc/passwd", "../../../../etc/passwd"])
def test_imports_never_read_what_the_caller_names(curator_client: TestClient, location: str) -> None:
    started = time.monotonic()
    response = curator_client.post("/api/curator/import", headers=AUTH, json={
        "kind": "list", "location": location, "category": "commune", "origin": "x"})
    assert 400 <= response.status_code < 500 and response.json()["detail"]
    assert time.monotonic() - started < 5


def test_named_curators_and_the_audit_log(curator_client: TestClient, writable_data: Path) -> None:
    with Registry(writable_data) as registry:
        token = registry.curation.add_curator("alice")
        assert token not in (writable_data / "registry.sqlite3").read_bytes().decode("latin-1")
    alice = {"Authorization": f"Bearer {token}"}
    assert curator_client.post("/api/curator/deny", headers=alice,
                               json={"host": "www.lyon.fr", "reason": "site repris"}).status_code == 200
    assert curator_client.post("/api/curator/allow", headers=AUTH, json={
        "host": "www.lyon.fr", "reason": "site rendu", "category": "commune"}).status_code == 200
    log = curator_client.get("/api/curator/log", headers=alice, params={"target": "www.lyon.fr"}).json()
    lines = log["log"]
    assert [(line["actor"], line["action"]) for line in lines[:2]] == [("curator-token", "allow"),
                                                                      ("alice", "deny")]
    assert lines[0]["detail"]["replaces"] == {"action": "deny", "reason": "site repris"}  # history kept
    with Registry(writable_data) as registry:
        registry.curation.revoke_curator("alice")
    assert curator_client.get("/api/curator/log", headers=alice).status_code == 401
    with Registry(writable_data) as registry, pytest.raises(Exception, match="append-only"):
        registry.store.db.execute("DELETE FROM audit")


def test_reports_are_listed_and_closed_by_the_action_that_cites_them(curator_client: TestClient) -> None:
    created = curator_client.post("/api/reports", json={
        "url": "https://www.mairie-oubliee.fr/", "expected": "trusted", "comment": "mairie de X"})
    assert created.status_code == 201
    number = created.json()["id"]
    listed = curator_client.get("/api/curator/reports", headers=AUTH).json()["reports"]
    assert listed[0]["id"] == number and listed[0]["verdict"]["trusted"] is False
    assert curator_client.post("/api/curator/allow", headers=AUTH, json={
        "host": "www.mairie-oubliee.fr", "reason": "vérifiée", "category": "commune",
        "report": number}).status_code == 200
    assert curator_client.get("/api/curator/reports", headers=AUTH).json()["reports"] == []
    closed = curator_client.get("/api/curator/reports", headers=AUTH, params={"status": "closed"})
    assert closed.json()["reports"][0]["closed_by"] == "curator-token"
    bad = curator_client.post("/api/reports", json={"url": "x", "expected": "maybe"})
    assert bad.status_code == 422


def test_reports_are_rate_limited_without_keeping_addresses(curator_client: TestClient,
                                                            writable_data: Path) -> None:
    statuses = [curator_client.post("/api/reports", json={
        "url": f"https://a{i}.example/", "expected": "untrusted"}).status_code for i in range(8)]
    assert 429 in statuses and statuses[0] == 201
    assert b"testclient" not in (writable_data / "registry.sqlite3").read_bytes()


def test_no_curator_means_404(client: TestClient) -> None:
    assert client.post("/api/curator/deny", json={"host": "a.fr", "reason": "r"}).status_code == 404


def test_a_deny_purges_the_host_from_the_index(writable_data: Path) -> None:
    from index.searcher import Searcher

    with Registry(writable_data) as registry:
        registry.deny("www.ameli.fr", reason="test purge")
        result = purge_pending(registry, writable_data / "index")
        assert result.pages >= 1 and not registry.curation.pending_purges()
        assert registry.curation.log(1)[0]["action"] == "purge"
    assert Searcher(writable_data / "index").search("prothèses").total == 0


def test_a_follower_applies_the_curator_hosts_registry(writable_data: Path, tmp_path: Path) -> None:
    follower = tmp_path / "follower"
    with Registry(follower) as registry:
        registry.allow("old.example.fr", reason="local")
    with Registry(writable_data) as registry:
        registry.deny("www.lyon.fr", reason="curator host")
    generation, data = snapshot(writable_data)
    with Registry(follower) as reader:  # an open reader keeps working across the copy
        assert apply_snapshot(data, follower) == generation
        assert reader.generation() == generation
        assert not reader.classifier().classify("https://www.lyon.fr/").trusted
    with pytest.raises(ValueError):
        apply_snapshot(b"not a database" * 100, follower)
    with Registry(follower) as registry:
        assert registry.generation() == generation


def test_follow_endpoints_need_their_token(writable_data: Path, make_settings) -> None:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(writable_data, registry_follow_token="suivi"))
    with TestClient(app) as client:
        assert client.get("/api/registry/snapshot/meta").status_code == 401
        meta = client.get("/api/registry/snapshot/meta", headers={"Authorization": "Bearer suivi"})
        assert meta.status_code == 200 and meta.json()["generation"] >= 1
        got = client.get("/api/registry/snapshot", headers={"Authorization": "Bearer suivi"})
        assert got.status_code == 200 and got.content.startswith(b"SQLite format 3")


def test_the_results_link_to_the_report_form(curator_client: TestClient) -> None:
    page = curator_client.get("/recherche", params={"q": "prothèses"})
    assert "Signaler une erreur" in page.text and "/signaler?url=https%3A//www.ameli.fr" in page.text
    form = curator_client.get("/signaler", params={"url": "https://www.ameli.fr/prothese"})
    assert form.status_code == 200 and 'name="expected"' in form.text
    sent = curator_client.post("/signaler", data={"url": "https://www.ameli.fr/prothese",
                                                  "expected": "untrusted", "comment": "test"})
    assert sent.status_code == 200 and "signalement n°" in sent.text
    listed = curator_client.get("/api/curator/reports", headers=AUTH).json()["reports"]
    assert listed[0]["url"] == "https://www.ameli.fr/prothese" and listed[0]["expected"] == "untrusted"
    assert curator_client.post("/signaler", data={"url": "x"}).status_code == 422


def test_a_follower_polls_verifies_and_applies(writable_data: Path, tmp_path: Path,
                                               make_settings) -> None:  # type: ignore[no-untyped-def]
    from service.registry_follow import Follower

    follower_dir = tmp_path / "follower"
    app = create_app(make_settings(writable_data, registry_follow_token="suivi"))
    with TestClient(app, base_url="http://curator") as curator_host:
        follower = Follower("http://curator", "suivi", follower_dir)
        assert follower.once(curator_host)  # first poll: a new registry
        assert not follower.once(curator_host)  # same generation: nothing to do
        with Registry(writable_data) as registry:
            registry.deny("www.lyon.fr", reason="on the curator host")
        assert follower.once(curator_host)
        with Registry(follower_dir) as registry:
            assert not registry.classifier().classify("https://www.lyon.fr/").trusted
        wrong = Follower("http://curator", "faux", follower_dir)
        with pytest.raises(Exception, match="401"):
            wrong.once(curator_host)
