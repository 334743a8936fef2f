"""Typo correction: a query word the index does not know (or barely knows) becomes its nearest frequent word.

The candidates are the index's own words: tantivy's term dictionary of the
``suggest`` field (the titles' words, lowercase and unaccented but not
stemmed, so a correction is a word an agent can read), listed under the
word's first letter (an agent rarely gets the first letter wrong) with
``terms_with_prefix``.  The nearest of them by Damerau-Levenshtein distance
(a swap of two letters counts 1; at most 1 for words of up to 7 letters, 2
beyond) wins, the most frequent in the pages among equals.

A word is corrected only when no title has it as typed, its analysed form
is in at most ``max_doc_freq`` pages (``licenciment`` stems like
``licence``) and the correction is in ``min_ratio`` times as many: a rare
but real word ("saturnisme") that has no much more frequent neighbour is
left alone.  The replaced word is not searched: its stem is often another
word's (``licenciment`` and ``licence`` give ``licenc``), which put
"Licence sportive" first for "licenciment economiqe".  tantivy's ``FuzzyTermQuery`` would match the same
neighbours, but scores every one of them alike (no IDF, no field weights),
which ranked worse than searching the corrected word with the full BM25F
query; the correction is also what the page shows ("Résultats pour ...").
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

import tantivy
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extract

from index import schema as f
from index.analysis import accent_pattern, fold

#: words shorter than this are never corrected (too many near neighbours)
MIN_CHARS = 5
#: a word whose stem some pages hold is replaced only by a title word one letter away in this many
#: times as many pages (its absence from every title is the evidence: 10 missed "licenciment",
#: 1 corrected real words of the copied phrases: MRR@10 0.943 -> 0.870 on them)
KNOWN_RATIO = 2.0
#: ... and only if it has this many letters (shorter real words of the pages were "corrected")
KNOWN_MIN_CHARS = 9
#: the most candidate terms read under one first letter
MAX_CANDIDATES = 20_000
#: (field, first letter) lists of candidates kept per searcher: reading 20,000 terms costs about
#: 20 ms over 1M pages, for every unknown word of a query
CACHED_LISTS = 16


@dataclass(frozen=True, slots=True)
class Correction:
    """The query with its unknown words replaced, and what was replaced by what."""

    text: str
    replaced: tuple[tuple[str, str], ...]

    def shown(self, query: str) -> str:
        """``query`` as the agent typed it, with each replaced word changed where it was typed."""
        for original, better in self.replaced:
            query = re.sub(rf"(?<!\w){re.escape(original)}(?!\w)", better, query, count=1)
        return query


class Corrector:
    def __init__(self, schema: tantivy.Schema, analyzer: tantivy.TextAnalyzer,
                 folding: tantivy.TextAnalyzer, *, max_doc_freq: int = 2, min_ratio: float = 3.0) -> None:
        self._schema = schema
        self._analyzer = analyzer  # the documents' analysis: is the word known?
        self._folding = folding  # the suggest field's analysis: words and their offsets
        self._max_doc_freq = max_doc_freq
        self._min_ratio = min_ratio
        self._lock = threading.Lock()
        self._cached_for: tantivy.Searcher | None = None  # the commit the lists were read from
        self._cached: OrderedDict[tuple[str, str], list[str]] = OrderedDict()

    def correct(self, searcher: tantivy.Searcher, text: str) -> Correction | None:
        """``text`` with each unknown or very rare word replaced; ``None`` when nothing changes."""
        out, cursor, replaced = [], 0, []
        for token in self._folding.pre_tokenize(text).tokens:
            word = token.text
            if len(word) < MIN_CHARS or not word.isalpha():
                continue
            found = self._nearest(searcher, word)
            if found is None:
                continue
            original = text[token.char_offset_from:token.char_offset_to]
            out.append(text[cursor:token.char_offset_from])
            out.append(found)
            cursor = token.char_offset_to
            replaced.append((original, found))
        if not replaced:
            return None
        out.append(text[cursor:])
        return Correction("".join(out), tuple(replaced))

    def _frequency(self, searcher: tantivy.Searcher, word: str) -> int | None:
        """Pages whose title or body hold ``word`` as analysed (``None``: a stop word)."""
        stems = [t.text for t in self._analyzer.pre_tokenize(word).tokens]
        if not stems:
            return None
        return max(searcher.doc_freq(f.BODY, stems[0]), searcher.doc_freq(f.TITLE, stems[0]))

    def _nearest(self, searcher: tantivy.Searcher, word: str) -> str | None:
        """The correction of ``word`` (``None``: leave it)."""
        known = self._frequency(searcher, word)
        if known is None or searcher.doc_freq(f.SUGGEST, word):
            return None  # a stop word, or a word of some title: left as typed
        limit = 1 if len(word) <= 7 else 2
        if known > self._max_doc_freq:
            if len(word) < KNOWN_MIN_CHARS:
                return None
            # its stem is another word's ("licenciment" and "licence": "licenc"): only a title word
            # one letter away, in KNOWN_RATIO times as many pages, replaces it
            ratio = KNOWN_RATIO * known / self._min_ratio
            return self._best(searcher, word, f.SUGGEST, 1, int(ratio))
        best = self._best(searcher, word, f.SUGGEST, limit, known)
        if best is not None:
            return best
        # no title has a near word: the body's words, which are stems ("remboursmeent" -> "rembours"),
        # shown as the first word of a page holding the stem
        stems = [t.text for t in self._analyzer.pre_tokenize(word).tokens]
        stem = self._best(searcher, stems[0], f.BODY, limit, known) if stems else None
        return self._surface(searcher, stem) if stem else None

    def _best(self, searcher: tantivy.Searcher, word: str, field: str, limit: int, known: int) -> str | None:
        """The nearest term of ``field`` to ``word``, most frequent among equals, frequent enough."""
        terms = self._candidates(searcher, field, word[0])
        near = extract(word, [t for t in terms if abs(len(t) - len(word)) <= limit],
                       scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=50)
        best: tuple[int, int, str] | None = None
        for term, distance, _ in near:
            if term == word:
                continue
            if field == f.SUGGEST:
                pages = self._frequency(searcher, term) or 0
            else:
                pages = searcher.doc_freq(field, term)
            if pages < self._min_ratio * max(known, 1):
                continue
            key = (-int(distance), pages, term)
            if best is None or key > best:
                best = key
        return best[2] if best else None

    def _candidates(self, searcher: tantivy.Searcher, field: str, letter: str) -> list[str]:
        """The first ``MAX_CANDIDATES`` terms of ``field`` starting with ``letter`` (kept per searcher)."""
        key = (field, letter)
        with self._lock:
            if self._cached_for is not searcher:
                self._cached_for, self._cached = searcher, OrderedDict()
            terms = self._cached.get(key)
            if terms is not None:
                self._cached.move_to_end(key)
                return terms
        terms = [term for term, _ in searcher.terms_with_prefix(field, letter, limit=MAX_CANDIDATES)]
        with self._lock:
            if self._cached_for is searcher:
                self._cached[key] = terms
                while len(self._cached) > CACHED_LISTS:
                    self._cached.popitem(last=False)
        return terms

    def _surface(self, searcher: tantivy.Searcher, stem: str) -> str | None:
        """A word of a page's body whose analysed form is ``stem`` (folded, lowercase)."""
        hits = searcher.search(tantivy.Query.term_query(self._schema, f.BODY, stem), 3).hits
        for _, address in hits:
            body = str(searcher.doc(address).get_first(f.BODY) or "")
            for match in re.finditer(rf"(?<!\w){accent_pattern(stem)}\w*", body, re.IGNORECASE):
                candidate = fold(match.group())
                if [t.text for t in self._analyzer.pre_tokenize(candidate).tokens] == [stem]:
                    return candidate
        return None
