"""The write path of a sharded index, as users drive it (issue 18): ``sdc index add`` (a subprocess)
and ``sdc index consume``'s consumer (a real Redis on loopback) replace a page whose content moved it
to another shard, delete it wherever it is, and never leave a URL twice."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import redis
import tantivy

from index import schema as f
from index import shards
from index.documents import PageDocument
from index.searcher import Searcher
from index.stream import PageStream, StreamConsumer
from index.writer import IndexWriter
from sources import Classifier
from tests.index.test_cli import sdc
from tests.scale.conftest import redis_client, redis_url  # noqa: F401 - fixtures

HOST = "https://travail-emploi.gouv.fr"
WORDS = {1: "alpha", 2: "bravo", 3: "charlie"}


def pages(version: int, count: int = 30) -> list[dict[str, str]]:
    """``count`` pages; each version changes the text of every third one (its copy key, its shard)."""
    return [{"url": f"{HOST}/fiche-{n}", "title": f"Fiche pratique {n}",
             "body": f"Le congé numéro {n}." + (f" Révision {WORDS[version]}." if n % 3 == 0 else "")}
            for n in range(count)]


def urls_per_shard(path: Path) -> Counter[str]:
    """How many shards hold each URL."""
    held: Counter[str] = Counter()
    for directory in shards.shard_dirs(path):
        index = f.open_index(directory, create=False)
        index.reload()
        searcher = index.searcher()
        for _, address in searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs)).hits:
            held[str(searcher.doc(address).get_first(f.URL))] += 1
    return held


def test_sdc_index_add_replaces_pages_that_change_shard(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first, second = tmp_path / "one.jsonl.gz", tmp_path / "two.jsonl"
    with gzip.open(first, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(page) + "\n" for page in pages(1))
    second.write_text("".join(json.dumps(page) + "\n" for page in pages(2)), encoding="utf-8")
    assert sdc(data, "index", "add", str(first)).returncode == 0
    done = sdc(data, "index", "reshard", "--shards", "3")
    assert done.returncode == 0, done.stderr
    assert shards.route_of(data / "index") == shards.ROUTE_COPY
    done = sdc(data, "index", "add", str(second), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["added"], summary["replaced"]) == (0, 30)
    held = urls_per_shard(data / "index")
    assert len(held) == 30 and set(held.values()) == {1}
    found = Searcher(data / "index").search("bravo", limit=50)
    assert found.total == 10 and not Searcher(data / "index").search("alpha").results
    deleted = sdc(data, "index", "delete", "--url", f"{HOST}/fiche-3", "--url", f"{HOST}/fiche-4")
    assert deleted.returncode == 0 and deleted.stdout.count(": 1 deleted") == 2
    assert len(urls_per_shard(data / "index")) == 28


def test_the_stream_consumer_writes_the_right_shard(redis_client: redis.Redis,  # noqa: F811 - fixture
                                                    tmp_path: Path) -> None:
    path = tmp_path / "index"
    shards.create(path, 4)
    stream = PageStream(redis_client)
    for version in (1, 2, 3):
        for page in pages(version):
            stream.publish(PageDocument(page["url"], page["title"], page["body"]))
    stream.publish_delete(f"{HOST}/fiche-6")  # moved twice, then deleted
    writer = IndexWriter(path, Classifier(), commit_seconds=0)
    with writer:
        summary = StreamConsumer(redis_client, writer, batch_size=16).run(until_empty=True)
    assert (summary.added, summary.replaced, summary.deleted) == (30, 60, 1)
    held = urls_per_shard(path)
    assert len(held) == 29 and set(held.values()) == {1}
    searcher = Searcher(path)
    assert searcher.count() == 29
    assert searcher.search("charlie", limit=50).total == 9
    assert searcher.search("bravo").total == 0
