"""Many producers, one index writer: pages travel through a Redis stream.

Crawl workers on any machine :meth:`PageStream.publish` extracted pages (and
deletions) with ``XADD``; one ``sdc index consume`` process
(:class:`StreamConsumer`) reads them as the single member of a consumer group
(``XREADGROUP``), batches them into :class:`index.writer.IndexWriter`, and
only after the index **committed** acknowledges and deletes them (``XACK`` +
``XDEL``).  So:

* a consumer killed at any point loses nothing: what it had read but not
  committed is still pending in the group, and the next consumer takes it
  back (``XAUTOCLAIM``) before reading new entries;
* an entry delivered twice is harmless: adding a URL again replaces it (one
  document per URL), deleting it again deletes nothing;
* the stream does not grow without bound: entries go once committed.

Only one consumer may run per index: the writer's directory lock enforces it
(:class:`index.errors.IndexLockedError`).  Readers (the service's
``Searcher``) follow the new commits on their own.

An entry that cannot be decoded or indexed is moved to ``<stream>:dead`` with
the reason (never silently dropped) and counted, and the consumer goes on.  An
entry that crashed the consumer itself is found on restart by its delivery
count: taken-back entries already delivered before are applied and committed
one at a time (so the others of its batch get through), and one delivered
more than ``MAX_DELIVERIES`` times goes to the dead-letter stream unapplied.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, cast

import orjson
import redis

from index.documents import PageDocument
from index.errors import InvalidDocumentError, SearchIndexError
from index.jsonl import to_document
from index.writer import IndexWriter

DEFAULT_STREAM = "sdc:pages"
DEFAULT_GROUP = "sdc-index"
CONSUMER = "indexer"  # one consumer per index: a fixed name lets a restart find its own entries
READ_COUNT = 500
#: deliveries of one entry (each a consumer that stopped before committing it) before it is buried
MAX_DELIVERIES = 3
BLOCK_MS = 1000


class StreamError(SearchIndexError):
    """Redis cannot be reached or refuses the stream operations (one-line message)."""


def encode_page(doc: PageDocument) -> dict[str, bytes]:
    return {"op": b"add", "doc": orjson.dumps(asdict(doc))}


def decode_entry(fields: dict[bytes, bytes]) -> tuple[str, PageDocument | str]:
    """``("add", PageDocument)`` or ``("delete", url)``; ``ValueError`` for anything else."""
    op = fields.get(b"op", b"").decode("utf-8", "replace")
    if op == "delete":
        url = fields.get(b"url", b"").decode("utf-8")
        if not url:
            raise ValueError("delete without url")
        return op, url
    if op != "add":
        raise ValueError(f"unknown operation {op!r}")
    raw = orjson.loads(fields.get(b"doc", b""))
    if not isinstance(raw, dict):
        raise ValueError("page is not a JSON object")
    try:
        return op, to_document(raw)  # the same checks as `sdc index add`
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bad page fields: {exc}") from None


class PageStream:
    """The producer side: hand pages and deletions to the consumer (safe from any process)."""

    def __init__(self, client: redis.Redis, stream: str = DEFAULT_STREAM) -> None:
        self.client, self.stream = client, stream

    @classmethod
    def from_url(cls, url: str, stream: str = DEFAULT_STREAM) -> PageStream:
        return cls(connect(url), stream)

    # redis-py types a stream entry's fields as an invariant dict of a wide union: a plain
    # dict[str, bytes] is refused by mypy, accepted by redis
    def publish(self, doc: PageDocument) -> bytes:
        fields: Any = encode_page(doc)
        return cast(bytes, redis_guard(lambda: self.client.xadd(self.stream, fields)))

    def publish_delete(self, url: str) -> bytes:
        fields: Any = {"op": b"delete", "url": url.encode()}
        return cast(bytes, redis_guard(lambda: self.client.xadd(self.stream, fields)))

    def backlog(self) -> int:
        """Entries not yet committed to the index (read or not)."""
        return int(redis_guard(lambda: self.client.xlen(self.stream)))


@dataclass
class ConsumeSummary:
    added: int = 0
    replaced: int = 0
    refused: int = 0
    deleted: int = 0
    dead: int = 0
    commits: int = 0
    reclaimed: int = 0

    def line(self) -> str:
        return (f"{self.added} added, {self.replaced} replaced, {self.refused} refused as untrusted, "
                f"{self.deleted} deleted, {self.dead} not indexable (moved to the dead-letter stream), "
                f"{self.commits} commits, {self.reclaimed} taken back from a stopped consumer")


class StreamConsumer:
    """Reads the stream into one writer; commits, then acknowledges (see the module docstring)."""

    def __init__(self, client: redis.Redis, writer: IndexWriter, *, stream: str = DEFAULT_STREAM,
                 group: str = DEFAULT_GROUP, batch_size: int = 1000, commit_seconds: float = 2.0) -> None:
        self.client, self.writer = client, writer
        self.stream, self.group = stream, group
        self.batch_size = max(1, batch_size)
        self.commit_seconds = commit_seconds
        self.summary = ConsumeSummary()
        self._uncommitted: list[bytes] = []
        self._first_uncommitted = 0.0
        redis_guard(self._create_group)

    def _create_group(self) -> None:
        try:
            self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def run(self, *, until_empty: bool = False, should_stop: Callable[[], bool] = lambda: False,
            progress: Callable[[int], object] = lambda n: None) -> ConsumeSummary:
        """Consume until ``should_stop()`` (or, with ``until_empty``, until nothing is left); commit."""
        try:
            self._reclaim()
            while not should_stop():
                handled = self.step()
                progress(handled)
                if until_empty and handled == 0 and not self._uncommitted:
                    break
        finally:
            self.commit()
        return self.summary

    def step(self) -> int:
        """Read one batch (waiting up to a second), apply it, commit when due; entries handled."""
        block = None if self._uncommitted else BLOCK_MS  # something to commit: do not wait
        reply = redis_guard(lambda: self.client.xreadgroup(
            self.group, CONSUMER, {self.stream: ">"}, count=min(READ_COUNT, self.batch_size),
            block=block))
        entries = [entry for _, batch in reply or [] for entry in batch]
        self._apply(entries)
        due = self._uncommitted and (len(self._uncommitted) >= self.batch_size or not entries
                                     or time.monotonic() - self._first_uncommitted >= self.commit_seconds)
        if due:
            self.commit()
        return len(entries)

    def commit(self) -> None:
        """Commit the index, then acknowledge and delete what it now holds."""
        if not self._uncommitted:
            return
        self.writer.commit()
        ids, self._uncommitted = self._uncommitted, []
        self.summary.commits += 1

        def ack() -> None:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.xack(self.stream, self.group, *ids)
                pipe.xdel(self.stream, *ids)
                pipe.execute()

        redis_guard(ack)  # on failure they stay pending: applied again later, which is harmless

    def _reclaim(self) -> None:
        """Take back every entry a stopped consumer read but did not commit, and apply it."""
        start = "0-0"
        first_suspect = True
        while True:
            reply = redis_guard(functools.partial(
                self.client.xautoclaim, self.stream, self.group, CONSUMER, min_idle_time=0, start_id=start,
                count=READ_COUNT))
            start, entries = reply[0], reply[1]
            self.summary.reclaimed += len(entries)
            entries = [e for e in entries if e[1] is not None]  # None: deleted meanwhile
            deliveries = self._deliveries(entries)
            for entry in entries:
                times = deliveries.get(entry[0], 1)
                # suspects go one at a time, in order: the first one left is the one that stopped
                # the last consumer, the later ones were not tried alone yet
                if times > MAX_DELIVERIES and first_suspect:
                    self._bury(entry[0], entry[1], f"not indexed after {times - 1} deliveries")
                    self._uncommitted.append(entry[0])
                    first_suspect = False
                elif times > 1:  # it was in a batch a consumer did not finish: alone this time
                    first_suspect = False
                    self.commit()
                    self._apply([entry])
                    self.commit()
                else:
                    self._apply([entry])
            if len(self._uncommitted) >= self.batch_size:
                self.commit()
            if start in (b"0-0", "0-0"):
                break
        self.commit()

    def _deliveries(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> dict[bytes, int]:
        """How many times each entry was delivered (the claim that took it back included)."""
        if not entries:
            return {}
        ids = [e[0] for e in entries]
        reply = redis_guard(lambda: self.client.xpending_range(
            self.stream, self.group, min=min(ids, key=_id_order), max=max(ids, key=_id_order),
            count=len(ids) + READ_COUNT, consumername=CONSUMER))
        return {_as_bytes(item["message_id"]): int(item["times_delivered"]) for item in reply}

    def _apply(self, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        if entries and not self._uncommitted:
            self._first_uncommitted = time.monotonic()
        for entry_id, fields in entries:
            try:
                op, payload = decode_entry(fields)
            except (ValueError, orjson.JSONDecodeError, UnicodeDecodeError) as exc:
                self._bury(entry_id, fields, str(exc))
            else:
                if isinstance(payload, PageDocument):
                    try:
                        outcome = self.writer.add(payload)
                    except InvalidDocumentError as exc:
                        self._bury(entry_id, fields, str(exc))
                    else:
                        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
                else:
                    self.summary.deleted += self.writer.delete_url(payload)
            self._uncommitted.append(entry_id)

    def _bury(self, entry_id: bytes, fields: dict[bytes, bytes], reason: str) -> None:
        self.summary.dead += 1
        dead: dict[Any, Any] = {**fields, b"reason": reason.encode(), b"id": entry_id}
        redis_guard(lambda: self.client.xadd(f"{self.stream}:dead", dead))


def _as_bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def _id_order(entry_id: bytes | str) -> tuple[int, int]:
    milliseconds, _, sequence = _as_bytes(entry_id).partition(b"-")
    return int(milliseconds), int(sequence or 0)


def connect(url: str) -> redis.Redis:
    """A client for ``url`` (``redis://``, ``rediss://``, ``unix://``), checked with a PING."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10,
                                      health_check_interval=30)
    except ValueError as exc:
        raise StreamError(f"invalid Redis URL {url!r}: {exc}") from None
    redis_guard(client.ping, f"cannot reach Redis at {url}")
    return client


def redis_guard(call: Callable[[], Any], what: str = "Redis",
                error: type[Exception] = StreamError) -> Any:
    """``call()``, a Redis failure raised as ``error`` with one line naming ``what`` (also the
    distributed crawl's: ``crawler/distributed/frontier.py``)."""
    try:
        return call()
    except redis.RedisError as exc:
        raise error(f"{what}: {exc}") from None
