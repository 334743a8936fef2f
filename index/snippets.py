"""Snippet HTML: escaped text with ``<mark>`` around the matched terms, safe to insert in a page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

import tantivy

#: tantivy tokenizes and stems the whole text it is given to find the best fragment (about 45 us
#: per KB: 10 ms for the corpus's longest page); longer bodies are cut to a window of this size
#: around the first match
EXCERPT_CHARS = 10_000


#: the accented letters the analyser folds to each ASCII letter (a stem matches them too)
_ACCENTED = {"a": "àâäá", "c": "ç", "e": "éèêë", "i": "îïí", "o": "ôöó", "u": "ùûüú", "y": "ÿ"}


def _stem_pattern(stem: str) -> str:
    return "".join(f"[{c}{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in stem)


#: what a reader never wants in a snippet: lists of reference codes ("Voir aussi N19806 F488 ..."),
#: dates glued into the text ("Publié le 2019-05-02"), identifiers (hex digests, LEGIARTI000006901088)
_CODE = r"(?:[A-Z]{1,3}\d{2,}(?:-\d+)*|[A-Z]{4,}\d{6,}|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}" \
        r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_JUNK = re.compile(
    # "Voir aussi" and codes, or a run of three codes or more ("L1234-5, L1234-6" is a legal citation)
    r"(?:\bVoir (?:aussi|également)\s*:?\s*" + _CODE + r"(?:[\s,;]+" + _CODE + r")*"
    r"|(?<![\w-])" + _CODE + r"(?:[\s,;]+" + _CODE + r"){2,})(?![\w-])"
    r"|(?<![\w-])(?:[A-Z]{4,}\d{6,}|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])"  # a lone identifier
    r"|(?:\b(?:Publié|Mis à jour|Modifié|Vérifié|Date de publication)\s*(?:le|:)?\s*)?"
    r"\d{4}-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\w-])"
    r"|^\s*(?:Voir (?:aussi|également)|Accueil|Menu|Rechercher|Plan du site|Aller au contenu|Haut de page"
    r"|Imprimer|Partager|Retour|Mentions légales|Accessibilité\s*:.*|Accepter|Refuser"
    r"|Ce site utilise des cookies.*)\s*:?\s*$",  # navigation lines
    re.MULTILINE,
)


def has_junk(text: str) -> bool:
    return _JUNK.search(text) is not None


def clean(text: str) -> str:
    """``text`` without reference-code lists, ISO dates, identifiers and navigation lines."""
    return _JUNK.sub(" ", text)


def render(snippet: tantivy.Snippet, fallback: Callable[[], str], max_chars: int) -> str:
    """tantivy's best fragment with ``<mark>``; when the body has no match, the start of ``fallback()``.

    tantivy gives highlight ranges as UTF-8 byte offsets into the fragment;
    each piece is escaped on its own and whitespace is flattened to one line.
    """
    ranges = sorted((r.start, r.end) for r in snippet.highlighted())
    if not ranges:
        return _escape(shorten(clean(fallback()), max_chars))
    raw = snippet.fragment().encode("utf-8")
    parts: list[str] = []
    cursor = 0
    for start, end in ranges:
        if start < cursor:
            continue
        parts.append(_escape(raw[cursor:start].decode("utf-8", "replace")))
        parts.append(f"<mark>{_escape(raw[start:end].decode('utf-8', 'replace'))}</mark>")
        cursor = end
    parts.append(_escape(raw[cursor:].decode("utf-8", "replace")))
    return " ".join("".join(parts).split())


def excerpt(body: str, stems: Iterable[str], max_chars: int = EXCERPT_CHARS) -> str:
    """``body``, or for a long one the ``max_chars`` around the first analysed query term it holds.

    The terms are the analyser's (lowercase, unaccented, stemmed: ``salar``
    for "salariés"), so each is searched as the start of a word, in any case,
    each vowel with or without its accents. No term found (a ligature, a stem
    that is not a prefix of the word: "chevaux" is ``cheval``): the whole body,
    slower but with the match tantivy will find in it.
    """
    if len(body) <= max_chars:
        return body
    patterns = sorted({_stem_pattern(stem) for stem in stems if stem}, key=len, reverse=True)
    first = re.search(rf"(?<!\w)(?:{'|'.join(patterns)})", body, re.IGNORECASE) if patterns else None
    if first is None:
        return body
    start = max(0, first.start() - max_chars // 4)
    if start:
        space = body.rfind(" ", max(0, start - 100), start)
        start = space + 1 if space >= 0 else start
    return body[start:start + max_chars]


def shorten(text: str, max_chars: int) -> str:
    """``text`` on one line, cut at a word boundary within ``max_chars``, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    cut = flat[:max_chars].rsplit(" ", 1)[0]
    return f"{cut}…"


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
