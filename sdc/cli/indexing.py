"""``sdc index ...`` and ``sdc search``: the full-text index from the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
import orjson
from tqdm import tqdm

from sdc.cli import load_classifier, settings_of
from sdc.cli.index_stream import consume

#: keys of each result in ``sdc search`` JSON output (the documented contract)
RESULT_KEYS = ("url", "title", "snippet", "domain", "category", "score")
SHOWN_INVALID = 20


@click.group()
def index() -> None:
    """Fill, inspect and prune the full-text index of trusted pages."""


@index.command("add")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--batch-size", default=20_000, hidden=True,
              help="ignored: a file is committed once, at its end (all or nothing)")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="indexing threads")
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON")
@click.pass_context
def add(ctx: click.Context, file: Path, batch_size: int, threads: int, as_json: bool) -> None:
    """Index FILE (JSON Lines, gzip accepted): one page a line with url, title, body.

    Domain, category and source name come from the registry; untrusted URLs
    are refused and counted, invalid lines are reported with their numbers,
    a date out of range is dropped (the page kept) and reported.  All or
    nothing: the file is committed once, at its end; if it cannot be read to
    its end (a truncated .gz) or the command is interrupted, the index stays
    as it was.
    """
    from index.documents import InvalidPage, normalise
    from index.errors import InvalidDocumentError, SearchIndexError
    from index.jsonl import InvalidLine, check_readable, read_documents
    from index.writer import IndexWriter

    settings = settings_of(ctx)
    check_readable(file)  # an unreadable file fails here, before the index is touched
    classifier = load_classifier(settings)
    invalid: list[InvalidLine] = []
    amended: list[InvalidLine] = []  # kept, with a field dropped or cut
    try:
        with IndexWriter(settings.index_dir, classifier, batch_size=sys.maxsize, commit_seconds=0,
                         threads=threads) as writer:
            with tqdm(desc="indexing", unit=" docs", file=sys.stderr, mininterval=0.5,
                      disable=None) as bar:
                for number, item in read_documents(file):
                    bar.update()
                    if isinstance(item, InvalidLine):
                        invalid.append(item)
                        continue
                    try:
                        doc = normalise(item)
                        writer.add(doc, normalised=True)  # normalised once, here: its notes are reported
                    except (InvalidPage, InvalidDocumentError) as exc:
                        invalid.append(InvalidLine(number, str(exc)))
                        continue
                    if doc.notes:
                        amended.append(InvalidLine(number, "; ".join(doc.notes)))
            counts = dict(writer.counts)
    except SearchIndexError as exc:
        raise type(exc)(f"{exc}; nothing from {file} was indexed (the index is as it was)") from None
    summary = {
        "file": str(file),
        "added": counts["added"],
        "replaced": counts["replaced"],
        "refused_untrusted": counts["refused"],
        "invalid": len(invalid),
        "invalid_lines": [{"line": i.line, "reason": i.reason} for i in invalid],
        "amended": len(amended),
        "amended_lines": [{"line": i.line, "reason": i.reason} for i in amended],
    }
    if as_json:
        click.echo(orjson.dumps(summary).decode())
        return
    click.echo(f"{file}: {counts['added']} added, {counts['replaced']} replaced, "
               f"{counts['refused']} refused as untrusted, {len(invalid)} invalid lines, "
               f"{len(amended)} kept with a field dropped or cut")
    for kind, items in (("", invalid), ("kept, ", amended)):
        for item in items[:SHOWN_INVALID]:
            click.echo(f"  line {item.line}: {kind}{item.reason}")
        if len(items) > SHOWN_INVALID:
            click.echo(f"  ... and {len(items) - SHOWN_INVALID} more (use --json for all)")


@index.command("stats")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Documents, documents by category, size on disk and segments."""
    from index.searcher import Searcher

    data = Searcher(settings_of(ctx).index_dir).stats()
    if as_json:
        click.echo(orjson.dumps(data).decode())
        return
    click.echo(f"documents: {data['documents']}")
    click.echo(f"size on disk: {data['size_bytes'] / 1e6:.1f} MB ({data['size_bytes']} bytes)")
    click.echo(f"segments: {data['segments']}")
    click.echo("by category:")
    for category, count in sorted(data["by_category"].items(), key=lambda kv: -kv[1]):
        click.echo(f"  {category:28} {count}")
    shards = data.get("shards") or []
    click.echo(f"shards: {len(shards)}" if shards
               else "shards: none (one index; 'sdc index reshard' splits it)")
    for shard in shards:
        click.echo(f"  shard {shard['shard']:2}: {shard['documents']} documents, "
                   f"{shard['size_bytes'] / 1e6:.1f} MB, {shard['segments']} segments")


