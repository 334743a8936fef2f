"""What ``sdc run`` started from, as the pages tell it: ``<data dir>/run-status.json``.

``sdc run`` writes the file (demo index, crawl of national sites in progress or done); every page
of the service reads it through :func:`notice` to say that the index is a demonstration, or how
far the first crawl is.  A crawl whose ``sdc run`` stopped (no heartbeat for
:data:`STALE_SECONDS`) is told as interrupted, not as running.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import orjson

FILENAME = "run-status.json"
STALE_SECONDS = 60.0


def status_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


def write_status(data_dir: Path, status: dict[str, Any]) -> None:
    """Replace the status at once (written beside, then renamed): a page never reads half of it."""
    path = status_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{FILENAME}.{os.getpid()}")
    partial.write_bytes(orjson.dumps({**status, "heartbeat": time.time()}))
    partial.replace(path)


def read_status(data_dir: Path) -> dict[str, Any] | None:
    """The status ``sdc run`` left, or None (no file, or one that cannot be read)."""
    try:
        status = orjson.loads(status_path(data_dir).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return status if isinstance(status, dict) else None


def clear_status(data_dir: Path) -> None:
    status_path(data_dir).unlink(missing_ok=True)


def notice(data_dir: Path, now: float | None = None) -> dict[str, Any] | None:
    """What the pages say about how this index was made, or None when there is nothing to say.

    ``kind``: ``demo`` (the embedded demonstration index), ``crawling`` (the first crawl goes on:
    ``pages`` indexed of ``budget``), ``interrupted`` (that crawl stopped before its end).
    """
    status = read_status(data_dir)
    if not status:
        return None
    mode = status.get("mode")
    if mode == "demo":
        return {"kind": "demo", "pages": int(status.get("pages") or 0), "sites": status.get("sites") or []}
    if mode == "crawling":
        now = time.time() if now is None else now
        fresh = now - float(status.get("heartbeat") or 0) < STALE_SECONDS
        return {"kind": "crawling" if fresh else "interrupted", "pages": int(status.get("pages") or 0),
                "budget": int(status.get("budget") or 0), "sites": status.get("sites") or []}
    return None
