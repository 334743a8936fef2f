"""``sdc check``: classify URLs, one JSON object per line.

It must start at once (< 0.3 s for one URL) and stream fast (200,000 URLs at least 2x a
tldextract script printing the same lines), so it imports only what classifying needs:
the compiled registry is read from its cache without opening the registry
(``sources.compiled.cached_classifier_of``); the registry, its importers and the service's
models are imported only to rebuild the cache or for URLs on stdin.

URLs on stdin go through the loop of ``POST /api/classify`` (``service.classify_wire``,
compiled in ``service/_wire.pyx``): one JSON fragment per host, cached; its items are the
lines printed here, byte for byte.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

import click
import orjson

from sdc.cli import fail, settings_of
from sources.classifier import Classifier

#: stdin is read in batches of about this many bytes (lines are never split)
BATCH = 1 << 18
_ITEMS = b'},{"url":'


def _classifier(ctx: click.Context) -> Classifier:
    from sources.compiled import cached_classifier_of

    settings = settings_of(ctx)

    def compile_() -> Classifier:
        from sources import Registry

        with Registry(settings.registry_dir) as registry:
            return registry.classifier()

    # compiled once per registry change, then read lazily from SDC_DATA_DIR/cache
    return cached_classifier_of(settings.registry_dir / "registry.sqlite3", settings.data_dir / "cache",
                                compile_)


def _batches(stream: IO[bytes]) -> Iterator[list[str]]:
    """Lines of stdin as text, in batches; a line that is not UTF-8 text ends the command (exit 2)
    after the lines before it."""
    number = 0
    while True:
        raw = stream.readlines(BATCH)
        if not raw:
            return
        block = b"".join(raw)
        try:
            if b"\x00" in block:
                raise ValueError
            text = block.decode("utf-8")
        except (UnicodeDecodeError, ValueError):
            yield from _until_refused(raw, number)
            return
        number += len(raw)
        yield _urls(text)


def _urls(text: str) -> list[str]:
    # lines end at "\n" only (str.splitlines would also cut at U+2028, \x0c...)
    lines = (line.rstrip("\r") for line in text.split("\n"))
    return [line for line in lines if line and not line.isspace()]


def _until_refused(raw: list[bytes], before: int) -> Iterator[list[str]]:
    """The lines of ``raw`` before the first that is not text, then the error naming it."""
    for offset, line in enumerate(raw):
        number = before + offset + 1
        problem = f"stdin line {number} holds a NUL byte: binary input, not URLs" if b"\x00" in line else None
        if problem is None:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                problem = f"stdin line {number} is not UTF-8 text (one URL per line expected)"
        if problem is not None:
            yield _urls(b"".join(raw[:offset]).decode("utf-8"))
            fail(problem)


def _write_each(classifier: Classifier, urls: Iterable[str], out: IO[bytes]) -> None:
    """A few URLs (arguments): one line each, without the batch machinery's imports."""
    dumps = orjson.dumps
    for url in urls:
        classification = classifier.classify(url)
        fields: dict[str, Any] = classification.to_dict()
        del fields["url"]
        out.write(b'{"url":' + dumps(url) + b"," + dumps(fields)[1:] + b"\n")


def _write_batches(classifier: Classifier, batches: Iterable[list[str]], out: IO[bytes]) -> None:
    """Many URLs (stdin): ``{"results":[item,item]}`` from the API's renderer, one item a line.

    ``},{"url":`` only occurs between items: inside a JSON string every ``"`` is escaped.
    """
    from service.classify_wire import ClassifyRenderer

    renderer = ClassifyRenderer(classifier)
    for urls in batches:
        if not urls:
            continue
        body, _trusted = renderer.render(urls)
        out.write(body[12:-2].replace(_ITEMS, b'}\n{"url":') + b"\n")  # without {"results":[ and ]}


@click.command()
@click.argument("urls", nargs=-1)
@click.pass_context
def check(ctx: click.Context, urls: tuple[str, ...]) -> None:
    """Classify URLs (or URLs on stdin, one per line): one JSON object per line.

    Keys: url, trusted, domain, category, name, rule, reason.
    """
    classifier = _classifier(ctx)
    out = sys.stdout.buffer
    if urls:
        _write_each(classifier, urls, out)
    else:
        _write_batches(classifier, _batches(sys.stdin.buffer), out)
    out.flush()
