"""Search-box completions: the few words of the index's titles that continue what the agent typed.

A completion is what the agent typed, its last word completed, and up to
``MAX_EXTRA`` more words, as they follow it in some page titles
("allocations fa" -> "allocations familiales", "allocations familiales
montant").  Never a whole long title, never a stop word alone, never ending
on one ("allocation de").  They are ranked by how many pages their title
holds them, counted by a phrase query on the ``suggest`` field.  On a
sharded index they are read from every shard at once
(``index.shard_search.ShardTerms``): titles of all shards, pages of all
shards counted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

import tantivy

from index import schema as f

#: titles read to find the continuations of what was typed
SAMPLE = 40
#: the most frequent words starting with the word being typed that are looked for
EXPANSIONS = 12
#: words a completion may add after the word being typed
MAX_EXTRA = 2
#: candidates whose pages are counted (the most frequent in the sample)
COUNTED = 12
#: words (folded) a completion never ends on, beyond the analyzer's stop words: they announce more
DANGLING = frozenset({
    "a", "au", "aux", "apres", "avant", "avec", "chez", "comment", "contre", "dans", "des", "doit", "du",
    "en", "entre", "est", "faut", "lors", "ou", "par", "peut", "pour", "quand", "quel", "quelle",
    "quelles", "quels", "sans", "selon", "sont", "sous", "suite", "sur", "vers",
})
#: a single word shorter than this only completes from the term dictionary
MIN_PREFIX = 3


class Titles(Protocol):
    """What suggestions read: a tantivy searcher, or the shards' as one (``ShardTerms``)."""

    def terms_with_prefix(self, field_name: str, prefix: str, filter_query: tantivy.Query | None = None,
                          limit: int | None = None) -> list[tuple[str, int]]: ...

    def search(self, query: tantivy.Query, limit: int = 10, count: bool = True) -> Any: ...

    def doc(self, address: Any, /) -> tantivy.Document: ...


class Suggester:
    def __init__(self, schema: tantivy.Schema, folding: tantivy.TextAnalyzer,
                 analyzer: tantivy.TextAnalyzer) -> None:
        self._schema = schema
        self._folding = folding  # the suggest field's analysis
        self._analyzer = analyzer  # the documents' analysis: what it drops is a stop word

    def suggest(self, searcher: Titles, text: str, limit: int = 8) -> list[str]:
        typed = [t.text for t in self._folding.pre_tokenize(text).tokens]
        if not typed or limit <= 0:
            return []
        complete_last = not text[-1:].isspace()  # "allocation " asks for the next word
        candidates: Counter[tuple[str, ...]] = Counter()
        shown: dict[tuple[str, ...], str] = {}
        if len(typed) > 1 or len(typed[0]) >= MIN_PREFIX:
            for title in self._titles(searcher, typed, complete_last):
                self._continuations(title, typed, complete_last, candidates, shown)
        if not candidates:
            return self._words(searcher, text, typed, limit)
        chosen = [words for words, _ in candidates.most_common(COUNTED)]
        pages = {words: self._pages(searcher, words) for words in chosen}
        ranked = sorted(chosen, key=lambda words: (-pages[words], len(words), shown[words]))
        return [shown[words] for words in ranked if pages[words] > 0][:limit]

    def _titles(self, searcher: Titles, typed: list[str], complete_last: bool) -> list[str]:
        """Titles holding what was typed, its last word completed by one of the frequent words it starts.

        tantivy's phrase-prefix query expands the last word to its first 50
        terms in alphabetical order ("permis de c" never reached "conduire"),
        so the expansion is done here, by frequency.
        """
        Q, Occur = tantivy.Query, tantivy.Occur
        lasts = [typed[-1]]
        if complete_last:
            found = searcher.terms_with_prefix(f.SUGGEST, typed[-1], limit=2000)
            lasts = [term for term, _ in sorted(found, key=lambda pair: -pair[1])[:EXPANSIONS]]
        if not lasts:
            return []
        head = typed[:-1]
        if head:
            options = [Q.phrase_query(self._schema, f.SUGGEST, list(enumerate([*head, last])))
                       for last in lasts]
        else:
            options = [Q.term_query(self._schema, f.SUGGEST, last) for last in lasts]
        query = options[0] if len(options) == 1 else Q.boolean_query([(Occur.Should, q) for q in options])
        hits = searcher.search(query, SAMPLE, count=False).hits
        return [str(searcher.doc(address).get_first(f.TITLE) or "") for _, address in hits]

    def _continuations(self, title: str, typed: list[str], complete_last: bool,
                       out: Counter[tuple[str, ...]], shown: dict[tuple[str, ...], str]) -> None:
        tokens = self._folding.pre_tokenize(title).tokens
        folded = [t.text for t in tokens]
        n = len(typed)
        for i in range(len(folded) - n + 1):
            head, last = folded[i:i + n - 1], folded[i + n - 1]
            if head != typed[:-1] or not (last.startswith(typed[-1]) if complete_last else last == typed[-1]):
                continue
            start = 0 if complete_last else 1
            for extra in range(start, MAX_EXTRA + 1):
                end = i + n + extra
                if end > len(folded) or (end - 1 > i
                                         and _punctuated(title, tokens[end - 2], tokens[end - 1])):
                    break  # a completion never runs past the end of the title or a ":", "(", ","...
                words = tuple(folded[i:end])
                if self._stop(words[-1]) or words == tuple(typed):
                    continue  # ends on a stop word, or adds nothing to what was typed
                out[words] += 1
                if words not in shown:
                    text = title[tokens[i].char_offset_from:tokens[end - 1].char_offset_to]
                    shown[words] = " ".join(text.lower().split())
            return

    def _stop(self, word: str) -> bool:
        """A word no completion ends on: a stop word of the analysis or of ``DANGLING``."""
        return word in DANGLING or not self._analyzer.pre_tokenize(word).tokens

    def _pages(self, searcher: Titles, words: tuple[str, ...]) -> int:
        query = (tantivy.Query.term_query(self._schema, f.SUGGEST, words[0]) if len(words) == 1
                 else tantivy.Query.phrase_query(self._schema, f.SUGGEST, list(enumerate(words))))
        return int(searcher.search(query, 1, count=True).count or 0)

    def _words(self, searcher: Titles, text: str, typed: list[str], limit: int) -> list[str]:
        """The most frequent title words starting with the last word typed (short prefixes)."""
        if text[-1:].isspace():
            return []
        head = text[: len(text) - len(text.split()[-1])]
        found = searcher.terms_with_prefix(f.SUGGEST, typed[-1], limit=200)
        out = []
        for term, _ in sorted(found, key=lambda pair: -pair[1]):
            if term != typed[-1] and not self._stop(term):
                out.append(f"{head}{term}")
            if len(out) >= limit:
                break
        return out


def _punctuated(title: str, before: tantivy.Token, after: tantivy.Token) -> bool:
    """Whether something other than spaces and apostrophes separates two words of ``title``."""
    between = title[before.char_offset_to:after.char_offset_from]
    return bool(between.strip(" '’"))
