"""End to end: ``sdc crawl`` through the site farm, then the index and the farm's request log.

One crawl of 150 corpus pages plus every hostile host serves all the tests of this module.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from crawler.farm import Farm
from crawler.farm.hostile import OFF_LIST_HOST
from index.searcher import Searcher

PER_HOST = 40
#: the farm records a request's end just after writing it; the client's next request on a new
#: connection cannot arrive earlier than this after it (loopback, same machine)
CLOCK_SLACK = 0.002


@pytest.fixture(scope="module")
def crawled(corpus_records: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory,
            crawl_run_class: Any) -> Any:
    farm = Farm(corpus_records, page_delay=0.002)
    farm.start()
    try:
        run = crawl_run_class(tmp_path_factory.mktemp("e2e") / "data", farm)
        result = run.run("--max-pages-per-host", str(PER_HOST * 2))
        yield run, result, farm.requests
    finally:
        farm.stop()


def _paths(requests: list[Any], host: str) -> list[str]:
    return [r.path for r in requests if r.host == host]


def test_every_corpus_page_is_indexed(crawled: Any, corpus_records: list[dict[str, Any]]) -> None:
    run, _, _ = crawled
    indexed = run.indexed()
    missing = [r["url"] for r in corpus_records if r["url"] not in indexed]
    assert not missing
    hits = Searcher(run.data_dir / "index").search(corpus_records[0]["title"], limit=5)
    assert corpus_records[0]["url"] in [h.url for h in hits.results]


def test_nothing_off_the_list(crawled: Any) -> None:
    run, _, requests = crawled
    assert OFF_LIST_HOST not in {r.host for r in requests}
    assert not [u for u in run.indexed() if urlsplit(u).hostname not in run.farm.hosts]
    stats = run.stats
    assert stats["offsite/redirect_dropped"] >= 1  # redirige.../sortie
    assert stats["crawler/canonical_offlist"] >= 1  # redirige.../copie
    assert "https://redirige.ferme-sdc.fr/copie" not in run.indexed()
    assert "https://redirige.ferme-sdc.fr/arrivee" in run.indexed()  # a redirect inside the list


def test_robots_txt_obeyed(crawled: Any) -> None:
    run, _, requests = crawled
    corpus_hosts = {"www.service-public.fr", "travail-emploi.gouv.fr", "www.legifrance.gouv.fr"}
    assert not [r for r in requests if r.host in corpus_hosts and r.path.startswith("/recherche")]
    assert _paths(requests, "prive.ferme-sdc.fr").count("/public") == 1
    assert not [p for p in _paths(requests, "prive.ferme-sdc.fr") if p.startswith("/prive/")]
    assert run.stats["robotstxt/forbidden"] >= 1
    served = sorted((r for r in requests if r.host == "prive.ferme-sdc.fr" and r.path != "/robots.txt"),
                    key=lambda r: r.start)
    assert len(served) >= 3 and run.stats["crawler/robots_crawl_delay"] == 1
    # Crawl-delay 0.5: the requests leave 0.5 s apart; on a loaded machine one may reach the farm
    # late and the next on time, which shortens one gap but never the whole span
    gaps = [b.start - a.start for a, b in zip(served, served[1:], strict=False)]
    assert min(gaps) >= 0.25 and served[-1].start - served[0].start >= 0.5 * len(gaps) - 0.1, gaps


def test_one_request_at_a_time_per_host(crawled: Any) -> None:
    _, _, requests = crawled
    by_host: dict[str, list[Any]] = defaultdict(list)
    for request in requests:
        by_host[request.host].append(request)
    assert [r for r in requests if not r.completed] == [r for r in requests if r.path == "/attente"]
    for host, served in by_host.items():
        served.sort(key=lambda r: r.start)
        pairs = zip(served, served[1:], strict=False)
        overlaps = [(a.path, b.path) for a, b in pairs if a.completed and b.start < a.end - CLOCK_SLACK]
        assert not overlaps, host


def test_charsets_of_old_sites(crawled: Any) -> None:
    run, _, _ = crawled
    indexed = run.indexed()
    titles = {url: doc["title"][0] for url, doc in indexed.items() if "ancien." in url}
    assert titles["http://ancien.ferme-sdc.fr/mediatheque"] == "Médiathèque « Élise Œuvray »"
    assert titles["http://ancien.ferme-sdc.fr/mairie"] == "Mairie : démarches d'état civil"
    assert titles["http://ancien.ferme-sdc.fr/ecole"] == "École élémentaire Jules-Ferry"
    hits = Searcher(run.data_dir / "index").search("médiathèque horaires", limit=3)
    assert hits.results and hits.results[0].url == "http://ancien.ferme-sdc.fr/mediatheque"


def test_not_pages_are_skipped(crawled: Any) -> None:
    run, _, requests = crawled
    indexed = run.indexed()
    assert not [u for u in indexed if "binaire." in u and not u.endswith("/")]
    assert "https://lourd.ferme-sdc.fr/enorme" not in indexed
    assert "https://lourd.ferme-sdc.fr/normale" in indexed
    assert "/notice.pdf" not in _paths(requests, "binaire.ferme-sdc.fr")  # refused by its extension
    assert run.stats["crawler/skipped/binary"] >= 1  # PNG bytes served as text/html
    assert run.stats["crawler/skipped/stopped_early"] >= 1  # /archive, application/zip


def test_traps_and_errors_are_bounded(crawled: Any) -> None:
    run, result, requests = crawled
    agenda = _paths(requests, "agenda.ferme-sdc.fr")
    assert len([p for p in agenda if p.startswith("/agenda")]) <= PER_HOST * 2
    assert len(_paths(requests, "boucle.ferme-sdc.fr")) <= 12  # robots, home, 5 redirects per loop
    assert _paths(requests, "muet.ferme-sdc.fr").count("/attente") == 3  # first try and 2 retries
    indexed = run.indexed()
    assert {f"https://erreurs.ferme-sdc.fr/ok-{i}" for i in range(3)} <= set(indexed)
    assert not [u for u in indexed if "/panne-" in u]
    assert "https://casse.ferme-sdc.fr/conseil" in indexed
    assert indexed["https://casse.ferme-sdc.fr/conseil"]["title"][0] == "Conseil municipal du 3 mars"


def test_retry_after_is_respected(crawled: Any) -> None:
    run, _, requests = crawled
    served = [r for r in requests if r.host == "sature.ferme-sdc.fr" and r.path.startswith("/info-")]
    refused = {r.path: r.end for r in served if r.status == 429}
    assert len(refused) == 3
    for request in served:
        if request.status == 200:
            assert request.start - refused[request.path] >= 0.9
    assert {f"https://sature.ferme-sdc.fr/info-{i}" for i in range(3)} <= set(run.indexed())


def test_summary_progress_and_stats(crawled: Any) -> None:
    run, result, _ = crawled
    assert "pages/s" in result.stdout and "errors:" in result.stdout and "dropped:" in result.stdout
    assert "hosts" in result.stderr and "queue" in result.stderr  # the progress bar
    stats = run.stats
    assert stats["finish_reason"] == "finished"
    assert stats["downloader/response_status_count/200"] > 150
    assert Path(run.data_dir / "crawl" / "crawl.log").is_file()


def test_robots_once_per_host_and_sitemaps_read(crawled: Any) -> None:
    run, _, requests = crawled
    robots = [r.host for r in requests if r.path == "/robots.txt" and r.status == 200]
    assert sorted(robots) == sorted(set(robots))  # RobotsTxtMiddleware's fetch serves the spider too
    for host in ("www.service-public.fr", "travail-emploi.gouv.fr", "www.legifrance.gouv.fr"):
        paths = _paths(requests, host)
        assert "/sitemap.xml" in paths and "/sitemaps/pages-0.xml.gz" in paths
    assert run.stats["crawler/sitemaps"] >= 6
