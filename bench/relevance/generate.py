"""Generated evaluation sets (issue 12): built from the corpus by a seeded script, never edited by hand.

Three sets complete the hand-written ``queries.tsv``:

* ``phrases.tsv``: spans of 4-9 consecutive words copied from page bodies,
  the three sites in proportion to their pages; every page whose body holds
  the same span is a right answer;
* ``titles.tsv``: page titles with words dropped, reordered, a singular or
  plural changed, or the accents removed (the kind says which); every page
  with the same title is a right answer;
* ``typos.tsv``: each query of the other three sets with one typo (a letter
  dropped, doubled or two letters swapped in a word of 6+ letters); its kind
  names the source set, and it keeps its source query's answers and part.

Every query gets its part, ``tuning`` or ``held-out``, here, from
``SPLIT_SEED``, before any ranking change was made (the hand-written set keeps
its own split: even lines tuning, odd lines held out).  A typo query has the
part of the query it was made from, so tuning on a clean query never leaks
into the held-out typos.

    python -m bench.relevance.generate [--corpus PATH]   # rewrites the three files
"""

from __future__ import annotations

import argparse
import bisect
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench.relevance.evalset import QUERIES_FILE, EvalQuery, iter_corpus, load_queries

HERE = Path(__file__).parent
#: the seed of every choice below (spans, titles, variants, typos)
SEED = 12
#: the seed of the tuning / held-out split (recorded in docs/relevance.md)
SPLIT_SEED = 1205
PHRASES = 1200
TITLES = 600
MIN_TYPO_WORD = 6
_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(_fold(text).casefold()))


def _site(url: str) -> str:
    return url.split("/")[2]


def _part(rng: random.Random) -> str:
    return "held-out" if rng.random() < 0.5 else "tuning"


class _Bodies:
    """Every body in one string, to find which pages hold a span."""

    def __init__(self, records: Sequence[dict[str, object]]) -> None:
        self.urls = [str(r["url"]) for r in records]
        self.starts: list[int] = []
        parts, position = [], 0
        for record in records:
            text = " ".join(str(record.get("body") or "").split())
            self.starts.append(position)
            parts.append(text)
            position += len(text) + 1
        self.text = "\x00".join(parts)

    def holding(self, span: str) -> list[str]:
        out: dict[str, None] = {}
        at = self.text.find(span)
        while at >= 0:
            out.setdefault(self.urls[bisect.bisect_right(self.starts, at) - 1], None)
            at = self.text.find(span, at + 1)
        return list(out)


def phrases(records: Sequence[dict[str, object]], rng: random.Random, split: random.Random,
            count: int = PHRASES) -> list[EvalQuery]:
    by_site: dict[str, list[dict[str, object]]] = defaultdict(list)
    for record in records:
        by_site[_site(str(record["url"]))].append(record)
    bodies = _Bodies(records)
    out: list[EvalQuery] = []
    seen: set[str] = set()
    for site in sorted(by_site):
        pages = by_site[site]
        wanted = max(10, round(count * len(pages) / len(records)))
        made = 0
        while made < wanted:
            record = rng.choice(pages)
            lines = [line.split() for line in str(record.get("body") or "").split("\n")]
            lines = [words for words in lines if len(words) >= 4]
            if not lines:
                continue
            words = rng.choice(lines)
            size = rng.randint(4, min(9, len(words)))
            start = rng.randrange(len(words) - size + 1)
            span = " ".join(words[start:start + size])
            if span in seen or not any(c.isalpha() for c in span):
                continue
            seen.add(span)
            holding = bodies.holding(span)
            url = str(record["url"])
            others = tuple(u for u in holding if u != url)
            out.append(EvalQuery(span, url, f"phrase:{site}", others, _part(split)))
            made += 1
    return out


_VARIANTS = ("drop", "reorder", "plural", "no-accent")


def _plural(words: list[str], rng: random.Random) -> list[str] | None:
    spots = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha() and w[0].islower()]
    if not spots:
        return None
    i = rng.choice(spots)
    word = words[i]
    if word.endswith(("s", "x")):
        word = word[:-1]
    elif word.endswith("al"):
        word = word[:-2] + "aux"
    else:
        word += "s"
    return [*words[:i], word, *words[i + 1:]]


