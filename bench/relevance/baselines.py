"""The two baselines of issue 3, on the same fields and boosts as our index.

* :class:`EnglishTantivy`: tantivy's stock ``en_stem`` analyzer (lowercase and
  English Snowball stemming, no accent folding, no French stop words), with the
  query parsed by tantivy's own parser as a disjunction, each field boosted
  like ours.
* :class:`Fts5`: SQLite FTS5 with ``unicode61 remove_diacritics 2`` (so it
  *does* fold accents) ranked by ``bm25()`` with our column weights.  The
  query is the OR of its words, each quoted: FTS5's implicit AND found the
  expected page far less often.

Both take the records of ``documents.jsonl.gz`` (title, description, body);
the corpus has no separate headings, so that field is absent everywhere.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

import tantivy

FIELDS = ("title", "description", "body")
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


class EnglishTantivy:
    """tantivy with the ``en_stem`` tokenizer on every text field."""

    def __init__(self, path: Path, boosts: Mapping[str, float]) -> None:
        builder = tantivy.SchemaBuilder().add_text_field("url", stored=True, tokenizer_name="raw")
        for name in FIELDS:
            builder.add_text_field(name, tokenizer_name="en_stem")
        path.mkdir(parents=True, exist_ok=True)
        self._index = tantivy.Index(builder.build(), path=str(path))
        self._boosts = {name: boosts.get(name, 1.0) for name in FIELDS}

    def build(self, records: Iterable[Mapping[str, object]]) -> int:
        writer = self._index.writer(heap_size=256_000_000, num_threads=2)
        count = 0
        for record in records:
            writer.add_document(tantivy.Document(**{k: str(record.get(k) or "") for k in ("url", *FIELDS)}))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self._index.reload()
        return count

    def search(self, text: str, limit: int = 10) -> list[str]:
        words = _words(text)
        if not words:
            return []
        # the words alone: tantivy's parser would read ':' '-' '"' as syntax
        query = self._index.parse_query(" ".join(words), list(FIELDS), field_boosts=self._boosts)
        searcher = self._index.searcher()
        hits = searcher.search(query, limit).hits
        return [searcher.doc(address)["url"][0] for _, address in hits]


class Fts5:
    """SQLite FTS5, unicode61 tokenizer with diacritics removed, bm25 with column weights."""

    def __init__(self, path: Path, boosts: Mapping[str, float]) -> None:
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS pages USING fts5("
            "url UNINDEXED, title, description, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        self._weights = ", ".join(str(boosts.get(name, 1.0)) for name in FIELDS)

    def build(self, records: Iterable[Mapping[str, object]]) -> int:
        rows = ((str(r.get("url")), *(str(r.get(k) or "") for k in FIELDS)) for r in records)
        with self._db:
            before = self._db.total_changes
            self._db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?)", rows)
            return self._db.total_changes - before

    def search(self, text: str, limit: int = 10, *, conjunction: str = "OR") -> list[str]:
        words = _words(text)
        if not words:
            return []
        match = f" {conjunction} ".join(f'"{w}"' for w in words)
        rows = self._db.execute(
            f"SELECT url FROM pages WHERE pages MATCH ? ORDER BY bm25(pages, 0.0, {self._weights}) LIMIT ?",
            (match, limit),
        )
        return [url for (url,) in rows]

    def close(self) -> None:
        self._db.close()


class PlainBM25:
    """Our index and French analysis, scored as plain BM25: every word in every text field, weight 1.

    No field boosts, synonyms, phrases, legal handling or typo correction:
    the third baseline of issue 12, which isolates what the ranking adds to
    the analysis.
    """

    def __init__(self, path: Path) -> None:
        from index import analysis
        from index import schema as f

        self._index = f.open_index(path, create=False)
        self._analyzer = analysis.french_analyzer()
        self._fields = f.TEXT_FIELDS
        self._url = f.URL

    def search(self, text: str, limit: int = 10) -> list[str]:
        tokens = list(dict.fromkeys(t.text for t in self._analyzer.pre_tokenize(text).tokens))
        if not tokens:
            return []
        schema = self._index.schema
        query = tantivy.Query.boolean_query([
            (tantivy.Occur.Should, tantivy.Query.term_query(schema, name, token))
            for token in tokens for name in self._fields
        ])
        searcher = self._index.searcher()
        return [searcher.doc(address)[self._url][0] for _, address in searcher.search(query, limit).hits]
