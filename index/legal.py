"""Queries that name the law: "code du travail", "article", an article number like L1234-5.

An agent who writes ``code du travail repos quotidien 11 heures`` or
``article L3121-27`` wants the legal text, not the service-public.fr fiche
that explains the same rule.  But the marker words are in the title of every
article ("Article L1 - Code du travail"), so BM25 gives them almost no weight
and the fiche, whose title holds the subject words, wins.  :func:`reference`
spots the intent and takes the markers out of the words to score; the
searcher then boosts the pages of legal sources (``SearchTuning.legal_sites``)
and, for an article number, the article whose title carries it.  Numbers
are kept and also written out (``10 heures`` -> ``10 dix heures``), the
way the codes write them, at full weight.

Pure functions over the parsed query; the names of the codes are data
(:data:`CODES`), so another code is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.query import ParsedQuery
from index.synonyms import with_spelled_numbers

#: names of the French codes an agent may cite (longest first is not needed: matches are on words)
CODES = (
    "code du travail", "code civil", "code pénal", "code de la sécurité sociale",
    "code de l'action sociale et des familles", "code de la santé publique", "code de la route",
    "code général des impôts", "code de commerce", "code de l'éducation", "code de l'environnement",
    "code de la consommation", "code de l'urbanisme", "code de la construction et de l'habitation",
    "code général des collectivités territoriales", "code de procédure pénale",
    "code de procédure civile", "code électoral", "code général de la fonction publique",
    "code de l'entrée et du séjour des étrangers et du droit d'asile", "code rural et de la pêche maritime",
    "code des relations entre le public et l'administration", "code de la défense",
)
#: abbreviations lawyers write, and the code each one means
#: (not CSS, CSP or CGI: those letters mean other things to agents)
ABBREVIATIONS = {"c. trav.": "code du travail", "c. civ.": "code civil", "c. pén.": "code pénal",
                 "c. pen.": "code pénal", "casf": "code de l'action sociale et des familles",
                 "cgct": "code général des collectivités territoriales"}
#: an article number: L1234-5, R. 4121-1, D 3141-12, L. 1 (legislative, regulatory or decree part)
ARTICLE_NUMBER = re.compile(
    r"(?<![\w-])(?P<part>[LRD])(?:\.\s?|\s)?(?P<number>\d{1,4}(?:-\d+){0,3})(?![\w-])", re.IGNORECASE)
#: the analysed title term of a legislative article's number ("Article L1234-5" -> ``l1234``):
#: the law states the rule, the regulatory (R) and decree (D) articles its application
LEGISLATIVE_TITLE_TERM = r"l[0-9]+"
_ARTICLE_WORD = re.compile(r"(?<!\w)(?:articles?|art\.)(?!\w)", re.IGNORECASE)


def _phrase(text: str) -> re.Pattern[str]:
    words = (re.escape(w) for w in text.replace("'", "' ").split())
    return re.compile(r"(?<!\w)" + r"\s*".join(words) + r"(?!\w)", re.IGNORECASE)


_CODES = [(code, _phrase(code)) for code in CODES]
# the same names typed without accents
_CODES += [(code, _phrase(folded)) for code in CODES
           if (folded := code.translate(str.maketrans("éèêàç", "eeeac"))) != code]
_ABBREVIATIONS = [(code, _phrase(short)) for short, code in ABBREVIATIONS.items()]


@dataclass(frozen=True, slots=True)
class LegalReference:
    """What a query says about the law, and the query without the marker words."""

    #: the query with the marker words removed (article numbers normalised, kept as words)
    parsed: ParsedQuery
    #: the code named (``"code du travail"``) or ``None``
    code: str | None = None
    #: article numbers, normalised (``"R4121-1"``)
    articles: tuple[str, ...] = ()


def reference(parsed: ParsedQuery) -> LegalReference | None:
    """The legal reference in the plain words of ``parsed``, or ``None`` when there is none.

    "Article" alone counts: the agent asks for the text of a rule.  When the
    markers are all the query holds ("code du travail"), the words stay as
    they are: dropping them would leave nothing to search.
    """
    text = " ".join(parsed.words)
    if not text:
        return None
    code = None
    for name, pattern in (*_ABBREVIATIONS, *_CODES):
        text, found = pattern.subn(" ", text)
        if found and code is None:
            code = name
    numbers = (f"{m['part'].upper()}{m['number']}" for m in ARTICLE_NUMBER.finditer(text))
    articles = tuple(dict.fromkeys(numbers))
    text, named_article = _ARTICLE_WORD.subn(" ", text)
    if code is None and not named_article and not _plausible(articles):
        return None
    text = ARTICLE_NUMBER.sub(lambda m: f" {m['part'].upper()}{m['number']} ", text)
    text = with_spelled_numbers(text)
    words = tuple(text.split())
    if not words:
        return LegalReference(parsed, code, articles)
    return LegalReference(replace(parsed, words=words), code, articles)


def _plausible(articles: tuple[str, ...]) -> bool:
    """Without "article" or a code's name, only a full number (L1234-5) is taken for an article."""
    return any("-" in number for number in articles)
