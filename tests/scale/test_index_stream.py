"""``sdc index consume``: pages published by many producers, indexed once by one writer."""

from __future__ import annotations

import signal
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import redis

from index.documents import PageDocument
from index.searcher import Searcher
from index.stream import CONSUMER, DEFAULT_GROUP, DEFAULT_STREAM, PageStream, StreamConsumer
from index.writer import IndexWriter
from sources import Classifier
from tests.scale.consume_cli import run_consume, start_consume

HOSTS = ["www.impots.gouv.fr", "www.service-public.gouv.fr", "www.interieur.gouv.fr"]


def page(i: int, host: str | None = None) -> PageDocument:
    host = host or HOSTS[i % len(HOSTS)]
    return PageDocument(url=f"https://{host}/page/{i}", title=f"Démarche numéro {i}",
                        body=f"Carte grise et permis de conduire, démarche {i}. " * 5,
                        description="une démarche", headings=["Étapes"], lang="fr",
                        published=date(2025, 1, 1 + i % 28),
                        fetched=datetime(2026, 11, 1, tzinfo=UTC))


def indexed_urls(index_dir: Path) -> list[str]:
    searcher = Searcher(index_dir)
    assert searcher.count() >= 0
    import tantivy  # every stored URL, duplicates included

    from index import schema as f

    index = tantivy.Index.open(str(index_dir))
    index.reload()
    found = index.searcher().search(tantivy.Query.all_query(), limit=100_000)
    return [index.searcher().doc(address)[f.URL][0] for _, address in found.hits]


def consumer(client: redis.Redis, index_dir: Path, **kwargs: object) -> tuple[StreamConsumer, IndexWriter]:
    writer = IndexWriter(index_dir, Classifier(), commit_seconds=0)
    return StreamConsumer(client, writer, **kwargs), writer  # type: ignore[arg-type]


def test_many_producers_one_writer_every_page_once(redis_client: redis.Redis, tmp_path: Path) -> None:
    stream = PageStream(redis_client)
    producers = [threading.Thread(target=lambda k=k: [stream.publish(page(i)) for i in range(k, 600, 3)])
                 for k in range(3)]
    for producer in producers:
        producer.start()
    for producer in producers:
        producer.join()
    stream.publish(page(1000, host="www.example.com"))  # untrusted: refused by the writer
    stream.publish(page(5))  # published twice: one document
    stream.publish_delete("https://www.impots.gouv.fr/page/3")
    work, writer = consumer(redis_client, tmp_path / "index", batch_size=128)
    with writer:
        reader = Searcher(tmp_path / "index")  # opened before: follows the new commits
        summary = work.run(until_empty=True)
    assert (summary.added, summary.replaced, summary.refused, summary.deleted) == (600, 1, 1, 1)
    assert summary.commits >= 600 // 128
    urls = indexed_urls(tmp_path / "index")
    assert len(urls) == len(set(urls)) == 599
    assert reader.count() == 599
    hit = reader.search("permis de conduire", limit=1).results[0]
    assert hit.category and hit.url.startswith("https://")
    assert stream.backlog() == 0  # committed entries are deleted from the stream
    assert redis_client.xpending(DEFAULT_STREAM, DEFAULT_GROUP)["pending"] == 0


def test_entries_read_but_not_committed_are_taken_back(redis_client: redis.Redis, tmp_path: Path) -> None:
    stream = PageStream(redis_client)
    for i in range(50):
        stream.publish(page(i))
    work, writer = consumer(redis_client, tmp_path / "index")  # creates the group
    writer.close()
    # a consumer that died after reading 30 entries, before committing them
    redis_client.xreadgroup(DEFAULT_GROUP, "dead-consumer", {DEFAULT_STREAM: ">"}, count=30)
    redis_client.xreadgroup(DEFAULT_GROUP, CONSUMER, {DEFAULT_STREAM: ">"}, count=5)
    work, writer = consumer(redis_client, tmp_path / "index")
    with writer:
        summary = work.run(until_empty=True)
    assert summary.reclaimed == 35 and summary.added == 50
    urls = indexed_urls(tmp_path / "index")
    assert len(urls) == len(set(urls)) == 50
    assert stream.backlog() == 0


def test_undecodable_entries_go_to_the_dead_letter_stream(redis_client: redis.Redis,
                                                          tmp_path: Path) -> None:
    redis_client.xadd(DEFAULT_STREAM, {"op": "add", "doc": "{not json"})
    redis_client.xadd(DEFAULT_STREAM, {"op": "upsert", "url": "https://www.impots.gouv.fr/"})
    redis_client.xadd(DEFAULT_STREAM, {"op": "add", "doc": '{"title": "no url"}'})
    PageStream(redis_client).publish(page(1))
    work, writer = consumer(redis_client, tmp_path / "index")
    with writer:
        summary = work.run(until_empty=True)
    assert (summary.added, summary.dead) == (1, 3)
    dead = redis_client.xrange(f"{DEFAULT_STREAM}:dead")
    assert len(dead) == 3 and all(b"reason" in fields for _, fields in dead)
    assert PageStream(redis_client).backlog() == 0


