"""The pages the index benchmarks index: the real corpus, and synthetic pages recombined from it.

``load_corpus`` reads ../shared/data/corpus (19,256 pages); ``synthetic`` makes any number of
pages of real French from the corpus's titles, descriptions and paragraphs, the same ones for a
given seed, on ``SYNTHETIC_HOSTS`` hosts that ``synthetic_classifier`` lists.  bench_index,
scale_build and the service benchmarks over a kept index (bench.served) share them.
"""

from __future__ import annotations

import gzip
import json
import os
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from index.documents import PageDocument
from sources import Category, Classifier, Entry

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data"))
CORPUS = SHARED / "corpus" / "documents.jsonl.gz"
SYNTHETIC_HOSTS = 5000
#: one synthetic page in this many is a copy of the one before under another URL
DUPLICATE_EVERY = 25
CATEGORIES = list(Category)


def load_corpus() -> list[PageDocument]:
    docs = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            r = json.loads(line)
            published = date.fromisoformat(r["date"][:10]) if r.get("date") else None
            docs.append(PageDocument(r["url"], r["title"], r["body"], r.get("description") or "",
                                     published=published, lang=r.get("lang")))
    return docs


def corpus_classifier(docs: list[PageDocument]) -> Classifier:
    hosts = {d.url.split("/")[2] for d in docs}
    return Classifier(entries=[Entry(h, Category.ETAT, h, "bench", "bench") for h in hosts])


def synthetic_classifier() -> Classifier:
    return Classifier(entries=[
        Entry(f"site{k}.fr", CATEGORIES[k % len(CATEGORIES)], f"Source {k}", "bench", "bench")
        for k in range(SYNTHETIC_HOSTS)
    ])


def synthetic(corpus: list[PageDocument], count: int, seed: int = 3) -> Iterator[PageDocument]:
    """``count`` pages of real French: a corpus title, description and 3-6 corpus paragraphs."""
    rng = random.Random(seed)
    paragraphs = [p for d in corpus for p in d.body.split("\n") if len(p) > 40]
    titles = [d.title for d in corpus]
    descriptions = [d.description for d in corpus if d.description]
    previous: PageDocument | None = None
    for n in range(count):
        published = date(2000 + n % 26, 1 + n % 12, 1 + n % 28)
        if previous is not None and n % DUPLICATE_EVERY == 1:
            # the same page under another address (a fiche under two audience paths): collapsed
            yield PageDocument(f"https://site{n % SYNTHETIC_HOSTS}.fr/copie/{n}", previous.title,
                               previous.body, previous.description, published=previous.published)
            continue
        body = "\n".join(rng.choices(paragraphs, k=rng.randint(3, 6)))
        previous = PageDocument(f"https://site{n % SYNTHETIC_HOSTS}.fr/page/{n}", rng.choice(titles), body,
                                rng.choice(descriptions), published=published)
        yield previous
