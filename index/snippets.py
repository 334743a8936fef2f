"""Snippet HTML: escaped text with ``<mark>`` around the matched terms, safe to insert in a page."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping

import tantivy

from index.analysis import fold_bytes

#: tantivy tokenizes and stems the whole text it is given to find the best fragment (about 45 us
#: per KB: 10 ms for the corpus's longest page); longer bodies are cut to a window of this size
#: around the first match
EXCERPT_CHARS = 10_000
#: ... and bodies longer than this are first cut to the passage where the query's terms are densest
#: (:func:`passage`): the corpus's bodies average 5,500 characters, half a millisecond each
PASSAGE_MIN_CHARS = 1_000
#: the most occurrences of one term :func:`passage` weighs in a body, the first ones (rare terms weigh
#: most and are all counted): 400 -> 64 took it from 88 to 74 us a long body, with as many snippets
#: as good (24: 61 us, but twice as many snippets marking less weight than tantivy's own choice)
PASSAGE_MAX_MATCHES = 64


#: the accented letters the analyser folds to each ASCII letter (a stem matches them too)
_ACCENTED = {"a": "àâäá", "c": "ç", "e": "éèêë", "i": "îïí", "o": "ôöó", "u": "ùûüú", "y": "ÿ"}


def _stem_pattern(stem: str) -> str:
    return "".join(f"[{c}{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in stem)


#: what a reader never wants in a snippet: lists of reference codes ("Voir aussi N19806 F488 ..."),
#: dates glued into the text ("Publié le 2019-05-02"), identifiers (hex digests, LEGIARTI000006901088)
_CODE = r"(?:[A-Z]{1,3}\d{2,}(?:-\d+)*|[A-Z]{4,}\d{6,}|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}" \
        r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_NAVIGATION = (
    r"^\s*(?:Voir (?:aussi|également)|Accueil|Menu|Rechercher|Plan du site|Aller au contenu|Haut de page"
    r"|Imprimer|Partager|Retour|Mentions légales|Accessibilité\s*:.*|Accepter|Refuser"
    r"|Ce site utilise des cookies.*)\s*:?\s*$"  # navigation lines
)
_JUNK = re.compile(
    # "Voir aussi" and codes, or a run of three codes or more ("L1234-5, L1234-6" is a legal citation)
    r"(?:\bVoir (?:aussi|également)\s*:?\s*" + _CODE + r"(?:[\s,;]+" + _CODE + r")*"
    r"|(?<![\w-])" + _CODE + r"(?:[\s,;]+" + _CODE + r"){2,})(?![\w-])"
    r"|(?<![\w-])(?:[A-Z]{4,}\d{6,}|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])"  # a lone identifier
    r"|(?:\b(?:Publié|Mis à jour|Modifié|Vérifié|Date de publication)\s*(?:le|:)?\s*)?"
    r"\d{4}-[01]\d-[0-3]\d(?:[T ][0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\w-])"
    r"|" + _NAVIGATION,
    re.MULTILINE,
)
#: every code, identifier and date above holds a digit or a dash: a text without either can only hold
#: navigation lines, found by that part alone (the whole expression costs ~45 us per fragment)
_CODE_SIGN = re.compile(r"[\d-]")
_NAVIGATION_ONLY = re.compile(_NAVIGATION, re.MULTILINE)
#: ... and a navigation line begins with one of these words (a literal search, much faster)
_NAVIGATION_WORD = re.compile(r"Voir|Accueil|Menu|Rechercher|Plan|Aller|Haut|Imprimer|Partager|Retour"
                              r"|Mentions|Accessibilité|Accepter|Refuser|Ce site")


def _junk(text: str) -> re.Pattern[str] | None:
    """The expression that finds ``text``'s junk, ``None`` when it has none (the same answers as _JUNK)."""
    if _CODE_SIGN.search(text):
        return _JUNK
    return _NAVIGATION_ONLY if _NAVIGATION_WORD.search(text) else None


def has_junk(text: str) -> bool:
    junk = _junk(text)
    return junk is not None and junk.search(text) is not None


