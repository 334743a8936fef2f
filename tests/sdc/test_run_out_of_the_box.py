"""``sdc run`` on a machine that has only this repository (no ``../shared``).

Offline: every download is refused by a loopback proxy; the run falls back to the embedded demo
and its search page answers at once.  Connected: a loopback stand-in of the upstream hosts (the
Etalab and universities lists on raw.githubusercontent.com, three national sites) is reached
through the proxy setting; the run imports the lists, serves from the first crawled pages and
finishes the crawl in the background.  Both run the real command in a subprocess, as ``make run``.
"""

from __future__ import annotations

import contextlib
import gzip
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from crawler.farm import Farm, load_corpus
from crawler.farm.sites import Reply
from sdc import demo
from service.startup import read_status
from tests.extension.connect_proxy import read_head
from tests.sdc.test_run import ROOT, indexed_urls, run_env, start_run, stop_run
from tests.served import wait_for

ETALAB = "http://raw.githubusercontent.com/etalab/noms-de-domaine-organismes-secteur-public/master"
UNIVERSITIES = ("http://raw.githubusercontent.com/Hipo/university-domains-list/master/"
                "world_universities_and_domains.json")
PAGES_PER_SITE = 12
#: seconds each national page takes: the crawl lasts long enough (12 pages a host, one at a time)
#: for the service to answer while it goes on (the first pages are committed within 5 s)
PAGE_DELAY = 1.5