@index.command("reshard")
@click.option("--shards", "count", required=True, type=click.IntRange(1, 64),
              help="shards of the new layout (1: one unsharded index)")
@click.option("--keep-old", is_flag=True, help="keep the previous index next to it (INDEX.before-DATE)")
@click.pass_context
def reshard(ctx: click.Context, count: int, keep_old: bool) -> None:
    """Rewrite the index as COUNT shards searched in parallel (also migrates an index built before shards).

    Every page is copied from the index itself into a new directory; the index is replaced only when
    the copy is complete, and writers wait meanwhile.  About 2,500-7,000 pages a second a core.
    """
    from index.shard_migrate import reshard as run

    settings = settings_of(ctx)
    with tqdm(desc="resharding", unit=" pages", file=sys.stderr, mininterval=0.5, disable=None) as bar:
        counts = run(settings.index_dir, count, load_classifier(settings), keep_old=keep_old,
                     progress=bar.update)
    click.echo(f"{settings.index_dir}: {count} shard(s), {counts['added']} pages copied, "
               f"{counts['refused']} no longer trusted and left out"
               + ("; the previous index kept next to it" if keep_old else ""))


@index.command("delete")
@click.option("--url", "urls", multiple=True, help="delete the page at this URL (repeatable)")
@click.option("--domain", "domains", multiple=True,
              help="delete every page of this domain and its subdomains (repeatable)")
@click.pass_context
def delete(ctx: click.Context, urls: tuple[str, ...], domains: tuple[str, ...]) -> None:
    """Delete pages by URL or by domain (purge a source removed from the registry)."""
    from index.schema import open_index
    from index.shards import shard_dirs
    from index.writer import IndexWriter

    if not urls and not domains:
        raise click.UsageError("give at least one --url or --domain")
    settings = settings_of(ctx)
    open_index(shard_dirs(settings.index_dir)[0], create=False)  # no index: a clear error, not an empty one
    with IndexWriter(settings.index_dir, load_classifier(settings), commit_seconds=0) as writer:
        for url in urls:
            click.echo(f"{url}: {writer.delete_url(url)} deleted")
        for domain in domains:
            click.echo(f"{domain}: {writer.delete_domain(domain)} deleted")


@click.command()
@click.argument("query", required=False)
@click.option("--category", "categories", multiple=True, help="only this category (repeatable)")
@click.option("--site", help="only this host or domain (and its subdomains)")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 1000))
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_context
def search(ctx: click.Context, query: str | None, categories: tuple[str, ...], site: str | None,
           limit: int, page: int, sort: str, as_json: bool) -> None:
    """Search the index for QUERY; with no QUERY, one query a line on stdin, one JSON line each.

    Query syntax: "exact phrase", -excluded, site:paris.fr, categorie:commune.
    """
    from index.searcher import Searcher

    searcher = Searcher(settings_of(ctx).index_dir)

    def run(text: str) -> Any:
        return searcher.search(text, category=list(categories) or None, site=site, limit=limit,
                               page=page, sort="date" if sort == "date" else "relevance")

    if query is None:
        out = sys.stdout.buffer
        for line in _lines(sys.stdin):
            out.write(orjson.dumps(_as_json(run(line))) + b"\n")
            out.flush()
        return
    results = run(query)
    if as_json:
        click.echo(orjson.dumps(_as_json(results)).decode())
        return
    first = (results.page - 1) * results.limit + 1
    click.echo(f"{results.total} results ({results.took_ms:.1f} ms)"
               + (f", showing {first}-{first + len(results.results) - 1}" if results.results else ""))
    for number, hit in enumerate(results.results, start=first):
        click.echo(f"\n{number}. {hit.title}\n   {hit.url}\n   [{hit.category}] {hit.name}")
        if hit.snippet:
            click.echo("   " + _plain(hit.snippet))


def _as_json(results: Any) -> dict[str, Any]:
    return {
        "query": results.query,
        "total": results.total,
        "took_ms": results.took_ms,
        "results": [{key: getattr(hit, key) for key in RESULT_KEYS} for hit in results.results],
    }


def _plain(snippet: str) -> str:
    """The snippet for a terminal: marks in bold, entities decoded."""
    import html

    bold = click.style("\0", bold=True).split("\0") if sys.stdout.isatty() else ["", ""]
    return html.unescape(snippet.replace("<mark>", bold[0]).replace("</mark>", bold[1]))


def _lines(stream: Iterable[str]) -> Iterable[str]:
    for line in stream:
        line = line.strip()
        if line:
            yield line


index.add_command(consume)  # ``sdc index consume``, the Redis stream consumer
