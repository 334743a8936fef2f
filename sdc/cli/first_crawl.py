"""The first crawl of ``sdc run`` on a connected machine: a few national sites, in the background.

``sdc crawl --hosts ... --max-pages N`` runs in a child process (Scrapy's reactor runs once per
process, and the search page must answer meanwhile), its output in ``<crawl dir>/first-crawl.log``.
A thread of ``sdc run`` follows it: the pages indexed so far go to ``run-status.json``
(:mod:`service.startup`, which the pages read) and, now and then, to the terminal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from service.settings import Settings
from service.startup import write_status

POLL_SECONDS = 1.0
#: how long `sdc run` waits for the first committed pages before serving anyway
FIRST_PAGES_SECONDS = 180.0
SAY_EVERY = 30.0
#: seconds a stopped crawl has to finish its graceful stop before a second SIGINT forces it
GRACEFUL_SECONDS = 5.0
LOG_NAME = "first-crawl.log"


def indexed_pages(index_dir: Path) -> int:
    """Documents committed in the index at ``index_dir`` (0 when there is none yet)."""
    from index import schema, shards
    from index.errors import SearchIndexError

    try:
        total = 0
        for directory in shards.shard_dirs(index_dir):  # a sharded index counts every shard
            index = schema.open_index(directory, create=False)
            index.reload()
            total += int(index.searcher().num_docs)
        return total
    except (SearchIndexError, ValueError, OSError):
        return 0


class FirstCrawl:
    """One ``sdc crawl`` child and the thread that reports on it."""

    def __init__(self, settings: Settings, hosts: list[str], budget: int, say: Callable[[str], None],
                 resume: bool = False) -> None:
        self.settings, self.hosts, self.budget, self.say = settings, hosts, budget, say
        self.log = settings.crawl_dir / LOG_NAME
        settings.crawl_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "sdc", "crawl", "--hosts", ",".join(hosts),
                   "--max-pages", str(budget)] + (["--resume"] if resume else [])
        env = {**os.environ, "SDC_DATA_DIR": str(settings.data_dir.resolve())}
        with self.log.open("ab") as out:
            # a session of its own: a Ctrl-C in the terminal reaches `sdc run`, which stops the
            # crawl once (a second SIGINT would force Scrapy to stop without its checkpoint)
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        self.pages = 0
        self._thread: threading.Thread | None = None
        self._stopping = False  # stopped by `sdc run` (Ctrl-C): not finished, whatever its exit code

    def _status(self, mode: str) -> None:
        write_status(self.settings.data_dir, {"mode": mode, "pages": self.pages, "budget": self.budget,
                                              "sites": self.hosts, "log": str(self.log)})

    def wait_first_pages(self, timeout: float = FIRST_PAGES_SECONDS) -> int:
        """Block until the index holds pages, the crawl ends or ``timeout`` passes; the pages."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pages = indexed_pages(self.settings.index_dir)
            self._status("crawling")
            if self.pages or self.process.poll() is not None:
                break
            time.sleep(POLL_SECONDS)
        return self.pages

    def follow(self) -> None:
        """Report on the crawl from a daemon thread until it ends."""
        self._thread = threading.Thread(target=self._follow, daemon=True, name="sdc-run-first-crawl")
        self._thread.start()

    def _follow(self) -> None:
        said = time.monotonic()
        while self.process.poll() is None:
            self.pages = indexed_pages(self.settings.index_dir)
            self._status("crawling")
            if time.monotonic() - said >= SAY_EVERY:
                self.say(f"first crawl: {self.pages} pages indexed of {self.budget} (log {self.log})")
                said = time.monotonic()
            time.sleep(POLL_SECONDS)
        self.finished()

    def finished(self) -> None:
        self.pages = indexed_pages(self.settings.index_dir)
        code = self.process.returncode
        if code == 0 and not self._stopping:
            self._status("web")
            self.say(f"first crawl finished: {self.pages} pages indexed; `sdc crawl` crawls every "
                     "site of the registry")
        else:  # stopped by Ctrl-C, or failed: the page says so; the next `sdc run` resumes it
            self._status("crawling")
            self.say(f"first crawl stopped (exit {code}) at {self.pages} pages; "
                     f"`make run` resumes it; log {self.log}")

    def last_lines(self, count: int = 3) -> list[str]:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if line.strip()][-count:]

    def wait(self) -> int:
        """Until the crawl ends (``sdc run --no-serve``); its exit code."""
        code = self.process.wait()
        if self._thread is not None:
            self._thread.join()
        else:
            self.finished()
        return code

    def stop(self, graceful: float = GRACEFUL_SECONDS, timeout: float = 30.0) -> None:
        """Stop the crawl as Ctrl-C does, then as a second Ctrl-C does if it is still fetching
        (Scrapy's graceful stop goes on with the queued pages); for good if it lingers still.

        A forced stop loses nothing: the crawl state and the frontier never say more than the
        index has committed, so the next ``sdc run`` fetches again what was not committed."""
        self._stopping = True
        for wait in (graceful, timeout):
            if self.process.poll() is not None:
                break
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                continue
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self._thread is not None:
            self._thread.join(timeout)
