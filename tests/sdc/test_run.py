"""``sdc run`` (what ``make run`` does): registry, index from the site farm, then the service.

The end-to-end tests run the real command in a subprocess on a small corpus of real pages taken
from ``../shared/data`` (skipped when absent); the crawl budget is checked in-process on a
synthetic farm, with the crawl itself replaced, since the small corpus never reaches a budget.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import tantivy

from crawler.config import CrawlConfig
from crawler.farm import load_corpus
from sdc.cli.run import ensure_index
from service.settings import Settings
from sources import Registry
from tests.served import START_TIMEOUT, free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
PAGES = 30  # 10 per corpus site: a crawl of about a second


@pytest.fixture(scope="module")
def small_corpus(corpus_file: Path) -> list[dict[str, Any]]:
    return load_corpus(corpus_file, PAGES)


def write_corpus(shared_dir: Path, records: list[dict[str, Any]]) -> None:
    path = shared_dir / "corpus" / "documents.jsonl.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as out:
        out.writelines(orjson.dumps(record) + b"\n" for record in records)


def run_env(data_dir: Path, shared_dir: Path) -> dict[str, str]:
    # no proxy variable of the machine may reach the crawl or the service; default settings otherwise
    env = {k: v for k, v in os.environ.items()
           if not k.lower().endswith("_proxy") and not k.startswith("SDC_")}
    return {**env, "SDC_DATA_DIR": str(data_dir), "SDC_SHARED_DIR": str(shared_dir)}


def start_run(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """``sdc run`` on a free port, once ``/healthz`` answers; its output goes to ``log`` (a file,
    so that a chatty crawl never blocks on a full pipe); the seconds it took to serve."""
    port = free_port()
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "sdc", "run", "--port", str(port)], cwd=ROOT,
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    if not wait_until_serving(process, base, START_TIMEOUT):
        process.wait()
        raise AssertionError(f"sdc run did not serve:\n{log.read_text()[-3000:]}")
    return process, base, time.monotonic() - started


def stop_run(process: subprocess.Popen[bytes]) -> int:
    """Ctrl-C, as a user stops ``make run``; the exit code."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


def rare_word(records: list[dict[str, Any]]) -> tuple[str, str]:
    """A long word of one page's body found in no other page: (word, that page's URL)."""
    texts = [f"{r['title']} {r['body']}".lower() for r in records]
    for record, text in zip(records, texts, strict=True):
        for word in sorted(set(re.findall(r"[a-zà-ÿ]{9,}", text))):
            if sum(word in other for other in texts) == 1:
                return word, record["url"]
    raise AssertionError("no word of the small corpus is found in one page only")


def indexed_urls(index_dir: Path) -> set[str]:
    from index import schema

    index = schema.open_index(index_dir, create=False)
    index.reload()
    searcher = index.searcher()
    found = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs))
    return {searcher.doc(address).to_dict()[schema.URL][0] for _, address in found.hits}


@pytest.mark.shared
def test_fresh_run_crawls_the_farm_serves_it_and_restarts_at_once(
        tmp_path: Path, small_corpus: list[dict[str, Any]]) -> None:
    shared = tmp_path / "shared"  # a corpus and no lists: the built-in rules alone
    write_corpus(shared, small_corpus)
    data = tmp_path / "data"
    env = run_env(data, shared)
    sites = {r["site"] for r in small_corpus}
    word, url = rare_word(small_corpus)

    process, base, _ = start_run(env, tmp_path / "first.log")
    try:
        health = httpx.get(f"{base}/healthz").json()
        assert health["status"] == "ok" and health["index"]["loaded"], health
        found = httpx.get(f"{base}/api/search", params={"q": word, "limit": 20}).json()
        assert url in [hit["url"] for hit in found["results"]], (word, found)
        # every corpus page and each site's home page: no page was left out by a budget
        assert httpx.get(f"{base}/api/stats").json()["documents"] == len(small_corpus) + len(sites)
        # the farm's hosts are trusted: by a built-in rule (the national sites), or allowed by the run
        verdict = httpx.get(f"{base}/api/classify", params={"url": "https://www.service-public.fr/"}).json()
        assert verdict["trusted"] and verdict["rule"] in ("curator:allow", "national"), verdict
    finally:
        code = stop_run(process)
    first = (tmp_path / "first.log").read_text()
    assert code == 0, first[-3000:]
    assert "built-in rules only" in first
    assert f"crawling the local site farm ({len(small_corpus)} real pages on {len(sites)} sites" in first
    assert f"index: added {len(small_corpus) + len(sites)}" in first
    assert {r["url"] for r in small_corpus} <= indexed_urls(data / "index")

    process, base, seconds = start_run(env, tmp_path / "second.log")
    try:
        assert httpx.get(f"{base}/api/stats").json()["documents"] == len(small_corpus) + len(sites)
        found = httpx.get(f"{base}/api/search", params={"q": word, "limit": 20}).json()
        assert url in [hit["url"] for hit in found["results"]]
    finally:
        code = stop_run(process)
    second = (tmp_path / "second.log").read_text()
    assert code == 0, second[-3000:]
    assert f"index already built ({data / 'index'})" in second
    # curator allows are no imported list: the registry step says again that it has none
    assert "built-in rules only" in second
    if verdict["rule"] == "curator:allow":  # the farm's hosts, registered by the first run
        assert "curator entries" in second
    assert "crawling" not in second, second[-3000:]
    print(f"second sdc run served in {seconds:.1f} s")


