"""``sdc index consume``: the one process that writes the pages crawl workers publish in Redis.

Registered in the ``index`` group of :mod:`sdc.cli.indexing` (``index.add_command(consume)``).
"""

from __future__ import annotations

import signal
import sys
import threading

import click
from tqdm import tqdm

from index.stream import DEFAULT_GROUP, DEFAULT_STREAM
from sdc.cli import load_classifier, settings_of


@click.command("consume")
@click.option("--redis-url", help="Redis holding the stream (default SDC_REDIS_URL)")
@click.option("--stream", default=DEFAULT_STREAM, show_default=True, help="stream name")
@click.option("--group", default=DEFAULT_GROUP, show_default=True, help="consumer group name")
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(1, 100_000),
              help="pages per commit at most")
@click.option("--commit-seconds", default=2.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="seconds a page may wait for its commit")
@click.option("--until-empty", is_flag=True, help="stop once the stream is drained (else run until stopped)")
@click.pass_context
def consume(ctx: click.Context, redis_url: str | None, stream: str, group: str, batch_size: int,
            commit_seconds: float, until_empty: bool) -> None:
    """Index the pages crawl workers publish in a Redis stream (single writer, nothing lost).

    Pages are acknowledged only once committed: a stopped or killed consumer
    loses nothing, the next one takes its pending pages back.  Ctrl-C or
    SIGTERM commit and stop.
    """
    from index.stream import StreamConsumer, connect
    from index.writer import IndexWriter

    settings = settings_of(ctx)
    url = redis_url or settings.redis_url
    if not url:
        raise click.UsageError("no Redis configured: set SDC_REDIS_URL or give --redis-url")
    client = connect(url)  # before the index is opened: a wrong URL leaves nothing behind
    classifier = load_classifier(settings)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"sdc: indexing {stream} from {url} into {settings.index_dir}"
               f"{' until it is empty' if until_empty else ' (Ctrl-C to stop)'}", err=True)
    with IndexWriter(settings.index_dir, classifier, batch_size=batch_size * 2,
                     commit_seconds=0) as writer:  # the consumer decides when to commit
        consumer = StreamConsumer(client, writer, stream=stream, group=group, batch_size=batch_size,
                                  commit_seconds=commit_seconds)
        with tqdm(desc="consuming", unit=" entries", file=sys.stderr, mininterval=0.5,
                  disable=None) as bar:
            summary = consumer.run(until_empty=until_empty, should_stop=stop.is_set, progress=bar.update)
    click.echo(f"{stream}: {summary.line()}")