def test_a_page_dated_out_of_range_is_indexed_without_its_date(redis_client: redis.Redis,
                                                                tmp_path: Path) -> None:
    stream = PageStream(redis_client)
    for day, i in ((date(202, 5, 12), 1), (date(9999, 12, 31), 2)):  # a real <meta name="date"> typo
        doc = page(i)
        doc.published = day
        stream.publish(doc)
    stream.publish(page(3))
    work, writer = consumer(redis_client, tmp_path / "index")
    with writer:
        summary = work.run(until_empty=True)
    assert (summary.added, summary.dead) == (3, 0)
    assert writer.amended == 2
    assert PageStream(redis_client).backlog() == 0


class _Crash(Exception):
    """What an indexing bug that stops the consumer looks like to the stream."""


class _CrashingWriter(IndexWriter):
    """The real writer, but the consumer process dies on one URL (a bug, not a bad field)."""

    poison = ""

    def add(self, doc: PageDocument):  # type: ignore[override]
        if doc.url == self.poison:
            raise _Crash(doc.url)
        return super().add(doc)


def test_a_page_that_stops_the_consumer_goes_to_the_dead_letter_stream(redis_client: redis.Redis,
                                                                       tmp_path: Path) -> None:
    from index.stream import MAX_DELIVERIES

    stream = PageStream(redis_client)
    pages = [page(i) for i in range(6)]
    for doc in pages:
        stream.publish(doc)
    _CrashingWriter.poison = pages[2].url
    crashes = 0
    for _ in range(MAX_DELIVERIES + 3):  # each round: a consumer (re)started on the same stream
        writer = _CrashingWriter(tmp_path / "index", Classifier(), commit_seconds=0)
        try:
            with writer:
                StreamConsumer(redis_client, writer).run(until_empty=True)
            break
        except _Crash:
            crashes += 1
    assert crashes == MAX_DELIVERIES
    assert sorted(indexed_urls(tmp_path / "index")) == sorted(p.url for i, p in enumerate(pages) if i != 2)
    dead = redis_client.xrange(f"{DEFAULT_STREAM}:dead")
    assert len(dead) == 1 and b"deliveries" in dead[0][1][b"reason"]
    assert stream.backlog() == 0


def test_killed_consumer_loses_nothing(redis_client: redis.Redis, redis_url: str, tmp_path: Path) -> None:
    stream = PageStream(redis_client)
    with redis_client.pipeline(transaction=False) as pipe:
        for i in range(3000):
            pipe.xadd(DEFAULT_STREAM, {"op": b"add", "doc": __import__("orjson").dumps(
                {"url": page(i).url, "title": f"page {i}", "body": "texte " * 50})})
        pipe.execute()
    process = start_consume(tmp_path, redis_url, "--batch-size", "100")
    try:
        deadline = time.monotonic() + 120
        while stream.backlog() == 3000 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)  # kill it once it has started committing
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    print("backlog when the consumer was killed:", stream.backlog())
    done = run_consume(tmp_path, redis_url, "--until-empty")
    assert done.returncode == 0, done.stderr
    assert "added" in done.stdout
    urls = indexed_urls(tmp_path / "index")
    assert len(urls) == len(set(urls)) == 3000
    assert stream.backlog() == 0


def test_consume_stops_cleanly_on_sigterm(redis_url: str, tmp_path: Path) -> None:
    PageStream.from_url(redis_url).publish(page(7))
    process = start_consume(tmp_path, redis_url)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (tmp_path / "index").exists():
        time.sleep(0.1)
    while time.monotonic() < deadline and PageStream.from_url(redis_url).backlog():
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert "1 added" in out
    assert indexed_urls(tmp_path / "index") == [page(7).url]


@pytest.mark.parametrize("redis_setting, args, message", [
    (None, (), "no Redis configured"),
    ("http://127.0.0.1:1/", (), "SDC_REDIS_URL"),
    (None, ("--redis-url", "http://127.0.0.1:1/"), "invalid Redis URL"),
    ("redis://127.0.0.1:1/0", (), "cannot reach Redis"),
])
def test_consume_bad_configuration_is_one_line(tmp_path: Path, redis_setting: str | None,
                                               args: tuple[str, ...], message: str) -> None:
    done = run_consume(tmp_path, redis_setting, *args)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "index").exists()  # nothing half-made
