"""The snippets of one page of results: tantivy's highlighter on the passage that best matches.

tantivy's ``SnippetGenerator`` analyses the whole text it is given, so a
long body is first cut to the passage of highest term weight
(``index.snippets.passage``); a body that only matched through another
form of a word, or holds none of the words, shows its start.  Codes,
dates glued into the text and menu lines are cleaned only when they show
in the chosen fragment (cleaning a long page costs more than its snippet).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import tantivy

from index import schema as f
from index import snippets
from index.querybuild import QueryBuilder
from index.results import Hit
from index.tuning import SearchTuning

#: the most body words whose analysed term is kept across searches (about 100 bytes each)
ANALYSED_WORDS = 50_000


class Highlighter:
    """Fills in the snippets of hits; one per searcher, safe to share between threads (the words'
    cache is a plain dict: a race only analyses a word twice)."""

    def __init__(self, schema: tantivy.Schema, builder: QueryBuilder, tuning: SearchTuning) -> None:
        self._schema = schema
        self._builder = builder
        self._tuning = tuning
        #: body words -> the term the index holds for them, shared by every search
        self._analysed_words: dict[str, str | None] = {}

    def add(self, searcher: tantivy.Searcher, query: tantivy.Query, docs: Sequence[tantivy.Document],
            hits: Sequence[Hit], stems: Callable[[], set[str]]) -> None:
        """Set each hit's snippet from its document; ``stems``: the query's analysed terms (asked for
        only when a long body needs them)."""
        generator = tantivy.SnippetGenerator.create(searcher, query, self._schema, f.BODY)
        generator.set_max_num_chars(self._tuning.snippet_chars)
        terms: set[str] | None = None
        weights: dict[str, float] | None = None  # ... weighed as tantivy's fragments weigh them
        analysed = self._analysed_words
        if len(analysed) > ANALYSED_WORDS:
            analysed.clear()  # a bound, not an LRU: the words of one search are looked up again at once
        for hit, doc in zip(hits, docs, strict=True):
            body = str(doc.get_first(f.BODY) or "")
            found = None
            if len(body) > snippets.PASSAGE_MIN_CHARS:
                terms = stems() if terms is None else terms
                if weights is None:
                    frequencies = {t: searcher.doc_freq(f.BODY, t) for t in terms}
                    weights = {t: 1.0 / (1 + n) for t, n in frequencies.items() if n > 0}
                cut = snippets.passage(body, weights, self._tuning.snippet_chars,
                                       lambda w: analysed[w] if w in analysed else
                                       analysed.setdefault(w, self._analysed(w)))
                if cut is not None:
                    source = body_document(cut)
                    found = generator.snippet_from_doc(source)
                    found = found if found.highlighted() else None  # only another form of a word matched
            if found is None:
                source = doc
                if len(body) > snippets.EXCERPT_CHARS:
                    terms = stems() if terms is None else terms
                    source = body_document(snippets.excerpt(body, terms))
                found = generator.snippet_from_doc(source)
            if snippets.has_junk(found.fragment()):
                # codes, dates or menu text in the best passage: the passage of the cleaned text
                source = body_document(snippets.clean(str(source.get_first(f.BODY) or "")))
                found = generator.snippet_from_doc(source)
            hit.snippet = snippets.render(found, partial(_summary, doc), self._tuning.snippet_chars)

    def _analysed(self, word: str) -> str | None:
        """The term the index holds for one word (``None``: a stop word)."""
        terms = self._builder.terms(word)
        return terms[0][1] if len(terms) == 1 else None


def body_document(text: str) -> tantivy.Document:
    """A document of ``text`` alone, as the body (what the snippet generator reads)."""
    doc = tantivy.Document()
    doc.add_text(f.BODY, text)
    return doc


def _summary(doc: tantivy.Document) -> str:
    return str(doc.get_first(f.DESCRIPTION) or doc.get_first(f.BODY) or "")