def clean(text: str) -> str:
    """``text`` without reference-code lists, ISO dates, identifiers and navigation lines."""
    junk = _junk(text)
    return text if junk is None else junk.sub(" ", text)


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


def passage(body: str, weights: Mapping[str, float], max_chars: int,
            analysed: Callable[[str], str | None]) -> str | None:
    """The part of a long ``body`` where tantivy's best fragment of ``max_chars`` is, or ``None``.

    tantivy scores each fragment by the sum of its terms' occurrences, each
    weighing ``1 / (1 + doc_freq)`` (``weights``: analysed term -> weight),
    but stems the whole text to find them.  Here the words starting with a
    term are found in the lowercased, unaccented body (as :func:`excerpt`
    does, without regular expressions), only those ``analysed`` gives that
    term kept (``imposés`` is ``impos``, ``imposition`` is not), the
    ``max_chars`` stretch of highest weight chosen and the text cut to begin
    just before it: its first fragment is that stretch, as good as any
    fragment of the whole text, and tantivy analyses about two fragments.
    ``None`` (use the whole body) for a short body or when no term is found;
    a term the analyser reaches from another form ("chevaux": ``cheval``) is
    missed here, so a passage where tantivy marks nothing must be given up by
    the caller.  ``analysed`` is called for each word found: cache it.
    """
    if len(body) <= PASSAGE_MIN_CHARS or not weights:
        return None
    folded = fold_bytes(body)  # one byte a character: the same offsets as the body's
    found: list[tuple[int, int, float]] = []
    for term, weight in sorted(weights.items(), key=lambda pair: -pair[1]):  # rare terms first
        needle = term.encode("ascii", "ignore")
        at, count = (folded.find(needle), 0) if needle else (-1, 0)
        while at >= 0 and count < PASSAGE_MAX_MATCHES:
            if at == 0 or folded[at - 1] not in _ALNUM:
                word = _WORD.match(folded, at)
                end = word.end() if word else at + len(needle)
                if analysed(body[at:end]) == term:
                    found.append((at, end, weight))
                    count += 1
            at = folded.find(needle, at + 1)
    if not found:
        return None
    found.sort()
    # tantivy's text is " " + body and its fragments are counted in UTF-8 bytes: the first one ends at
    # most max_chars - 1 bytes into the body.  The stretch is chosen in characters (French text is about
    # 3% accented letters, two bytes each), then shortened until its bytes fit
    span = max_chars - 1
    chars = span * 96 // 100
    best, best_at, last, total, j = -1.0, 0, 0, 0.0, 0
    for i, (start, _, _) in enumerate(found):
        while j < len(found) and found[j][1] - start <= chars:
            total += found[j][2]
            j += 1
        if total > best:
            best, best_at, last = total, i, max(i, j - 1)
        total -= found[i][2] if j > i else 0.0
        j = max(j, i + 1)
    first = found[best_at][0]
    end = max(found[best_at][1], found[last][1])
    size = _utf8(body, first, end)
    while size > span and last > best_at:
        last -= 1
        end = max(found[best_at][1], found[last][1])
        size = _utf8(body, first, end)
    # the room the stretch leaves in its fragment goes half before it (from a word's start), half after
    room = span - size
    lead = body.find(" ", max(0, first - room // 2), first)
    start = lead + 1 if lead >= 0 else first
    if _utf8(body, start, first) > room:
        start = first
    stop = body.find(" ", start + 2 * max_chars)
    return body[start:stop if stop >= 0 else len(body)]


def _utf8(text: str, start: int, end: int) -> int:
    """How many UTF-8 bytes ``text[start:end]`` is."""
    return len(text[start:end].encode("utf-8", "surrogatepass"))


def shorten(text: str, max_chars: int) -> str:
    """``text`` on one line, cut at a word boundary within ``max_chars``, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    cut = flat[:max_chars].rsplit(" ", 1)[0]
    return f"{cut}…"


_WORD = re.compile(rb"[a-z0-9]*")
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
