"""What a candidate page's address and title say of it: the re-ranker's page features.

The re-ranker's other features come from postings (:mod:`index.features`);
these need the page's stored ``url`` and ``title``, read for the candidates
only (30 stored documents: about 0.4 ms on the 19,256-page corpus, the
documents of the first 10 are read again for the results from tantivy's
block cache).

* ``url_words``: the share of the query's words found in the URL's path
  (``travail-emploi.gouv.fr/les-plans-depargne-salariale`` for "PEE plan
  épargne salariale"), a stem matching inside a path word too, since elided
  articles are glued to the word in addresses (``depargne``);
* ``title_cover``: the share of the title's words the query (or one of its
  synonym alternatives) holds: "Carte grise" is all query for "carte grise
  prix", "Carte grise d'un véhicule d'occasion : changement de titulaire"
  is not;
* ``title_terms``: how many words the title has;
* ``hub_page``, ``tool_url``: the address is one of a portal's pages of links
  (a service-public.fr dossier, ``/vosdroits/N...``) or of its tools (forms,
  online services, models, ``/vosdroits/R...``): patterns of
  ``SearchTuning`` (data, like its legal sites), the model learns how much
  they count;
* ``question_title``: the title is a question (a question-answer page);
* ``path_depth``: how many segments the URL's path has.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import tantivy

from index import schema as f
from index.querybuild import QueryBuilder
from index.tuning import SearchTuning

PAGE_FEATURES: tuple[str, ...] = (
    "url_words", "title_cover", "title_terms", "hub_page", "tool_url", "question_title", "path_depth",
)
#: a query word shorter than this must equal a path word (``pe`` is in too many words)
_INSIDE = 4
_NON_WORD = re.compile(r"[^a-z0-9]+")


class PageFeatures:
    """The :data:`PAGE_FEATURES` row of a stored document, for a query's analysed words."""

    def __init__(self, builder: QueryBuilder, tuning: SearchTuning) -> None:
        self._builder = builder
        self._hub = _any(tuning.hub_url_patterns)
        self._tool = _any(tuning.tool_url_patterns)

    def row(self, doc: tantivy.Document, words: set[str], alternatives: set[str]) -> list[float]:
        url = str(doc.get_first(f.URL) or "")
        title = str(doc.get_first(f.TITLE) or "")
        path = urlsplit(url).path
        segments = [s for s in path.split("/") if s]
        path_words = {token for _, token in self._builder.terms(" ".join(_NON_WORD.split(_fold(path))))}
        in_path = sum(1 for word in words if word in path_words
                      or (len(word) >= _INSIDE and any(word in token for token in path_words)))
        title_words = {token for _, token in self._builder.terms(title)}
        covered = len(title_words & (words | alternatives))
        return [
            in_path / max(1, len(words)),
            covered / max(1, len(title_words)),
            float(len(title_words)),
            float(bool(self._hub and self._hub.search(url))),
            float(bool(self._tool and self._tool.search(url))),
            float(title.rstrip().endswith("?")),
            float(len(segments)),
        ]


def _fold(text: str) -> str:
    """Lowercase, accents dropped (the analyzer folds them too)."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")


def _any(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None
