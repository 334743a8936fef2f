"""The compiled registry cached on disk, so that ``sdc check`` starts at once.

Compiling the full registry takes about a second and a half; a command that
classifies one URL must not pay it. The compiled classifier's nodes are written
once per registry generation (``SDC_DATA_DIR/cache/classifier-<generation>-<code>.sqlite3``,
one row per node, its ``marshal``-ed plain tuple, written to a temporary file then
renamed) and read back lazily: opening the file costs nothing, and a node is read
(one primary-key look-up) and becomes a live object only when a walk first
reaches it; a one-URL ``sdc check`` reads about five rows. The file is rebuilt when the registry changes (its
generation) or the code that compiles it does (its files' sizes and times),
and older files are removed.

The lazily loaded classifier answers exactly like a freshly compiled one
(``tests/sources/test_compiled.py`` compares them); it serves classification
only (the extension's trust list walks every node and compiles afresh).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from sources.categories import Category
from sources.classifier import Classifier
from sources.classifier_node import Node
from sources.journal import read_generation
from sources.verdicts import Entry, Verdict

FORMAT = 1
_CATEGORIES = {c.value: c for c in Category}
_new_tuple = tuple.__new__


def code_stamp() -> str:
    """Changes when the code or data that decide a verdict change."""
    here = Path(__file__).parent
    digest = hashlib.sha256(str(FORMAT).encode())
    for name in ("classifier.py", "classifier_node.py", "builtin.py", "national.py", "registry.py",
                 "audit.py", "psl.py", "compiled.py", "hosts.py", "verdicts.py"):
        stat = (here / name).stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    # the list the rules come from (its file, not importlib.metadata: ~25 ms per sdc check)
    data = resources.files("publicsuffixlist").joinpath("public_suffix_list.dat")
    digest.update(f"psl:{os.stat(str(data)).st_size}:{os.stat(str(data)).st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _entry(e: Entry | None) -> tuple[Any, ...] | None:
    return None if e is None else (e.host, e.category.value if e.category else None, e.name, e.rule,
                                   e.reason)


def _verdict(v: Verdict | None) -> tuple[Any, ...] | None:
    return None if v is None else (v.trusted, v.domain, v.category.value if v.category else None,
                                   v.name, v.rule, v.reason, v.matched)


def _rows(nodes: Mapping[str, Node]) -> Any:
    for key, n in nodes.items():
        yield key, marshal.dumps((
            n.psl, _entry(n.entry), _entry(n.zone), _entry(n.allow), _entry(n.deny),
            n.denied_platform | n.shared << 1 | n.suffix << 2 | n.unlisted_below << 3,
            _verdict(n.fast)))


def dump(classifier: Classifier, path: Path) -> None:
    """Write ``classifier`` to ``path`` (a new SQLite file)."""
    rules, nodes, has_denies = classifier.compiled()
    head = marshal.dumps((FORMAT, rules, has_denies, classifier.entry_count, classifier.generation))
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("CREATE TABLE head (data BLOB NOT NULL)")
            db.execute("CREATE TABLE nodes (key TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
            db.execute("INSERT INTO head VALUES (?)", (head,))
            db.executemany("INSERT INTO nodes VALUES (?, ?)", _rows(nodes))
    finally:
        db.close()


class _LazyNodes(dict[str, Node]):
    """The classifier's node table, each node read and built when a walk first asks for it."""

    #: after this many look-ups one by one, the rest of the table is read in one query
    #: (a long stdin stream): about 50 ms, against 10 µs a look-up
    BULK_AFTER = 2000

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self._db = db
        self._absent: set[str] = set()
        self._raw: dict[str, bytes] | None = None
        self._lookups = 0

    def get(self, key: str, default: Any = None) -> Any:
        node = dict.get(self, key)
        if node is None:
            if key in self._absent:
                return default
            data = self._read(key)
            if data is None:
                self._absent.add(key)
                return default
            node = _build(marshal.loads(data))  # noqa: S302 - our own file
            self[key] = node
        return node

    def _read(self, key: str) -> bytes | None:
        if self._raw is not None:
            return self._raw.get(key)
        self._lookups += 1
        if self._lookups > self.BULK_AFTER:
            self._raw = dict(self._db.execute("SELECT key, data FROM nodes"))
            return self._raw.get(key)
        row = self._db.execute("SELECT data FROM nodes WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])


def _entry_of(e: tuple[Any, ...] | None) -> Entry | None:
    if e is None:
        return None
    return Entry(e[0], _CATEGORIES[e[1]] if e[1] else None, e[2], e[3], e[4])


def _build(raw: tuple[Any, ...]) -> Node:
    node = Node()
    node.psl, entry, zone, allow, deny, flags, fast = raw
    if entry is not None:
        node.entry = _entry_of(entry)
    if zone is not None:
        node.zone = _entry_of(zone)
    if allow is not None:
        node.allow = _entry_of(allow)
    if deny is not None:
        node.deny = _entry_of(deny)
    if flags:
        node.denied_platform, node.shared = bool(flags & 1), bool(flags & 2)
        node.suffix, node.unlisted_below = bool(flags & 4), bool(flags & 8)
    if fast is not None:
        category = fast[2]
        node.fast = _new_tuple(Verdict, (fast[0], fast[1], _CATEGORIES[category] if category else None,
                                         fast[3], fast[4], fast[5], fast[6]))
    return node


def load(path: Path) -> Classifier:
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        (head,) = db.execute("SELECT data FROM head").fetchone()
        version, rules, has_denies, count, generation = marshal.loads(head)  # noqa: S302
    except (sqlite3.Error, TypeError, ValueError, EOFError):
        db.close()
        raise ValueError(f"{path} is not a compiled registry") from None
    if version != FORMAT:
        db.close()
        raise ValueError("compiled registry of another format")
    return Classifier.restore(rules, _LazyNodes(db), has_denies, count, generation)


def cached_classifier(registry: Any, cache_dir: Path) -> Classifier:
    """The registry's classifier from ``cache_dir``, compiled and written there when stale."""
    return cached_at(registry.generation(), cache_dir, registry.classifier)


def cached_classifier_of(registry_file: Path, cache_dir: Path,
                         compile_: Callable[[], Classifier]) -> Classifier:
    """The same without opening the registry when the cache is fresh (``sdc check``): the
    generation is read from ``registry_file`` (``sources.journal.read_generation``), and
    ``compile_`` (which opens it) is called only when the cache must be written."""
    return cached_at(read_generation(registry_file), cache_dir, compile_)


def cached_at(generation: int, cache_dir: Path, compile_: Callable[[], Classifier]) -> Classifier:
    name = f"classifier-{generation}-{code_stamp()}.sqlite3"
    path = Path(cache_dir) / name
    if path.is_file():
        try:
            return load(path)
        except ValueError:
            pass
    fresh = compile_()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        dump(fresh, tmp)
        tmp.replace(path)
        for old in path.parent.glob("classifier-*"):
            if old != path and not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)
    except (OSError, sqlite3.Error):  # a read-only data folder: classify anyway, uncached
        pass
    return fresh


__all__ = ["cached_at", "cached_classifier", "cached_classifier_of", "code_stamp", "dump", "load"]