class _Refuse(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        head = read_head(self.request)
        if head is None:
            return
        self.server.seen.append(head.split(b"\r\n", 1)[0].decode("latin-1"))  # type: ignore[attr-defined]
        self.request.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@pytest.fixture()
def refusing_proxy() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP proxy that refuses every request (403): a machine cut from the web."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Refuse)
    server.daemon_threads = True
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.seen  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()


def clone_env(tmp_path: Path, proxy: str, **settings: str) -> dict[str, str]:
    """A fresh clone's start: an empty data dir, no local copies; every download through ``proxy``."""
    empty = tmp_path / "no-shared"
    empty.mkdir(parents=True, exist_ok=True)
    env = run_env(tmp_path / "data", empty)
    return {**env, "SDC_CRAWL_PROXY": proxy, **settings}


def test_offline_clone_serves_the_embedded_demo(
        tmp_path: Path, refusing_proxy: tuple[str, list[str]]) -> None:
    proxy, seen = refusing_proxy
    process, base, seconds = start_run(clone_env(tmp_path, proxy), tmp_path / "run.log")
    try:
        found = httpx.get(f"{base}/api/search", params={"q": "congé maternité", "limit": 5}).json()
        page = httpx.get(f"{base}/recherche", params={"q": "licenciement pour motif économique"})
        home = httpx.get(f"{base}/")
    finally:
        code = stop_run(process)
    log = (tmp_path / "run.log").read_text()
    assert code == 0, log[-3000:]
    assert seen and "raw.githubusercontent.com" in seen[0], seen  # it tried, and was refused
    assert "could not download the lists" in log and "offline start, with the embedded demo" in log
    assert "Traceback" not in log
    assert f"demo index built: {len(load_corpus(demo.PAGES))} pages" in log
    assert "started from the embedded DEMO index" in log and "next: run `make run` again" in log
    # the search answers real questions, from the demo's real pages
    assert found["total"] > 0 and found["results"], found
    assert all(r["url"].split("/")[2] in demo.SITES for r in found["results"])
    assert page.status_code == 200 and 'class="hit"' in page.text
    for html in (page.text, home.text):
        assert "Index de démonstration" in html and "make run" in html
    print(f"offline clone served the demo in {seconds:.1f} s")


# -- connected: a stand-in of the upstream hosts on loopback --


class StaticSite:
    """One upstream host serving fixed files (the lists on raw.githubusercontent.com)."""

    def __init__(self, host: str, files: dict[str, bytes]) -> None:
        self.host, self.scheme, self.files = host, "https", files

    def respond(self, path: str, headers: dict[str, str]) -> Reply:
        body = self.files.get(path.split("?", 1)[0])
        if body is None:
            return Reply(404, b"Not Found", {"Content-Type": "text/plain"})
        return Reply(200, body, {"Content-Type": "text/plain; charset=utf-8"})


def upstream_files(sites: list[str]) -> dict[str, bytes]:
    etalab_path = ETALAB.split("raw.githubusercontent.com", 1)[1]
    hosts = [*sites, "www.mairie-exemple-upstream.fr", "www.cc-exemple-upstream.fr"]
    csv = "name,http_status,https_status,SIREN,type,sources,script\n" + "".join(
        f"{h},200,200,,{'Commune' if 'mairie' in h else 'Gouvernement'},test,\n" for h in hosts)
    universities = [{"name": "Université Exemple", "domains": ["univ-exemple-upstream.fr"],
                     "web_pages": ["https://www.univ-exemple-upstream.fr/"], "country": "France",
                     "alpha_two_code": "FR", "state-province": None}]
    return {f"{etalab_path}/domains.csv": csv.encode(),
            f"{etalab_path}/urls.txt": "".join(f"https://{h}\n" for h in hosts).encode(),
            UNIVERSITIES.split("raw.githubusercontent.com", 1)[1]: orjson.dumps(universities)}


@contextlib.contextmanager
def upstream_hosts(page_delay: float = 0.0, sites: bool = True) -> Iterator[Farm]:
    """The lists' host and three national sites (real pages of the demo) behind one loopback proxy;
    without ``sites``, the lists alone (the national sites then answer 502)."""
    records = load_corpus(demo.PAGES, PAGES_PER_SITE * len(demo.SITES)) if sites else []
    farm = Farm(records, hostile=False, page_delay=page_delay)
    farm.sites["raw.githubusercontent.com"] = StaticSite("raw.githubusercontent.com",
                                                        upstream_files(list(demo.SITES)))
    farm.start()
    try:
        yield farm
    finally:
        farm.stop()


@pytest.fixture()
def upstream() -> Iterator[Farm]:
    with upstream_hosts(PAGE_DELAY) as farm:
        yield farm


def connected_env(tmp_path: Path, farm: Farm) -> dict[str, str]:
    return clone_env(tmp_path, farm.proxy_url, SDC_ETALAB_URL=ETALAB, SDC_UNIVERSITIES_URL=UNIVERSITIES,
                     SDC_RUN_SEEDS=",".join(demo.SITES), SDC_CRAWL_DELAY="0", SDC_RUN_MAX_PAGES="1000")


def run_no_serve(env: dict[str, str]) -> str:
    """``sdc run --no-serve`` to its end; its output (exit code 0 checked)."""
    done = subprocess.run([sys.executable, "-m", "sdc", "run", "--no-serve"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    return done.stderr


def test_connected_clone_imports_the_lists_and_serves_while_it_crawls(
        tmp_path: Path, upstream: Farm) -> None:
    env = connected_env(tmp_path, upstream)
    data = tmp_path / "data"
    records = list(upstream.records)
    process, base, _ = start_run(env, tmp_path / "first.log")
    try:
        served_at = httpx.get(f"{base}/api/stats").json()["documents"]
        while_crawling = httpx.get(f"{base}/").text
    finally:
        code = stop_run(process)  # Ctrl-C while the crawl goes on
    log = (tmp_path / "first.log").read_text()
    assert code == 0, log[-3000:]
    assert "Traceback" not in log
    # the lists came from the stand-in of raw.githubusercontent.com, through the proxy setting
    fetched = {(r.host, r.path) for r in upstream.requests}
    assert ("raw.githubusercontent.com", ETALAB.split(".com", 1)[1] + "/domains.csv") in fetched
    assert "imported 5 Etalab hosts" in log and "imported 1 university domains" in log, log[-3000:]
    assert "first pages in" in log and "DEMO" not in log
    # served from the first pages, before the crawl's end, and the page said how far it was
    assert 1 <= served_at < len(records), served_at
    assert "Premier parcours en cours" in while_crawling and "pages indexées sur 1\u202f000" in while_crawling
    assert "first crawl stopped" in log and (read_status(data) or {}).get("mode") == "crawling"
    # stopped before its end: the next run has pages left to fetch
    assert len(indexed_urls(data / "index")) < len(records) + len(demo.SITES)

    # the next `make run` resumes the crawl and serves at once; the crawl ends in the background
    process, base, _ = start_run(env, tmp_path / "second.log")
    try:
        wait_for(lambda: (read_status(data) or {}).get("mode") == "web", "the crawl's end", timeout=120.0)
        # /api/stats counts as of the service's last upkeep round (every second; later on a busy
        # machine): the crawl's last commit reaches it a round after the crawl's end
        every_page = len(records) + len(demo.SITES)
        wait_for(lambda: httpx.get(f"{base}/api/stats").json()["documents"] == every_page,
                 "every page counted", timeout=30.0)
        stats = httpx.get(f"{base}/api/stats").json()
        record = records[0]
        found = httpx.get(f"{base}/api/search", params={"q": record["title"], "limit": 10}).json()
        home = httpx.get(f"{base}/").text
    finally:
        code = stop_run(process)
    log = (tmp_path / "second.log").read_text()
    assert code == 0, log[-3000:]
    assert "registry already imported" in log and "resuming the first crawl" in log
    assert "first crawl finished" in log and "Traceback" not in log
    # every page of the three sites and their home pages: the crawl, not the demo (500 pages)
    assert stats["documents"] == len(records) + len(demo.SITES), stats
    assert record["url"] in [hit["url"] for hit in found["results"]], found
    assert "Index de démonstration" not in home and "Premier parcours" not in home
    assert {r.host for r in upstream.requests} >= set(demo.SITES)
    assert not (data / "index.demo-building").exists()


def test_the_demo_gives_way_once_the_machine_is_connected(
        tmp_path: Path, refusing_proxy: tuple[str, list[str]]) -> None:
    first = run_no_serve(clone_env(tmp_path, refusing_proxy[0]))
    assert "offline start" in first and "started from the embedded DEMO index" in first
    again = run_no_serve({**clone_env(tmp_path / "again", refusing_proxy[0]),
                          "SDC_DATA_DIR": str(tmp_path / "data")})
    assert "index already built" in again and "(the embedded demo)" in again
    with upstream_hosts() as farm:
        connected = run_no_serve({**connected_env(tmp_path / "connected", farm),
                                  "SDC_DATA_DIR": str(tmp_path / "data")})
        records = [r for r in farm.records]
    assert "the demo index gives way to a crawl of national sites" in connected
    assert "first crawl finished" in connected
    urls = indexed_urls(tmp_path / "data" / "index")
    assert {r["url"] for r in records} <= urls and len(urls) == len(records) + len(demo.SITES)
    assert (read_status(tmp_path / "data") or {}).get("mode") == "web"


def test_a_crawl_that_gets_nothing_falls_back_to_the_demo(tmp_path: Path) -> None:
    with upstream_hosts(sites=False) as farm:  # the lists download, the sites do not answer
        env = {**connected_env(tmp_path, farm), "SDC_UNIVERSITIES_URL": UNIVERSITIES + ".moved"}
        output = run_no_serve(env)
    assert "imported 5 Etalab hosts" in output
    # a list that is not found any more is one line; the start goes on with the others
    assert "could not import the universities list (GET http://raw.githubusercontent.com/" in output
    assert "the first crawl got no page" in output and "started from the embedded DEMO index" in output
    assert len(indexed_urls(tmp_path / "data" / "index")) == len(load_corpus(demo.PAGES))


@pytest.mark.shared
def test_a_connected_start_imports_the_annuaire_once(tmp_path: Path, shared_data: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from sdc.cli.run_registry import ensure_annuaire
    from service.settings import Settings
    from sources.annuaire import AnnuaireStore

    sample = shared_data / "annuaire" / "dila-local-sample.json"  # DILA's own format, one office
    settings = Settings(data_dir=tmp_path / "data", shared_dir=tmp_path / "none", annuaire_url=str(sample))
    ensure_annuaire(settings, "upstream")
    with AnnuaireStore(settings.data_dir, readonly=True) as store:
        assert store.count() == 1
    ensure_annuaire(settings, "existing")  # already there: not imported again
    # a failed import is one line, and the run goes on
    ensure_annuaire(settings.model_copy(update={"annuaire_url": str(tmp_path / "gone.json"),
                                                "data_dir": tmp_path / "other"}), "upstream")
    assert "could not import the Annuaire" in capsys.readouterr().err


def test_the_page_tells_how_far_the_first_crawl_is(tmp_path: Path) -> None:
    from service.startup import notice, write_status

    assert notice(tmp_path) is None
    write_status(tmp_path, {"mode": "crawling", "pages": 12, "budget": 300, "sites": ["a.gouv.fr"]})
    assert notice(tmp_path) == {"kind": "crawling", "pages": 12, "budget": 300, "sites": ["a.gouv.fr"]}
    # no heartbeat for a minute: the `sdc run` that crawled has stopped
    assert notice(tmp_path, now=time.time() + 120)["kind"] == "interrupted"  # type: ignore[index]
    (tmp_path / "run-status.json").write_bytes(b"{half")
    assert notice(tmp_path) is None
    write_status(tmp_path, {"mode": "web", "pages": 300})
    assert notice(tmp_path) is None


def test_the_demo_is_small_real_and_credited() -> None:
    with gzip.open(demo.PAGES, "rb") as lines:
        pages = [orjson.loads(line) for line in lines]
    assert 300 <= len(pages) <= 1000 and demo.PAGES.stat().st_size < 5_000_000
    assert {p["site"] for p in pages} == set(demo.SITES)
    assert len({p["url"] for p in pages}) == len(pages)
    assert all(p["url"].startswith(f"https://{p['site']}/") and p["title"] and p["body"] for p in pages)
    provenance = (demo.PAGES.parent / "PROVENANCE.md").read_text()
    licence = (demo.PAGES.parent / "LICENCE.md").read_text()
    assert "scripts/build_demo.py" in provenance and "Licence Ouverte" in licence
    for credit in ("Service-Public.fr / DILA", "Légifrance / DILA",
                   "travail-emploi.gouv.fr / Ministère du Travail"):
        assert credit in licence
