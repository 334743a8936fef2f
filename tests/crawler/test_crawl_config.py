"""One CrawlConfig builder for ``sdc crawl`` and ``sdc run``; hosts read as sources.urls reads them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.scope import CrawlScope
from crawler.urls import canonical_url, host_of
from sdc.cli.crawling import crawl_config, split_hosts
from service.settings import Settings
from sources import Classifier

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SDC_DATA_DIR", str(tmp_path))
    return Settings()


def test_autothrottle_follows_the_delay(settings: Settings) -> None:
    scope = CrawlScope(Classifier())
    polite = crawl_config(settings, scope, ["https://www.paris.fr/"])
    assert polite.delay == settings.crawl_delay > 0 and polite.autothrottle
    farm = crawl_config(settings, scope, [], delay=0.0, proxy="http://127.0.0.1:1")
    assert farm.delay == 0.0 and not farm.autothrottle and farm.proxy == "http://127.0.0.1:1"
    quick = Settings(crawl_delay=0.0)
    assert not crawl_config(quick, scope, []).autothrottle  # `sdc crawl` and `sdc run` alike
    assert polite.crawl_dir == settings.crawl_dir and polite.index_dir == settings.index_dir


def test_hosts_given_as_urls_are_hosts() -> None:
    assert split_hosts(("https://x.gouv.fr", "WWW.Paris.fr.,http://caf.fr:8080/aides")) == [
        "x.gouv.fr", "www.paris.fr", "caf.fr"]


def test_trailing_dot_links_are_on_site() -> None:
    scope = CrawlScope(Classifier(), ["travail-emploi.gouv.fr"])  # trusted by the built-in rules
    assert host_of("https://www.paris.fr./actualites") == "www.paris.fr"
    assert scope.allows(host_of("https://travail-emploi.gouv.fr./actualites"))
    assert not scope.allows(host_of("https://travail-emploi.gouv.fr.evil.example/"))
    assert CrawlScope(Classifier(), ["https://www.paris.fr./"]).hosts == frozenset({"www.paris.fr"})
    assert canonical_url("https://WWW.Paris.fr.:443/a?utm_source=x&b=1") == "https://www.paris.fr:443/a?b=1"


def test_crawl_hosts_url_names_the_host(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "sdc", "crawl", "--hosts", "https://www.hors-liste.example/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "SDC_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "sdc: error: not trusted by the registry: www.hors-liste.example (see `sdc check`)"]
