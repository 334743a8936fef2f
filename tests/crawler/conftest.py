"""Fixtures of the crawler tests: site farms on loopback and a way to run ``sdc crawl`` against them.

Crawls run as real ``sdc crawl`` subprocesses (Twisted's reactor runs once per process) through
the farm, which runs in a thread of the test process and logs every request it serves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import tantivy

from crawler.farm import Farm, load_corpus
from sources import Registry

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def corpus_records(corpus_file: Path) -> list[dict[str, Any]]:
    """150 corpus records, 50 per site."""
    return load_corpus(corpus_file, 150)


@pytest.fixture()
def make_farm() -> Iterator[Any]:
    started: list[Farm] = []

    def make(records: list[dict[str, Any]], **options: Any) -> Farm:
        farm = Farm(records, **options)
        farm.start()
        started.append(farm)
        return farm

    yield make
    for farm in started:
        farm.stop()


class CrawlRun:
    """A data directory whose registry trusts one farm's hosts, and ``sdc crawl`` runs on it."""

    def __init__(self, data_dir: Path, farm: Farm) -> None:
        self.data_dir, self.farm = data_dir, farm
        with Registry(data_dir) as registry:
            farm.register(registry)
        self.seeds = data_dir / "seeds.txt"
        self.seeds.write_text("\n".join(farm.home_urls()) + "\n")

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        return {**env, "SDC_DATA_DIR": str(self.data_dir), "SDC_CRAWL_DELAY": "0", "SDC_CRAWL_TIMEOUT": "1",
                **extra}

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sdc", "crawl", "--seeds", str(self.seeds),
                "--hosts", ",".join(self.farm.hosts), "--proxy", self.farm.proxy_url, *args]

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(self.command(*args), cwd=ROOT, env=self.env(**env), capture_output=True,
                                text=True, timeout=240)
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*args), cwd=ROOT, env=self.env(**env), text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    @property
    def stats(self) -> dict[str, Any]:
        return orjson.loads((self.data_dir / "crawl" / "stats.json").read_bytes())

    def documents(self) -> Iterator[dict[str, Any]]:
        """Every stored document of the index (of each shard, when it has shards)."""
        from index import schema, shards

        path = self.data_dir / "index"
        for directory in shards.shard_dirs(path) or [path]:
            index = schema.open_index(directory, create=False)
            index.reload()
            searcher = index.searcher()
            found = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs))
            for _, address in found.hits:
                yield searcher.doc(address).to_dict()

    def indexed(self) -> dict[str, dict[str, Any]]:
        """Every document of the index, by URL."""
        from index import schema

        return {doc[schema.URL][0]: doc for doc in self.documents()}


@pytest.fixture()
def crawl_run(tmp_path: Path) -> Any:
    return lambda farm: CrawlRun(tmp_path / "data", farm)


@pytest.fixture(scope="session")
def crawl_run_class() -> type[CrawlRun]:
    """For module-scoped fixtures, which cannot use ``crawl_run``."""
    return CrawlRun
