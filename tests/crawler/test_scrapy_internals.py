"""The private Scrapy internals the crawler relies on, all in ``crawler/downloader.py``.

These fail loudly on a Scrapy release other than the one the overrides were written against,
so that raising the pin in pyproject.toml starts with re-reading them (see that module).
"""

from __future__ import annotations

import importlib
import inspect

import scrapy
from scrapy.core.downloader import Downloader, Slot

from crawler import downloader
from crawler.downloader import PRIVATE_NAMES, SCRAPY_SERIES, PoliteDownloader


def test_scrapy_is_the_series_the_private_overrides_were_written_against() -> None:
    series = ".".join(scrapy.__version__.split(".")[:2])
    assert series == SCRAPY_SERIES, (
        f"Scrapy {scrapy.__version__} is installed, crawler/downloader.py overrides private "
        f"internals of Scrapy {SCRAPY_SERIES}: re-read them against the new release, then "
        "update SCRAPY_SERIES and the pin in pyproject.toml"
    )


def _owner(dotted: str) -> object:
    module, _, name = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return importlib.import_module(dotted)


def test_every_private_name_still_exists() -> None:
    for owner_name, attribute in PRIVATE_NAMES:
        owner = _owner(owner_name)
        if attribute == "_slot":  # an instance attribute, set in __init__
            assert "self._slot" in inspect.getsource(owner), f"{owner_name}.{attribute} is gone"
        else:
            assert hasattr(owner, attribute), f"{owner_name}.{attribute} is gone"


def test_the_overridden_methods_keep_their_signatures() -> None:
    for name in ("_get_slot", "_process_queue", "_download"):
        ours = inspect.signature(getattr(PoliteDownloader, name))
        theirs = inspect.signature(getattr(Downloader, name))
        assert list(ours.parameters)[:2] == list(theirs.parameters)[:2], name
    # the loop copied into PoliteDownloader._process_queue is Scrapy's, plus the started count
    source = inspect.getsource(Downloader._process_queue)
    for line in ("slot.latercall = call_later(penalty, self._latercall, slot)",
                 "while slot.queue and slot.free_transfer_slots() > 0:",
                 "_schedule_coro(self._wait_for_download(slot, request, queue_dfd))"):
        assert line in source, f"Downloader._process_queue changed: {line!r} is gone"
    assert "self.transferring.add" not in inspect.getsource(Slot)  # counted in _download
    assert "slot.transferring.add(request)" in inspect.getsource(Downloader._download)


def test_only_crawler_downloader_touches_scrapy_privates() -> None:
    """Other crawler modules go through pause_slot/wake_engine, not Scrapy's private names."""
    import pathlib

    root = pathlib.Path(downloader.__file__).parent
    private = ("._latercall", "._slot", "_schedule_coro", "._process_queue", "._parse(")
    for path in root.rglob("*.py"):
        if path.name == "downloader.py" or "farm" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for name in private:
            assert name not in text, f"{path.relative_to(root)} uses Scrapy's private {name}"