@pytest.mark.shared
def test_no_serve_imports_the_lists_then_skips_them(
        tmp_path: Path, shared_data: Path, small_corpus: list[dict[str, Any]]) -> None:
    shared = tmp_path / "shared"
    write_corpus(shared, small_corpus)
    (shared / "sources").symlink_to(shared_data / "sources", target_is_directory=True)
    env = run_env(tmp_path / "data", shared)
    command = [sys.executable, "-m", "sdc", "run", "--no-serve"]

    first = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr[-3000:]
    etalab = re.search(r"imported (\d+) Etalab hosts from (\S+)", first.stderr)
    universities = re.search(r"imported (\d+) university domains from (\S+)", first.stderr)
    assert etalab and int(etalab[1]) > 10_000 and etalab[2] == str(shared / "sources" / "etalab")
    assert universities and int(universities[1]) > 1_000
    assert "crawling the local site farm" in first.stderr

    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"registry already imported ({tmp_path / 'data'})" in again.stderr
    assert "index already built" in again.stderr
    assert not re.search(r"imported \d+", again.stderr)


# -- the crawl's budget, without crawling --


@pytest.fixture()
def planned_crawls(monkeypatch: pytest.MonkeyPatch) -> list[CrawlConfig]:
    """The configurations ``ensure_index`` would crawl with (``crawler.run`` replaced)."""
    planned: list[CrawlConfig] = []

    def run_crawl(config: CrawlConfig) -> Any:
        planned.append(config)
        return types.SimpleNamespace(lines=list, errors={})

    monkeypatch.setitem(sys.modules, "crawler.run", types.SimpleNamespace(run_crawl=run_crawl))
    return planned


def test_the_farm_crawl_has_the_run_cap_as_per_host_budget(
        tmp_path: Path, planned_crawls: list[CrawlConfig]) -> None:
    records = [{"url": f"https://www.service-public.fr/page-{i}", "site": "www.service-public.fr",
                "title": f"Page {i}", "body": "Une page."} for i in range(3)]
    write_corpus(tmp_path / "shared", records)
    settings = Settings(data_dir=tmp_path / "data", shared_dir=tmp_path / "shared", crawl_target="farm",
                        run_max_pages=123_456)
    ensure_index(settings)
    [config] = planned_crawls
    # the default per-host budget (5,000) left out half of the 19,256-page corpus
    assert config.max_pages_per_host == config.max_pages == 123_456
    assert config.delay == 0.0 and config.proxy and config.proxy.startswith("http://127.0.0.1:")


def test_the_farm_crawl_explains_its_502s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    # the corpus links to trusted subdomains the farm does not hold: a first run must not leave
    # "errors: http 502" unexplained
    summary = types.SimpleNamespace(lines=lambda: ["errors: http 502 6"], errors={"http 502": 6})
    monkeypatch.setitem(sys.modules, "crawler.run", types.SimpleNamespace(run_crawl=lambda config: summary))
    page = {"url": "https://www.service-public.fr/page", "site": "www.service-public.fr",
            "title": "Page", "body": "Une page."}
    write_corpus(tmp_path / "shared", [page])
    ensure_index(Settings(data_dir=tmp_path / "data", shared_dir=tmp_path / "shared", crawl_target="farm"))
    said = capsys.readouterr().err
    assert "the http 502 are links to trusted hosts the local site farm does not hold" in said


def test_a_web_crawl_keeps_the_polite_per_host_budget(
        tmp_path: Path, planned_crawls: list[CrawlConfig]) -> None:
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("www.mairie-exemple.fr\n")
    data = tmp_path / "data"
    with Registry(data) as registry:
        registry.import_list(str(hosts), "commune", "test")
    settings = Settings(data_dir=data, shared_dir=tmp_path / "none", crawl_target="web",
                        run_max_pages=123_456)
    ensure_index(settings)
    [config] = planned_crawls
    assert config.max_pages == 123_456
    assert config.max_pages_per_host == CrawlConfig.__dataclass_fields__["max_pages_per_host"].default
    assert config.seeds == ["https://www.mairie-exemple.fr/"]
