"""What a page becomes in the index: its tantivy document, its content digest, its site terms."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import tantivy

from index import schema as f
from index.documents import PageDocument


def content_hash(doc: PageDocument) -> str:
    """A short digest of what a reader sees, to tell changed pages from unchanged ones."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (doc.title, doc.description, *doc.headings, doc.body):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def site_terms(host: str) -> list[str]:
    """The host and each parent domain: ``a.b.fr`` -> ``a.b.fr``, ``b.fr``, ``fr``."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def to_document(doc: PageDocument, host: str, domain: str, category: str, name: str,
                digest: str) -> tantivy.Document:
    """The tantivy document of a normalised page, with what the registry says of its host."""
    out = tantivy.Document()
    out.add_text(f.URL, doc.url)
    out.add_unsigned(f.UID, f.url_id(doc.url))
    out.add_text(f.HOST, host)
    out.add_text(f.DOMAIN, domain)
    for site in site_terms(host):
        out.add_text(f.SITE, site)
    out.add_text(f.CATEGORY, category)
    out.add_text(f.KIND, doc.kind)
    out.add_text(f.NAME, name)
    out.add_text(f.TITLE, doc.title)
    out.add_text(f.SUGGEST, doc.title)
    out.add_text(f.DESCRIPTION, doc.description)
    for heading in doc.headings:
        out.add_text(f.HEADINGS, heading)
    out.add_text(f.BODY, doc.body)
    if doc.lang:
        out.add_text(f.LANG, doc.lang)
    if doc.published is not None:
        out.add_date(f.PUBLISHED, _as_datetime(doc.published))
    if doc.fetched is not None:
        out.add_date(f.FETCHED, _as_datetime(doc.fetched))
    out.add_text(f.HASH, digest)
    out.add_unsigned(f.SAME, f.same_id(digest))
    return out
