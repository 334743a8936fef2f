"""``sdc serve`` (real uvicorn in a subprocess) and ``sdc policies``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.served import start_service, stop_service

SDC = [sys.executable, "-m", "sdc"]


@pytest.fixture()
def served(writable_data: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process, base = start_service(writable_data)
    yield process, base
    if process.poll() is None:
        stop_service(process)


def test_serve_logs_requests_without_queries_or_urls(served) -> None:
    process, base = served
    assert httpx.get(f"{base}/recherche", params={"q": "dossier medical secret"}).status_code == 200
    assert httpx.get(f"{base}/api/classify", params={"url": "https://confidentiel.example/x"}).json()
    output = stop_service(process)
    assert "GET /recherche HTTP/1.1" in output and "GET /api/classify HTTP/1.1" in output
    assert "secret" not in output and "confidentiel" not in output
    requests = [line for line in output.splitlines() if '"GET ' in line]
    assert requests and not any("127.0.0.1" in line for line in requests)  # no client address


def test_two_workers_share_the_usage_counters(writable_data: Path) -> None:
    for leftover in writable_data.glob("usage.sqlite3*"):  # counts of other tests' apps
        leftover.unlink()
    process, base = start_service(writable_data, "--workers", "2", "--no-access-log")
    try:
        for _ in range(20):  # new connections: the kernel spreads them over the workers
            with httpx.Client() as client:
                client.post(f"{base}/api/classify", json={"urls": ["https://www.lyon.fr/"] * 5})
        deadline = time.monotonic() + 15  # each worker flushes about once a second
        while True:
            usage = httpx.get(f"{base}/api/stats").json()["classified"]
            if usage["classified_total"] >= 100 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert usage["classified_total"] == 100 and usage["trusted_total"] == 100
    finally:
        stop_service(process)
    again, base = start_service(writable_data, "--no-access-log")
    try:
        assert httpx.get(f"{base}/api/stats").json()["classified"]["classified_total"] == 100
    finally:
        stop_service(again)


def test_policies_for_firefox_chrome_and_edge(tmp_path: Path) -> None:
    result = subprocess.run([*SDC, "policies", "--base-url", "https://recherche.example.fr/",
                             "--out", str(tmp_path)], capture_output=True, text=True, check=True)
    assert len(result.stdout.splitlines()) == 5
    firefox = json.loads((tmp_path / "firefox" / "policies.json").read_text())["policies"]["SearchEngines"]
    assert firefox["Default"] == "Sources de Confiance"
    engine = firefox["Add"][0]
    assert engine["URLTemplate"] == "https://recherche.example.fr/recherche?q={searchTerms}"
    assert engine["SuggestURLTemplate"] == "https://recherche.example.fr/api/suggest?q={searchTerms}"
    chrome = json.loads((tmp_path / "chrome" / "linux" / "sources-de-confiance.json").read_text())
    assert chrome["DefaultSearchProviderEnabled"] is True
    assert chrome["DefaultSearchProviderSearchURL"] == engine["URLTemplate"]
    reg = (tmp_path / "edge" / "windows" / "sources-de-confiance.reg").read_text()
    assert reg.startswith("Windows Registry Editor Version 5.00")
    assert r"[HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Edge]" in reg
    assert '"DefaultSearchProviderEnabled"=dword:00000001' in reg


@pytest.mark.parametrize("base_url", ["ftp://x.fr", "recherche.example.fr", "https://x.fr/?a=1"])
def test_policies_refuse_a_bad_base_url(tmp_path: Path, base_url: str) -> None:
    result = subprocess.run([*SDC, "policies", "--base-url", base_url, "--out", str(tmp_path)],
                            capture_output=True, text=True, env={**os.environ, "SDC_PUBLIC_BASE_URL": ""})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "base-url" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_on_a_taken_port_fails_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([*SDC, "serve", "--port", str(port)], capture_output=True, text=True,
                                env={**os.environ, "SDC_DATA_DIR": str(tmp_path)}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"sdc: error: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in result.stderr
