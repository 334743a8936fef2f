"""A curator deny reaches every answer within 15 s, on every worker of a real ``sdc serve``.

Two workers, a real index: deny ``www.service-public.fr`` through the API of one worker,
then ask the search API, the search page and the suggestions, many times (both workers
answer), until none shows the host; the pages then leave the index in the background.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from index.documents import PageDocument
from index.writer import IndexWriter
from sources import Registry
from tests.served import start_service, stop_service

TOKEN = "jeton-suivi-15s"
HOST = "www.service-public.fr"
DEADLINE = 15.0


def _build(data: Path) -> None:
    listed = data / "lists.txt"
    data.mkdir(parents=True)
    listed.write_text(f"{HOST}\nwww.impots.gouv.fr\n", "utf-8")
    with Registry(data) as registry:
        registry.import_list(str(listed), "etat", "test-etat")
        classifier = registry.classifier()
    with IndexWriter(data / "index", classifier) as writer:
        for i in range(40):
            for host in (HOST, "www.impots.gouv.fr"):
                writer.add(PageDocument(url=f"https://{host}/particuliers/F{i}",
                                        title=f"Carte grise démarche {i}",
                                        body="Demander une carte grise en ligne, démarche officielle. " * 5))


def _shows_host(client: httpx.Client, base: str) -> bool:
    found = False
    for _ in range(6):  # both workers answer in turn
        api = client.get(f"{base}/api/search", params={"q": "carte grise", "limit": 50})
        assert api.status_code == 200
        found |= HOST in api.text
        page = client.get(f"{base}/", params={"q": "carte grise"})
        assert page.status_code == 200
        found |= f"https://{HOST}/" in page.text
    return found


def test_a_deny_reaches_every_answer_within_15_seconds(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _build(data)
    process, base = start_service(data, "--workers", "2", SDC_CURATOR_TOKEN=TOKEN)
    try:
        with httpx.Client(timeout=30) as client:
            assert _shows_host(client, base)
            denied = client.post(f"{base}/api/curator/deny", headers={"Authorization": f"Bearer {TOKEN}"},
                                 json={"host": HOST, "reason": "test: 15 s guarantee"})
            assert denied.status_code == 200, denied.text
            started = time.monotonic()
            while _shows_host(client, base):
                assert time.monotonic() - started < DEADLINE, "a denied host still shown after 15 s"
                time.sleep(0.2)
            elapsed = time.monotonic() - started
            assert not _shows_host(client, base)  # stays gone on every worker
            # the pages leave the index itself in the background: the other host's pages
            # then fill the first page again
            with Registry(data) as registry:
                deadline = time.monotonic() + 60
                while registry.curation.pending_purges():
                    assert time.monotonic() < deadline, "purge never ran"
                    time.sleep(0.5)
                purges = [line for line in registry.curation.log(10) if line["action"] == "purge"]
                assert purges and purges[0]["detail"]["pages"] == 40
            deadline = time.monotonic() + 30
            while "www.impots.gouv.fr" not in client.get(f"{base}/api/search",
                                                         params={"q": "carte grise"}).text:
                assert time.monotonic() < deadline, "the other host's pages never came back"
                time.sleep(0.5)
            assert not _shows_host(client, base)
    finally:
        stop_service(process)
    print(f"deny reached every answer in {elapsed:.2f} s")
    assert elapsed < DEADLINE

