"""A real ``sdc serve`` for the hostile-input tests: the service's test registry and index, plus a
page of 50 MB indexed through the real CLI, short client timeouts and a curator token."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from tests.served import free_port, wait_until_serving
from tests.service.conftest import CURATOR_TOKEN, build

#: seconds a client has for its headers and its body in these tests (production: 10 and 30)
HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 2.0
BIG_PAGE_URL = "https://www.caf.fr/enorme"
BIG_PAGE_BYTES = 50 * 1024 * 1024


@dataclass
class Served:
    base: str
    pid: int
    data_dir: Path

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.base.removeprefix("http://").partition(":")
        return host, int(port)


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its children, from /proc."""
    total = 0
    for candidate in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{candidate}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _children(c)]


def sdc(data_dir: Path, *args: str, stdin: bytes | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """The real CLI, in a subprocess, on ``data_dir``."""
    env = {**os.environ, "SDC_DATA_DIR": str(data_dir), "SDC_SHARED_DIR": str(data_dir / "none")}
    env.pop("SDC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "sdc", *args], env=env, input=stdin,
                          capture_output=True, timeout=timeout, check=False)


def big_page(path: Path) -> Path:
    sentence = b"Les allocations familiales sont versees aux familles, demarche carte grise. "
    body = sentence * (BIG_PAGE_BYTES // len(sentence))
    path.write_bytes(orjson.dumps({"url": BIG_PAGE_URL, "title": "Page gigantesque",
                                   "body": body.decode()}) + b"\n")
    return path


@pytest.fixture(scope="session")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("hostile") / "data"
    data_dir.mkdir()
    build(data_dir)
    run = sdc(data_dir, "index", "add", str(big_page(data_dir / "big.jsonl")))
    assert run.returncode == 0, run.stderr
    (data_dir / "big.jsonl").unlink()
    return data_dir


@pytest.fixture(scope="session")
def served(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One worker (its RSS is the process's); output to a file, never a pipe that could fill."""
    port = free_port()
    env = {**os.environ, "SDC_DATA_DIR": str(hostile_data), "SDC_SHARED_DIR": str(hostile_data / "none"),
           "SDC_CURATOR_TOKEN": CURATOR_TOKEN, "SDC_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
           "SDC_BODY_TIMEOUT": str(BODY_TIMEOUT)}
    log = (tmp_path_factory.mktemp("hostile-log") / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "sdc", "serve", "--port", str(port),
                                "--no-access-log"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_serving(process, base), Path(log.name).read_text()
        yield Served(base, process.pid, hostile_data)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
