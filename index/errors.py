"""Errors raised by the search index.

    SearchIndexError
    ├── IndexLockedError       another writer holds the index directory
    ├── IndexOpenError         the directory is not a readable index of ours
    ├── InputFileError         an input file (JSONL) cannot be read at all
    └── InvalidDocumentError   one page cannot be indexed (no usable URL, a field tantivy refuses)

tantivy reports everything as ``ValueError``; this package wraps those at its
boundary so callers (CLI, service) only ever see the classes above.  Each
carries a one-line, user-facing message.  Bad *queries* are never errors:
they are answered leniently.
"""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base class of every error of the ``index`` package."""


class IndexLockedError(SearchIndexError):
    """Another ``IndexWriter`` (in this process or another) holds the directory."""


class IndexOpenError(SearchIndexError):
    """The directory cannot be opened as an index with our schema."""


class InputFileError(SearchIndexError):
    """An input file cannot be opened or decompressed."""


class InvalidDocumentError(SearchIndexError):
    """One page cannot be indexed; the message names its URL and why."""
