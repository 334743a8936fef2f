"""Normalised text of the Annuaire's search: lower case, no accents, words only, usual abbreviations.

>>> normalize("Sainte-Anne-d'Auray")
'sainte anne d auray'
>>> normalize("St-Jean de Luz")
'saint jean de luz'
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
#: abbreviations of commune names, expanded on both sides (index and query)
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [ABBREVIATIONS.get(w, w) for w in _NON_WORD.split(fold(text)) if w]


def normalize(text: str) -> str:
    return " ".join(words(text))
