"""A sentence-embedding signal over the best 30 pages (issue 12): a trial, tuning parts only.

The only sentence-embedding model reachable from here is WordLlama's
(``pip install wordllama``, MIT): its 256-dimension static token embeddings
ship inside the wheel.  Each of the first stage's best 30 pages gets
``score / best score + weight x similarity(query, title. description)`` and
the 30 are sorted again::

    pip install wordllama
    python -m bench.relevance.semantic_trial --keep /tmp/rel

WordLlama 0.4.0 looks for its bundled tokenizer under ``tokenizer/`` while the
wheel installs it under ``tokenizers/``: the trial copies it to a cache folder
of its own and loads with downloads off.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bench_relevance import DEFAULT_CORPUS, build_ours, load_sets
from bench.relevance.evalset import iter_corpus, score, score_by_kind

DEPTH = 30
WEIGHTS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)


def load_model(cache: Path) -> Any:
    import wordllama  # optional: pip install wordllama
    from wordllama import WordLlama

    bundled = Path(wordllama.__file__).parent / "tokenizers"
    (cache / "tokenizers").mkdir(parents=True, exist_ok=True)
    for file in bundled.glob("*.json"):
        shutil.copy(file, cache / "tokenizers" / file.name)
    return WordLlama.load(cache_dir=cache, disable_download=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="semantic_trial", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", type=Path, required=True, help="bench_relevance's index directory")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if not args.corpus.is_file():
        print(f"skipped: no corpus at {args.corpus}")
        return
    from index.searcher import Searcher

    records = list(iter_corpus(args.corpus))
    if not (args.keep / "ours" / "meta.json").is_file():
        build_ours(records, args.keep / "ours")
    descriptions = {str(r["url"]): str(r.get("description") or "") for r in records}
    with tempfile.TemporaryDirectory() as cache:
        model = load_model(Path(cache))
    searcher = Searcher(args.keep / "ours")
    sets = {name: [q for q in queries if q.part == "tuning"] for name, queries in load_sets().items()}
    # per query: each of the best 30 as (its URLs, score / best score, similarity)
    scored: dict[Any, list[tuple[tuple[str, ...], float, float]]] = {}
    for queries in sets.values():
        for query in queries:
            hits = searcher.search(query.text, limit=DEPTH, snippets=False, facets=False).results
            best = max((hit.score for hit in hits), default=1.0) or 1.0
            texts = [f"{hit.title}. {descriptions.get(hit.url, '')}" for hit in hits]
            similar = [float(model.similarity(query.text, text)) for text in texts]
            scored[query] = [((hit.url, *hit.duplicates), hit.score / best, sim)
                             for hit, sim in zip(hits, similar, strict=True)]
    print("| weight | hand-written (keywords / paraphrase / acronym) | copied phrases | titles | typos |")
    print("|---|---|---|---|---|")
    for weight in WEIGHTS:
        cells = []
        for name, queries in sets.items():
            runs = {q: [urls for urls, _, _ in sorted(scored[q], key=lambda s: -(s[1] + weight * s[2]))[:10]]
                    for q in queries}
            cell = f"{score(runs).mrr:.3f}"
            if name == "hand":
                kinds = score_by_kind(runs)
                cell += " ({:.3f} / {:.3f} / {:.3f})".format(
                    *(kinds[kind].mrr for kind in ("keywords", "paraphrase", "acronym")))
            cells.append(cell)
        print(f"| {weight} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
