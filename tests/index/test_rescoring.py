"""The verbatim rule: a page holding the query as written (case, accents and spacing aside) is raised."""

from __future__ import annotations

import tantivy

from index import schema as f
from index.analysis import fold, fold_bytes
from index.rescoring import verbatim_first


def _raised(text: str, body: str, title: str = "Titre") -> bool:
    doc = tantivy.Document()
    doc.add_text(f.TITLE, title)
    doc.add_text(f.BODY, body)
    other = tantivy.Document()
    other.add_text(f.BODY, "Rien à voir.")
    pages = {0: other, 1: doc}
    hits = [(2.0, tantivy.DocAddress(0, 0)), (1.0, tantivy.DocAddress(0, 1))]
    ranked = verbatim_first(lambda a: pages[a.doc], hits, text, window=20, weight=1.0)
    return ranked[0][1].doc == 1


def test_the_words_as_written_are_found_whatever_the_case_accents_and_spaces() -> None:
    body = "Texte. " * 500 + "Le délai de PRÉVENANCE\u202fne  peut\u00a0être\nréduit. " + "Texte. " * 500
    assert _raised("délai de prévenance ne peut être", body)
    assert _raised("delai de prevenance ne peut etre", body)  # a corrected typo comes back unaccented
    assert _raised("l’État ÆSOP", "Voir l’état æsop ici")
    assert _raised("de l'accueil", "", title="Conditions de l'Accueil")
    assert not _raised("délai de prévenance peut être", body)  # "ne" between: not as written
    assert not _raised("été", "Un ete chaud")  # an accent the agent typed is required


def test_the_folded_bytes_keep_offsets_and_fold_as_the_analyser() -> None:
    text = "Œuvre d’ÉTÉ à Noël, Æ ß"
    folded = fold_bytes(text)
    assert len(folded) == len(text)
    assert folded == b"?uvre d?ete a noel, \xe6 \xdf"
    assert all(fold(c) == chr(b) for c, b in zip(text, folded, strict=True) if chr(b).isascii() and c != "?"
               and chr(b) != "?")
