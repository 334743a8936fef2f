"""Alternative phrasings of a query, from a French list of synonyms and acronyms.

An agent types ``appareils auditifs`` where the page says ``prothèses
auditives``, ``RSA`` where it says ``revenu de solidarité active``.  The
list (``index/data/synonymes.txt``) holds groups of phrasings that mean the
same thing in the public-service vocabulary, one group a line::

    appareils auditifs | prothèses auditives | aides auditives | sonotone

:func:`expand_query` finds every phrasing of a group in the query and gives
the query again with that span replaced by each other phrasing of the group
(the original query is not included)::

    >>> expand_query("remboursement sonotone")[:2]
    ['remboursement prothèses auditives', 'remboursement appareils auditifs']

Numbers below 100 are also given in words (``11 heures`` -> ``onze
heures``), the way legal texts write them.

Matching ignores case and accents, the final ``s``/``x`` of plurals, and
small function words (``de``, ``la``, ``l'``...), so ``Carte grises`` matches
``carte grise`` and ``certificat immatriculation`` matches ``certificat
d'immatriculation``.  Longer phrasings win over shorter ones inside them.
The searcher weighs the alternatives below the original query
(``SearchTuning.synonym_weight``); this module only rewrites text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("data") / "synonymes.txt"

#: words skipped when matching (elided articles split off by the tokenizer included)
FUNCTION_WORDS = frozenset("a au aux d de des du en et l la le les pour par sur un une".split())
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Phrasing:
    group: int
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SynonymTable:
    """The compiled list: every group's phrasings, and an index by first key word."""

    groups: tuple[tuple[str, ...], ...]
    #: the matching keys of every phrasing, parallel to ``groups``
    group_keys: tuple[tuple[tuple[str, ...], ...], ...]
    by_first_key: dict[str, tuple[_Phrasing, ...]]


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The form words are compared in: folded, lowercased, without a plural ending."""
    folded = unicodedata.normalize("NFKD", word.casefold().replace("œ", "oe").replace("æ", "ae"))
    key = "".join(c for c in folded if not unicodedata.combining(c))
    if len(key) > 3 and key[-1] in "sx" and key[-2] not in "sx":
        key = key[:-1]
    return key


def _keyed_words(text: str) -> list[tuple[str, int, int]]:
    """``(key, start, end)`` of every word of ``text`` that matching looks at."""
    return [
        (key, m.start(), m.end())
        for m in _WORD.finditer(text)
        if (key := word_key(m.group())) not in FUNCTION_WORDS
    ]


def parse_table(text: str) -> SynonymTable:
    """Compile the synonym list format (groups separated by ``|``, ``#`` comments)."""
    groups: list[tuple[str, ...]] = []
    group_keys: list[tuple[tuple[str, ...], ...]] = []
    index: dict[str, list[_Phrasing]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        phrasings = tuple(p.strip() for p in line.split("|") if p.strip())
        if len(phrasings) < 2:
            continue
        group = len(groups)
        groups.append(phrasings)
        group_keys.append(tuple(_keys(phrasing) for phrasing in phrasings))
        for keys in group_keys[-1]:
            if keys:
                index.setdefault(keys[0], []).append(_Phrasing(group, keys))
    return SynonymTable(tuple(groups), tuple(group_keys), {k: tuple(v) for k, v in index.items()})


@lru_cache(maxsize=1)
def default_table() -> SynonymTable:
    """The list shipped in ``index/data/synonymes.txt``, read once."""
    return parse_table(SYNONYMS_FILE.read_text(encoding="utf-8"))


def _matches(words: list[tuple[str, int, int]], table: SynonymTable) -> list[tuple[int, int, _Phrasing]]:
    """Non-overlapping ``(first, last, phrasing)`` word spans, longest first then leftmost."""
    keys = [key for key, _, _ in words]
    found = []
    for start, key in enumerate(keys):
        for phrasing in table.by_first_key.get(key, ()):
            end = start + len(phrasing.keys)
            if tuple(keys[start:end]) == phrasing.keys:
                found.append((start, end - 1, phrasing))
    found.sort(key=lambda m: (m[0] - m[1], m[0]))
    taken: set[int] = set()
    chosen = []
    for first, last, phrasing in found:
        span = set(range(first, last + 1))
        if not span & taken:
            taken |= span
            chosen.append((first, last, phrasing))
    return sorted(chosen, key=lambda m: m[0])


def expand_with(text: str, table: SynonymTable) -> list[str]:
    """:func:`expand_query` against an explicit table (handy in tests)."""
    words = _keyed_words(text)
    keys = tuple(key for key, _, _ in words)
    # (candidate, its keys): a candidate's keys are composed, not re-analysed, which keeps this fast
    per_match: list[list[tuple[str, tuple[str, ...]]]] = []
    if (spelled := spelled_numbers(text)) != text:
        per_match.append([(spelled, _keys(spelled))])
    for first, last, phrasing in _matches(words, table):
        start, end = words[first][1], words[last][2]
        before, after = keys[:first], keys[last + 1:]
        per_match.append([
            (f"{text[:start]}{other}{text[end:]}".strip(), before + other_keys + after)
            for other, other_keys in zip(table.groups[phrasing.group], table.group_keys[phrasing.group],
                                         strict=True)
        ])
    # interleaved, so that a cap on alternatives keeps some of every matched phrase
    alternatives: list[str] = []
    seen = {keys}
    for candidates in zip_longest(*per_match):
        for candidate in candidates:
            if candidate is not None and candidate[1] not in seen:
                seen.add(candidate[1])
                alternatives.append(candidate[0])
    return alternatives


_UNITS = (
    "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf"
).split()
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
_NUMBER = re.compile(r"(?<![\w,.-])\d{1,2}(?!\w|[,.-]\d)")


def spell_number(n: int) -> str:
    """French spelling of 0 to 99, as the Code du travail writes them (``48`` -> ``quarante-huit``)."""
    if n < 20:
        return _UNITS[n]
    if n < 70:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + ("" if unit == 0 else " et un" if unit == 1 else f"-{_UNITS[unit]}")
    if n < 80:
        return "soixante et onze" if n == 71 else f"soixante-{_UNITS[n - 60]}"
    return "quatre-vingts" if n == 80 else f"quatre-vingt-{_UNITS[n - 80]}"


def spelled_numbers(text: str) -> str:
    """``text`` with its numbers below 100 in words (legal texts write ``onze heures``)."""
    return _NUMBER.sub(lambda m: spell_number(int(m.group())), text)


#: a number that is not a percentage: the Code du travail writes ``onze heures`` but ``25 %``
_COUNT = re.compile(_NUMBER.pattern + r"(?!\s*%)")


def with_spelled_numbers(text: str) -> str:
    """``text`` with each number below 100 (not a percentage) followed by its spelling.

    ``11 heures`` -> ``11 onze heures``: the digits for pages that write
    digits, the words for the legal texts, which write numbers out.
    """
    return _COUNT.sub(lambda m: f"{m.group()} {spell_number(int(m.group()))}", text)


def _keys(text: str) -> tuple[str, ...]:
    return tuple(key for key, _, _ in _keyed_words(text))


def expand_query(text: str) -> list[str]:
    """Alternative phrasings of ``text`` (never ``text`` itself), most specific match first."""
    return list(_expand_cached(text))


@lru_cache(maxsize=4096)
def _expand_cached(text: str) -> tuple[str, ...]:
    return tuple(expand_with(text, default_table()))
