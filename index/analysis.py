"""The French analyzer, built from tantivy's own tokenizer and filters.

``Tokenizer.simple`` splits on every non-alphanumeric character, so both the
ASCII ``'`` and the typographic ``’`` end a token: ``l'État`` gives ``l`` and
``État``.  The elided articles (``l``, ``d``, ``qu``, ``j``...) are in
tantivy's French stop-word list, the longer elided conjunctions (``jusqu``,
``lorsqu``...) are added here, so elision is handled by dropping them.

Accents are folded *before* stemming: the Snowball stemmer then sees the
same letters whether the agent typed them or not (``sécurité`` and
``securite`` both give ``securit``; stemming first gave ``secur`` and
``securit``).  Positions survive stop-word removal, so phrase queries still
line up.

tantivy does not persist custom analyzers: :func:`register` must run every
time an index is opened (``schema.open_index`` does it).
"""

from __future__ import annotations

import re
import unicodedata

import tantivy

#: tokenizer name of the analysed text fields (title, headings, description, body, name)
FRENCH = "fr_folded"
#: tokenizer name of the suggestion field: folded, lowercased, never stemmed
SUGGEST = "fr_suggest"

#: elided words the French stop-word list lacks (it has l, d, j, m, n, s, t, c, qu)
ELISIONS = ["jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "quelqu"]
MAX_TOKEN_CHARS = 40


def french_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_CHARS))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stopword("french"))
        .filter(tantivy.Filter.custom_stopword(ELISIONS))
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("french"))
        .build()
    )


def suggest_analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_CHARS))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def register(index: tantivy.Index) -> None:
    """Register our analyzers on ``index`` (needed after every open)."""
    index.register_tokenizer(FRENCH, french_analyzer())
    index.register_tokenizer(SUGGEST, suggest_analyzer())


def fold(text: str) -> str:
    """Lowercase and strip accents the way the analyzers do (``Préfecture`` -> ``prefecture``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: the accented letters :func:`fold` turns into each ASCII letter
ACCENTED = {"a": "àâäá", "c": "ç", "e": "éèêë", "i": "îïí", "o": "ôöó", "u": "ùûüú", "y": "ÿ"}


def _folding_table() -> bytes:
    """Latin-1 byte -> the lowercase unaccented ASCII letter :func:`fold` gives it, else itself."""
    table = bytearray(range(256))
    for byte in range(256):
        letters, lower = fold(chr(byte)), chr(byte).lower()
        if len(letters) == 1 and letters.isascii() and letters.isalnum():
            table[byte] = ord(letters)
        elif len(lower) == 1 and ord(lower) < 256:  # "Æ" and "æ" alike, as a search ignoring case
            table[byte] = ord(lower)
    return bytes(table)


_FOLDING = _folding_table()


def fold_bytes(text: str) -> bytes:
    """``text`` lowercase and unaccented as :func:`fold` does, one byte a character (the same offsets):
    Latin-1 letters folded, every character beyond Latin-1 a ``?``.  About 30 times faster than
    ``str.translate`` for a page of French: a quick test before a slower exact one."""
    return text.encode("latin-1", "replace").translate(_FOLDING)


def accent_pattern(word: str) -> str:
    """A regular expression matching ``word`` with or without its accents (use it case-insensitively)."""
    return "".join(f"[{c}{ACCENTED[c]}]" if c in ACCENTED else re.escape(c) for c in word.lower())
