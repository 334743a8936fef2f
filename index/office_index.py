"""The Annuaire's second tantivy index: the candidates :mod:`index.offices` ranks.

Measured against SQLite FTS5 on the same normalised fields, expressions and ranking
(``python -m bench annuaire``): the same quality (held-out MRR@10 0.995 against 0.993), two to
four times faster (1.1 ms a query against 2.1 ms held-out), so the service searches here and
falls back to the store's FTS5 table when this index is missing or older than the Annuaire.

The index lives in ``annuaire-index/`` beside ``annuaire.sqlite3``; :func:`build` makes it in a
fresh directory and swaps it in, stamped with the import it was built from.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import tantivy

from index.errors import SearchIndexError
from sources.annuaire import AnnuaireStore, Office
from sources.annuaire.store import decode, fts_row

DIRNAME = "annuaire-index"
STAMP = "built-from"
#: the index's layout, in its stamp: an index of another layout is not used (FTS5 answers) until
#: ``sdc annuaire import`` builds it again (2: ``rowid`` a fast field)
LAYOUT = "2"
FIELDS = ("name", "kind", "commune", "codes", "department")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    # a fast field: a match reads the rowids of its hits from the column, never their stored documents
    builder.add_unsigned_field("rowid", stored=True, indexed=True, fast=True)
    for name in FIELDS:
        builder.add_text_field(name, tokenizer_name="default")  # the text is normalised already
    return builder.build()


def stamp_of(store: AnnuaireStore) -> str:
    meta = store.meta()
    return f"{LAYOUT} {meta.get('imported_at', '')} {meta.get('version', '')} {meta.get('offices', '')}"


def build(store: AnnuaireStore, data_dir: Path) -> Path:
    """(Re)build the index of ``store`` under ``data_dir``; readers see the old or the new one."""
    target = Path(data_dir) / DIRNAME
    fresh = Path(data_dir) / f"{DIRNAME}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    try:
        index = tantivy.Index(_schema(), path=str(fresh))
        writer = index.writer(heap_size=64_000_000, num_threads=1)
        for rowid, blob in store.db.execute("SELECT rowid, data FROM offices"):
            doc = tantivy.Document()
            doc.add_unsigned("rowid", rowid)
            for name, value in zip(FIELDS, fts_row(decode(blob)), strict=True):
                doc.add_text(name, value)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        (fresh / STAMP).write_text(stamp_of(store), encoding="utf-8")
    except (ValueError, OSError) as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"cannot build the Annuaire's index at {fresh}: {exc}") from None
    old = Path(data_dir) / f"{DIRNAME}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target


class OfficeIndex:
    """``match``/``by_rowids`` as :class:`AnnuaireStore` offers them, from the tantivy index."""

    def __init__(self, data_dir: Path, store: AnnuaireStore) -> None:
        path = Path(data_dir) / DIRNAME
        try:
            built_from = (path / STAMP).read_text(encoding="utf-8")
        except OSError:
            raise SearchIndexError(f"no Annuaire index at {path}") from None
        if built_from != stamp_of(store):
            raise SearchIndexError(f"the Annuaire index at {path} is older than the Annuaire")
        try:
            self.index = tantivy.Index.open(str(path))
        except ValueError as exc:
            raise SearchIndexError(f"cannot open the Annuaire index at {path}: {exc}") from None
        self.store = store
        self.searcher = self.index.searcher()

    def match(self, expression: str, limit: int) -> list[tuple[int, float]]:
        """``(rowid, -score)``: lower is better, as FTS5's bm25."""
        try:
            query = self.index.parse_query(expression.replace(" : ", ":"), list(FIELDS))
        except ValueError:
            return self.store.match(expression, limit)  # what tantivy cannot parse, FTS5 can
        hits = self.searcher.search(query, limit).hits
        rowids = self.searcher.fast_field_values("rowid", [address for _, address in hits]) if hits else []
        return [(int(rowid), -score) for rowid, (score, _) in zip(rowids, hits, strict=True)
                if rowid is not None]  # None only in a column absent from the segment, never in LAYOUT 2

    def by_rowids(self, rowids: Iterable[int]) -> dict[int, Office]:
        return self.store.by_rowids(rowids)
