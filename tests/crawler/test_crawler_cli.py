"""``sdc crawl`` and ``sdc farm`` from the command line: errors, proxies from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _sdc(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sdc", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "SDC_DATA_DIR": str(tmp_path / "data"), **env}, timeout=120)


def test_untrusted_host_is_refused(tmp_path: Path) -> None:
    result = _sdc(tmp_path, "crawl", "--hosts", "www.hors-liste.example")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "sdc: error: not trusted by the registry: www.hors-liste.example (see `sdc check`)"]


def test_bad_seed_file_and_empty_registry(tmp_path: Path) -> None:
    missing = _sdc(tmp_path, "crawl", "--seeds", str(tmp_path / "absent.txt"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "cannot read the seed file" in missing.stderr
    nothing = _sdc(tmp_path, "crawl", "--category", "commune")
    assert nothing.returncode == 2 and "nothing to crawl" in nothing.stderr
    unknown = _sdc(tmp_path, "crawl", "--category", "nowhere")
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1
    proxy = _sdc(tmp_path, "crawl", "--proxy", "proxy.local:3128")
    assert proxy.returncode == 2 and "not an http(s) proxy URL" in proxy.stderr
    assert len(proxy.stderr.strip().splitlines()) == 1


def test_farm_command_prints_its_proxy(tmp_path: Path) -> None:
    shared = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data"))
    sample = shared / "corpus" / "documents.sample.jsonl"
    if not sample.is_file():
        import pytest

        pytest.skip("no corpus sample")
    result = _sdc(tmp_path, "farm", "--corpus", str(sample), "--register", "--exit-after", "0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("http://127.0.0.1:")
    assert "www.service-public.fr" in result.stderr
    check = _sdc(tmp_path, "check", "https://lent.ferme-sdc.fr/")
    assert '"trusted":true' in check.stdout


def test_proxy_from_the_environment(corpus_records: list[dict[str, Any]], make_farm: Any,
                                    crawl_run: Any) -> None:
    farm = make_farm(corpus_records[:6], hostile=False)
    run = crawl_run(farm)
    command = [c for c in run.command() if c not in ("--proxy", farm.proxy_url)]
    env = run.env(http_proxy=farm.proxy_url, https_proxy=farm.proxy_url, no_proxy="")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert {r["url"] for r in corpus_records[:6]} <= set(run.indexed())


def test_page_budgets(corpus_records: list[dict[str, Any]], make_farm: Any, crawl_run: Any) -> None:
    farm = make_farm(corpus_records[:30], hostile=False)
    run = crawl_run(farm)
    run.run("--max-pages", "7")
    aux = ("/robots.txt", "/sitemap.xml", "/sitemaps/")
    pages = {(r.host, r.path) for r in farm.requests if not r.path.startswith(aux)}
    assert 3 <= len(pages) <= 7  # the budget counts requests; robots.txt may refuse some
    assert run.stats["crawler/pages"] <= 7


def test_index_in_use_is_a_clear_error(corpus_records: list[dict[str, Any]], make_farm: Any,
                                       crawl_run: Any) -> None:
    from index.writer import IndexWriter

    farm = make_farm(corpus_records[:3], hostile=False)
    run = crawl_run(farm)
    with IndexWriter(run.data_dir / "index", farm.classifier()):
        result = subprocess.run(run.command(), cwd=ROOT, env=run.env(), capture_output=True, text=True,
                                timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"sdc: error: the index at {run.data_dir / 'index'} is being written by another process"]
    assert not farm.requests


@pytest.mark.parametrize("contact", ["", "https://mairie-exemple.fr/robot"])
def test_the_user_agent_names_the_deployers_page_or_nothing(
        contact: str, corpus_records: list[dict[str, Any]], make_farm: Any, crawl_run: Any) -> None:
    farm = make_farm(corpus_records[:3], hostile=False)
    run = crawl_run(farm)
    env = {"SDC_CRAWL_CONTACT_URL": contact} if contact else {}
    result = run.run(**env)
    agents = {r.user_agent for r in farm.requests}
    if contact:
        assert agents == {f"SourcesDeConfianceBot/0.1 (+{contact})"}
        assert "warning" not in result.stderr
    else:  # no made-up address: the bot's name alone, and the deployer is told to set one
        assert agents == {"SourcesDeConfianceBot/0.1"}
        assert result.stderr.count("sdc crawl: warning:") == 1
        assert "set SDC_CRAWL_CONTACT_URL" in result.stderr
