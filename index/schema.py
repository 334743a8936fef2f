"""The index schema (one :func:`build_schema`) and :func:`open_index`.

One document per canonical URL.  Text fields use the French analyzer and
are stored, so results show the original text; identifiers use the ``raw``
tokenizer (one exact term).  ``site`` holds the host and every parent
domain (``www.ain.gouv.fr``, ``ain.gouv.fr``, ``gouv.fr``, ``fr``) so that
``site:`` filters and purging a source are one term look-up.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import tantivy

from index import analysis
from index.errors import IndexOpenError

URL = "url"
#: 64-bit digest of the URL, a fast field: picks candidates for re-scoring without loading documents
UID = "uid"
HOST = "host"
DOMAIN = "domain"
SITE = "site"
CATEGORY = "category"
NAME = "name"
TITLE = "title"
DESCRIPTION = "description"
HEADINGS = "headings"
BODY = "body"
LANG = "lang"
PUBLISHED = "published"
FETCHED = "fetched"
HASH = "content_hash"
SUGGEST = "suggest"
#: what a document is: ``page`` (a crawled page) or ``news`` (an item of a site's news feed); the
#: Actualités view searches ``news`` only
KIND = "kind"
#: 64 bits of ``content_hash``, a fast field: the copies of one page under several URLs share it, so
#: results show them once and totals and facets count them once (``index.collapse``)
SAME = "same"

#: the analysed text fields a query searches
TEXT_FIELDS = (TITLE, HEADINGS, DESCRIPTION, NAME, BODY)


def build_schema() -> tantivy.Schema:
    return (
        tantivy.SchemaBuilder()
        .add_text_field(URL, stored=True, tokenizer_name="raw")
        .add_unsigned_field(UID, indexed=True, fast=True)
        .add_text_field(HOST, stored=True, tokenizer_name="raw")
        .add_text_field(DOMAIN, stored=True, tokenizer_name="raw")
        .add_text_field(SITE, tokenizer_name="raw", index_option="basic")
        .add_text_field(CATEGORY, stored=True, fast=True, tokenizer_name="raw", index_option="basic")
        .add_text_field(NAME, stored=True, tokenizer_name=analysis.FRENCH)
        .add_text_field(TITLE, stored=True, tokenizer_name=analysis.FRENCH)
        .add_text_field(DESCRIPTION, stored=True, tokenizer_name=analysis.FRENCH)
        .add_text_field(HEADINGS, stored=True, tokenizer_name=analysis.FRENCH)
        .add_text_field(BODY, stored=True, tokenizer_name=analysis.FRENCH)
        .add_text_field(LANG, stored=True, tokenizer_name="raw", index_option="basic")
        .add_date_field(PUBLISHED, stored=True, indexed=True, fast=True)
        .add_date_field(FETCHED, stored=True)
        .add_text_field(HASH, stored=True, tokenizer_name="raw", index_option="basic")
        .add_unsigned_field(SAME, fast=True)
        .add_text_field(SUGGEST, tokenizer_name=analysis.SUGGEST)
        .add_text_field(KIND, stored=True, tokenizer_name="raw", index_option="basic")
        .build()
    )


def url_id(url: str) -> int:
    """The ``uid`` of ``url``: the first 8 bytes of its BLAKE2b digest, as an unsigned integer."""
    digest = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def same_id(content_hash: str) -> int:
    """The ``same`` value of a page whose ``content_hash`` (hex) is given."""
    return int(content_hash[:16], 16)


def open_index(path: Path | None, *, create: bool = True) -> tantivy.Index:
    """Open (or create) the index at ``path``; ``None`` gives a RAM index for tests.

    Our analyzers are registered on every open, as tantivy requires.
    """
    schema = build_schema()
    try:
        if path is None:
            index = tantivy.Index(schema)
        else:
            if not create and not (path.is_dir() and tantivy.Index.exists(str(path))):
                raise IndexOpenError(f"no index at {path} (run 'sdc index add' first)")
            path.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(schema, path=str(path), reuse=True)
    except ValueError as exc:
        if "schema does not match" in str(exc):
            raise IndexOpenError(f"the index at {path} was built with another schema: "
                                 "delete it and index the pages again") from None
        raise IndexOpenError(f"cannot open the index at {path}: {exc}") from None
    except OSError as exc:
        raise IndexOpenError(f"cannot open the index at {path}: {exc.strerror or exc}") from None
    analysis.register(index)
    return index
