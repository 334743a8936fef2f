"""Read what an agent types into a structured query; never raises.

Syntax (everything else is plain words)::

    allocations familiales          words: every word helps, more words rank higher
    "congé parental"                a phrase that must appear (typographic “ ” « » too)
    -stage  -"période d'essai"      exclusion
    +cdd                            a word that must appear
    site:paris.fr                   only that host and its subdomains (www. ignored)
    categorie:commune               only that category (also catégorie:, category:)

An unclosed quote runs to the end of the text; an operator with no value
(``site:``) is dropped; unknown ``field:value`` pairs are plain words.  The
query is never handed to tantivy's strict parser, so no user input can make
it fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.analysis import fold
from sources.urls import host_of

SITE_KEYS = frozenset({"site"})
CATEGORY_KEYS = frozenset({"categorie", "category", "cat"})

_QUOTES = str.maketrans({"“": '"', "”": '"', "«": '"', "»": '"', "„": '"'})
_TOKEN = re.compile(
    r"""(?P<sign>[-+]?)
        (?: (?P<key>[^\s:"]+):(?=\S) )?
        (?: "(?P<phrase>[^"]*)"? | (?P<word>[^\s"]+) )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The parts of a query: free words, +required words, "phrases", -excluded, filters."""

    words: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def has_terms(self) -> bool:
        return bool(self.words or self.required or self.phrases)


def parse(query: str) -> ParsedQuery:
    words: list[str] = []
    required: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    sites: list[str] = []
    categories: list[str] = []
    for match in _TOKEN.finditer(query.translate(_QUOTES)):
        sign, key, phrase, word = match.group("sign", "key", "phrase", "word")
        value = (phrase if phrase is not None else word or "").strip()
        if key is not None:
            folded_key = fold(key)
            if folded_key in SITE_KEYS:
                site = normalize_site(value)
                if site:
                    sites.append(site)
                continue
            if folded_key in CATEGORY_KEYS:
                if value:
                    categories.append(fold(value).replace(" ", "-"))
                continue
            value = f"{key} {value}"  # unknown field: its name is a word too
        if not value or (value.endswith(":") and fold(value[:-1]) in SITE_KEYS | CATEGORY_KEYS):
            continue  # empty, or an operator with no value ("site:")
        if sign == "-":
            excluded.append(value)
        elif phrase is not None:
            phrases.append(value)
        elif sign == "+":
            required.append(value)
        else:
            words.append(value)
    return ParsedQuery(tuple(words), tuple(required), tuple(phrases), tuple(excluded),
                       tuple(sites), tuple(categories))


def normalize_site(value: str) -> str:
    """``https://www.Paris.fr/x`` -> ``paris.fr``: the host a ``site:`` filter means."""
    # sources.urls reads it as a browser would; a bare label (``site:fr``) is kept as written
    host = host_of(value.strip()) or value.strip().lower().strip(".")
    return host.removeprefix("www.")
