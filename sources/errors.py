"""Errors raised by the trust registry.

    SourcesError
    ├── InvalidHostError        a host name that cannot be a web host
    ├── UnknownCategoryError    a category name outside :class:`sources.Category`
    ├── ImportSourceError       an import could not read its input
    │   ├── FetchError          the http(s) download failed
    │   ├── FormatError         the file is not in the expected format
    │   └── ImportRefusedError  the import would shrink an origin or misses a file
    └── StoreError              the SQLite registry cannot be opened or written

Each carries a one-line, user-facing message: the CLI prints it as is and the
service maps the classes to HTTP statuses in one place.
"""

from __future__ import annotations


class SourcesError(Exception):
    """Base class of every error of the ``sources`` package."""


class InvalidHostError(SourcesError, ValueError):
    """A value given as a host name is not a valid web host."""


class UnknownCategoryError(SourcesError, ValueError):
    """A category name that the registry does not know."""


class ImportSourceError(SourcesError):
    """An importer could not read its input; nothing was changed."""


class FetchError(ImportSourceError):
    """Downloading an import from an http(s) URL failed."""


class FormatError(ImportSourceError):
    """An import file is not in the format its importer expects."""


class ImportRefusedError(ImportSourceError):
    """The import would remove too many hosts or misses an expected file; nothing was changed."""


class NotFoundError(SourcesError):
    """A curator, report or entry that the registry does not hold."""


class StoreError(SourcesError):
    """The registry database cannot be opened, read or written."""