def _variant(title: str, kind: str, rng: random.Random) -> str | None:
    # words as typed: "L1234-5" and "l'employeur" stay whole, a lone "-" or ":" goes
    words = [w.strip(",;:.?!()") for w in title.split() if any(c.isalnum() for c in w)]
    if kind == "drop":
        # never an article number: without it a Code du travail title names nothing
        droppable = [i for i, w in enumerate(words) if not any(c.isdigit() for c in w)]
        if len(words) < 4 or not droppable:
            return None
        gone = set(rng.sample(droppable, min(len(droppable) - 1, rng.randint(1, 2))))
        kept = [w for i, w in enumerate(words) if i not in gone]
    elif kind == "reorder":
        if len(words) < 3:
            return None
        kept = words[:]
        while kept == words:
            rng.shuffle(kept)
    elif kind == "plural":
        kept = _plural(words, rng) or []
    else:
        folded = _fold(title)
        return folded if folded != title else None
    return " ".join(kept) if kept else None


def titles(records: Sequence[dict[str, object]], rng: random.Random, split: random.Random,
           count: int = TITLES) -> list[EvalQuery]:
    same_title: dict[str, list[str]] = defaultdict(list)
    for record in records:
        same_title[_normal(str(record["title"]))].append(str(record["url"]))
    out: list[EvalQuery] = []
    seen: set[str] = set()
    while len(out) < count:
        record = rng.choice(records)
        title, url = " ".join(str(record["title"]).split()), str(record["url"])
        kind = _VARIANTS[len(out) % len(_VARIANTS)]
        text = _variant(title, kind, rng)
        if not text or _normal(text) in seen:
            continue
        seen.add(_normal(text))
        others = tuple(u for u in same_title[_normal(title)] if u != url)
        out.append(EvalQuery(text, url, f"title:{kind}", others, _part(split)))
    return out


def typo(text: str, rng: random.Random) -> str | None:
    """``text`` with one typo in one of its words of 6+ letters (``None`` when it has none)."""
    spans = [m.span() for m in _WORD.finditer(text)
             if len(m.group()) >= MIN_TYPO_WORD and m.group().isalpha()]
    if not spans:
        return None
    start, end = rng.choice(spans)
    word = text[start:end]
    at = rng.randrange(1, len(word) - 1)  # never the first letter: agents rarely get it wrong
    how = rng.choice(("drop", "double", "swap"))
    if how == "drop":
        changed = word[:at] + word[at + 1:]
    elif how == "double":
        changed = word[:at] + word[at] + word[at:]
    else:
        changed = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if changed == word:
        changed = word[:at] + word[at + 1:]
    return text[:start] + changed + text[end:]


def typos(sources: dict[str, Sequence[EvalQuery]], rng: random.Random) -> list[EvalQuery]:
    out = []
    for name, queries in sources.items():
        for query in queries:
            text = typo(query.text, rng)
            if text is not None:
                out.append(EvalQuery(text, query.expected_url, f"typo:{name}", query.also, query.part,
                                     source=query.text))
    return out


def hand_written(path: Path = QUERIES_FILE) -> list[EvalQuery]:
    """``queries.tsv`` with its split: even lines (0, 2, ...) tuning, odd lines held out."""
    return [EvalQuery(q.text, q.expected_url, q.kind, q.also, "tuning" if i % 2 == 0 else "held-out")
            for i, q in enumerate(load_queries(path))]


def generate(corpus: Path) -> dict[str, list[EvalQuery]]:
    records = list(iter_corpus(corpus))
    rng, split = random.Random(SEED), random.Random(SPLIT_SEED)
    made = {"phrases": phrases(records, rng, split), "titles": titles(records, rng, split)}
    made["typos"] = typos({"hand": hand_written(), **made}, rng)
    return made


def write(sets: dict[str, list[EvalQuery]], folder: Path = HERE) -> None:
    header = (f"# generated by bench/relevance/generate.py (seed {SEED}, split seed {SPLIT_SEED}): "
              "do not edit\n"
              "# query<TAB>expected URL<TAB>kind<TAB>part<TAB>other right URLs (space-separated)"
              "<TAB>source query (typos)\n")
    for name, queries in sets.items():
        lines = [f"{q.text}\t{q.expected_url}\t{q.kind}\t{q.part}\t{' '.join(q.also)}\t{q.source}"
                 for q in queries]
        (folder / f"{name}.tsv").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    from bench.bench_relevance import DEFAULT_CORPUS

    parser = argparse.ArgumentParser(prog="generate", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    sets = generate(args.corpus)
    write(sets)
    for name, queries in sets.items():
        held = sum(q.part == "held-out" for q in queries)
        print(f"{name}: {len(queries)} queries ({held} held out)")


if __name__ == "__main__":
    main()
