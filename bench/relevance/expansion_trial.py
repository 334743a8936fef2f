"""Query expansion from sources nobody on the project wrote (issue 12): a trial, tuning parts only.

The hand-written synonym list (``index/data/synonymes.txt``) was written from
the vocabulary of the hand-written set's tuning half, which is one reason the
held-out half scores lower (0.834 against 0.908).  This trial asks whether
alternatives drawn automatically would close that gap:

* **corpus vectors**: a word2vec model (gensim, skip-gram, seeded) trained on
  the corpus's titles, descriptions and paragraphs, folded and unstemmed as
  the suggestions are; a query word's nearest neighbour (cosine >= theta, not
  an inflection of it) replaces it in an alternative phrasing;
* **thesaurus**: LibreOffice's French thesaurus (Debian ``mythes-fr``,
  MPL-2.0), each entry's synonyms kept only where the corpus vectors put them
  close to the word (cosine >= theta), the best one replacing the word.

Each is run with the hand-written list off (does it find what the list
finds?) and on (does it add to it?).  Only the tuning parts are scored::

    pip install gensim && apt-get install mythes-fr
    python -m bench.relevance.expansion_trial --keep /tmp/rel

``--keep`` is an index built by ``bench_relevance --keep`` (built here if absent).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.bench_relevance import DEFAULT_CORPUS, build_ours, load_sets
from bench.relevance.evalset import EvalQuery, iter_corpus, score, score_by_kind

THESAURUS = Path("/usr/share/mythes/th_fr_FR_v2.dat")
#: a word shorter than this is never replaced (articles, "aide", "prix" are kept as typed)
MIN_LETTERS = 5
Expander = Callable[[str], list[str]]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _sentences(corpus: Path) -> Iterator[list[str]]:
    from index.analysis import suggest_analyzer

    analyzer = suggest_analyzer()
    for record in iter_corpus(corpus):
        for part in (str(record.get("title") or ""), str(record.get("description") or ""),
                     *str(record.get("body") or "").split("\n")):
            words = [token.text for token in analyzer.pre_tokenize(part).tokens]
            if len(words) > 2:
                yield words


def train_vectors(corpus: Path, out: Path) -> Any:
    """The corpus's word vectors (trained once, then read from ``out``)."""
    from gensim.models import KeyedVectors, Word2Vec  # optional: pip install gensim

    if out.is_file():
        return KeyedVectors.load(str(out))
    model = Word2Vec(list(_sentences(corpus)), vector_size=100, window=5, min_count=3, sg=1, negative=10,
                     epochs=5, workers=1, seed=1)  # one worker: the same vectors every run
    model.wv.save(str(out))
    return model.wv


def vector_neighbours(vectors: Any, theta: float) -> Callable[[str], str | None]:
    def nearest(word: str) -> str | None:
        if word not in vectors:
            return None
        for other, cosine in vectors.most_similar(word, topn=3):
            if cosine >= theta and other[:4] != word[:4]:
                return str(other)
        return None

    return nearest


def thesaurus_neighbours(vectors: Any, theta: float, path: Path = THESAURUS) -> Callable[[str], str | None]:
    """The thesaurus's synonym of a word that the corpus vectors put closest to it (cosine >= theta)."""
    best: dict[str, tuple[float, str]] = {}
    with path.open(encoding="utf-8") as lines:
        lines.readline()  # the encoding
        for head in lines:
            word, count = head.rstrip("\n").rsplit("|", 1)
            synonyms = [s for _ in range(int(count)) for s in lines.readline().rstrip("\n").split("|")[1:]]
            key = _fold(word)
            if " " in key or key not in vectors:
                continue
            for synonym in synonyms:
                other = _fold(synonym.split(" (")[0])
                if " " in other or other[:4] == key[:4] or other not in vectors:
                    continue
                cosine = float(vectors.similarity(key, other))
                if cosine >= theta and cosine > best.get(key, (0.0, ""))[0]:
                    best[key] = (cosine, other)
    return lambda word: best[word][1] if word in best else None


def expander(neighbour: Callable[[str], str | None], hand: bool, alternatives: int) -> Expander:
    """Alternative phrasings: the hand-written list's (when ``hand``), then one word replaced each."""
    from index.analysis import suggest_analyzer
    from index.synonyms import expand_query

    analyzer = suggest_analyzer()

    def expand(text: str) -> list[str]:
        words = [token.text for token in analyzer.pre_tokenize(text).tokens]
        replaced = [(i, n) for i, w in enumerate(words) if len(w) >= MIN_LETTERS and (n := neighbour(w))]
        found = [" ".join([*words[:i], n, *words[i + 1:]]) for i, n in replaced[:alternatives]]
        return [*(expand_query(text) if hand else []), *found]

    return expand


def evaluate(path: Path, sets: dict[str, list[EvalQuery]], expand: Expander, hand: bool) -> str:
    from index.searcher import Searcher
    from index.tuning import SearchTuning

    searcher = Searcher(path, tuning=SearchTuning(), expand=expand)
    cells = []
    for name, queries in sets.items():
        runs = {q: [(h.url, *h.duplicates) for h in
                    searcher.search(q.text, limit=10, snippets=False, facets=False).results] for q in queries}
        cells.append(f"{score(runs).mrr:.3f}")
        if name == "hand":
            kinds = score_by_kind(runs)
            cells.append(f"{kinds['keywords'].mrr:.3f} / {kinds['paraphrase'].mrr:.3f}")
    return " | ".join(cells)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="expansion_trial", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", type=Path, required=True, help="bench_relevance's index directory")
    parser.add_argument("--thesaurus", type=Path, default=THESAURUS)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if not args.corpus.is_file() or not args.thesaurus.is_file():
        print(f"skipped: needs {args.corpus} and {args.thesaurus} (apt-get install mythes-fr)")
        return
    if not (args.keep / "ours" / "meta.json").is_file():
        build_ours(list(iter_corpus(args.corpus)), args.keep / "ours")
    sets = {name: [q for q in queries if q.part == "tuning"] for name, queries in load_sets().items()}
    vectors = train_vectors(args.corpus, args.keep / "corpus-vectors.kv")
    print("| alternatives | hand list | hand | keywords / paraphrase | phrases | titles | typos |")
    print("|---|---|---|---|---|---|---|")
    none: Callable[[str], str | None] = lambda word: None  # noqa: E731 - the trial's baseline
    trials = [("none", none, 0), ("corpus vectors, cos >= 0.75, 2", vector_neighbours(vectors, 0.75), 2),
              ("corpus vectors, cos >= 0.82, 1", vector_neighbours(vectors, 0.82), 1),
              ("thesaurus, cos >= 0.6, 1", thesaurus_neighbours(vectors, 0.6, args.thesaurus), 1),
              ("thesaurus, cos >= 0.7, 1", thesaurus_neighbours(vectors, 0.7, args.thesaurus), 1)]
    for label, neighbour, count in trials:
        for hand in (False, True):
            row = evaluate(args.keep / "ours", sets, expander(neighbour, hand, count), hand)
            print(f"| {label} | {'on' if hand else 'off'} | {row} |", flush=True)


if __name__ == "__main__":
    main()
