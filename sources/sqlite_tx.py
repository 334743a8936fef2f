"""The write transaction both registry stores use (``registry.sqlite3``, ``annuaire.sqlite3``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def write_transaction(db: sqlite3.Connection, error: type[Exception],
                      what: str) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` .. ``COMMIT``, rolled back on any exception; a SQLite error is
    raised as ``error(f"{what}: {exc}")``."""
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        raise error(f"{what}: {exc}") from None
