"""Search of the Annuaire's offices: a query read as type words, codes and place words, then ranked.

"mairie de billiers", "56190 mairie", "gendarmerie sainte anne", "cio toulouse": the query is
split into the office types it names (:data:`sources.annuaire.types.SYNONYMS`, longest phrase
first), postcodes and INSEE codes, and the remaining words (a commune, a department, a name).
A tantivy second index (:class:`index.office_index.OfficeIndex`, or the store's own FTS5 table
when that index is missing) finds candidates; they are ranked
here by what an agent means: the type asked for, the commune named exactly, every word of the
query found in the office.  :func:`names_office` says when a web query names one office (the
search page then shows its card).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from sources.annuaire.departments import DEPARTMENTS
from sources.annuaire.model import Office
from sources.annuaire.text import normalize, words
from sources.annuaire.types import SYNONYMS, label

STOPWORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "en", "et",
                       "horaires", "horaire", "ouverture", "adresse", "telephone", "tel", "contact",
                       "mail", "email", "courriel", "site", "accueil", "numero"})
_CODE = re.compile(r"^(\d{5}|2[ab]\d{3})$")
_MAX_PHRASE = 4
CANDIDATES = 400


class Candidates(Protocol):
    """Where candidates come from: the tantivy index, or the store's FTS5 table."""

    def match(self, expression: str, limit: int) -> list[tuple[int, float]]: ...

    def by_rowids(self, rowids: Iterable[int]) -> dict[int, Office]: ...


@dataclass(slots=True)
class ParsedQuery:
    types: set[str] = field(default_factory=set)
    codes: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    #: every meaningful word, as the user typed it (normalised)
    terms: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.types or self.codes or self.place)


def parse(query: str) -> ParsedQuery:
    tokens = words(query)
    parsed = ParsedQuery()
    i = 0
    while i < len(tokens):
        for size in range(min(_MAX_PHRASE, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i:i + size])
            if phrase in SYNONYMS:
                parsed.types.update(SYNONYMS[phrase])
                parsed.terms.extend(tokens[i:i + size])
                i += size
                break
        else:
            token = tokens[i]
            if _CODE.match(token):
                parsed.codes.append(token.upper())
            elif token not in STOPWORDS:
                parsed.place.append(token)
            i += 1
    return parsed


@dataclass(frozen=True, slots=True)
class Scored:
    office: Office
    score: float
    #: every word of the query is found in the office (its type, codes, commune, name, department)
    covered: bool


def _expressions(parsed: ParsedQuery) -> list[str]:
    """FTS5 expressions, narrowest first: every word and a type asked for, every word, any word."""
    place = [f'"{w}"' for w in parsed.place]
    codes = [f'codes : "{c.lower()}"' for c in parsed.codes]
    kinds = [f'kind : "{t}"' for t in sorted(parsed.types)]
    found = []
    if (place or codes) and kinds:
        found.append(" AND ".join([*place, *codes, "(" + " OR ".join(kinds) + ")"]))
    if place or codes:
        found.append(" AND ".join(place + codes))
    found.append(" OR ".join(place + codes + kinds))
    return found


def _key(text: str) -> str:
    return " ".join(w for w in words(text) if w not in STOPWORDS)


def score(office: Office, parsed: ParsedQuery, bm25: float) -> Scored:
    commune = _key(office.commune)
    commune_words = normalize(office.commune).split()
    name_words = set(normalize(office.name).split())
    dept = _key(DEPARTMENTS.get(office.department, ""))
    place = " ".join(parsed.place)
    value = -bm25 * 0.05
    if parsed.types:
        value += 4.0 if parsed.types & set(office.types) | ({office.type} & parsed.types) else -2.0
    elif office.type == "mairie":
        value += 1.0  # a commune's name alone most often means its mairie
    if place:
        if commune == place:
            value += 4.0
        elif all(w in commune_words for w in parsed.place):
            value += 1.5
        if place == dept:
            value += 2.0
        found = sum(w in name_words or w in commune_words for w in parsed.place)
        value += 2.0 * found / len(parsed.place)
    for code in parsed.codes:
        if code in (office.postcode, office.insee):
            value += 3.0
    if office.id.endswith("-01"):
        value += 0.1
    kinds = set(office.types) | {office.type}
    kind_words = set(normalize(" ".join(label(k) for k in kinds)).split()) | kinds
    vocabulary = name_words | set(commune_words) | set(dept.split()) | kind_words
    covered = (all(w in vocabulary for w in parsed.place)
               and all(c in (office.postcode, office.insee) for c in parsed.codes)
               and (not parsed.types or bool(parsed.types & kinds)))
    return Scored(office, value, covered)


def search(store: Candidates, query: str, *, kind: str | None = None, commune: str | None = None,
           limit: int = 10) -> list[Scored]:
    """The offices of ``store`` for ``query``, best first (``kind``/``commune`` filter them)."""
    parsed = parse(query)
    if commune:
        parsed.place.extend(w for w in words(commune) if w not in parsed.place)
    if kind:
        parsed.types.add(kind)
    if parsed.empty:
        return []
    candidates: list[tuple[int, float]] = []
    for expression in _expressions(parsed):
        candidates = store.match(expression, CANDIDATES)
        if candidates:
            break
    offices = store.by_rowids(r for r, _ in candidates)
    ranked = [score(offices[r], parsed, bm25) for r, bm25 in candidates if r in offices]
    if kind:
        ranked = [s for s in ranked if kind == s.office.type or kind in s.office.types]
    if commune:
        key = _key(commune)
        ranked = [s for s in ranked if _key(s.office.commune) == key]
    ranked.sort(key=lambda s: (-s.score, s.office.name, s.office.id))
    return ranked[:limit]


def names_office(store: Candidates, query: str) -> Office | None:
    """The office a web query names, if one stands out: every word of the query is found in it,
    and it carries the asked type (or, asked by place alone, it is that commune's mairie)."""
    parsed = parse(query)
    if not parsed.place and not parsed.codes:
        return None
    found = search(store, query, limit=2)
    if not found or not found[0].covered:
        return None
    best = found[0]
    if not parsed.types and best.office.type != "mairie":
        return None
    if not parsed.types and _key(best.office.commune) != " ".join(parsed.place):
        return None
    return best.office
