"""A deployment by policy, for real: Debian's Chromium, given the files ``sdc policies`` writes,
installs the signed extension by itself from ``sdc serve`` on loopback, applies the managed
settings (mode and service URL, locked), marks a results page; then the trust list changes, the
service releases a higher version, and Chromium updates to it.

Chromium reads its policies from /etc/chromium/policies/managed/.  So that no other browser on the
machine sees them, Chromium runs in a private mount namespace (``unshare``, root only) in which a
temporary folder is mounted over /etc/chromium; the test skips where that is not possible."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.extension.cdp import Cdp, connect_to
from tests.extension.e2e_support import ENGINES, PAGES
from tests.extension.serp_server import SerpServer
from tests.served import free_port, stop_service, wait_for, wait_until_serving

CHROMIUM = os.environ.get("SDC_CHROMIUM", "/usr/bin/chromium")
SDC = [sys.executable, "-m", "sdc"]
TOKEN = "policy-test-token"


def can_isolate() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    return done.returncode == 0


def sdc(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*SDC, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def wrapper(folder: Path, etc: Path) -> Path:
    """Chromium in its own mount namespace, with ``etc`` as its /etc/chromium."""
    script = folder / "chromium-with-policies"
    script.write_text("#!/bin/sh\n"
                      f"exec unshare --mount --propagation private sh -c "
                      f"'mount --bind \"$0\" /etc/chromium && exec \"$@\"' {etc} {CHROMIUM} \"$@\"\n")
    script.chmod(0o755)
    return script


def classified(base: str) -> int:
    return int(httpx.get(f"{base}/api/stats").json()["classified"]["classified_total"])


def poll(probe: Any, timeout: float, what: str) -> Any:
    return wait_for(probe, what, timeout)


def attempt(cdp: Cdp, session: str, expression: str) -> Any:
    """``expression`` evaluated, or None while the target is not ready for it."""
    try:
        return cdp.evaluate(session, expression)
    except RuntimeError:
        return None


def check_deployment(cdp: Cdp, ident: str, base: str) -> None:
    extensions = cdp.open("chrome://extensions")

    def installed() -> dict[str, Any] | None:
        found = cdp.evaluate(extensions, "new Promise(r => chrome.management.getAll(r))")
        return next((e for e in found if e["id"] == ident), None)

    first = poll(installed, 90, "the policy-installed extension")
    assert first["version"] == "0.1.0.1"
    assert first["installType"] == "admin" and first["mayDisable"] is False
    assert first["updateUrl"] == f"{base}/extension/updates.xml"
    worker = poll(lambda: next((t for t in cdp.targets() if t["type"] == "service_worker"
                                and ident in t["url"]), None), 30, "the extension's service worker")
    background = cdp.attach(worker["targetId"])
    managed = {"serviceUrl": base, "classification": "service"}
    # the extension's policy domain is loaded once the extension (and its schema) is installed
    poll(lambda: attempt(cdp, background, "chrome.storage.managed.get()") == managed, 60, "managed settings")

    # the options page shows the managed keys locked
    options = cdp.open(f"chrome-extension://{ident}/options/options.html")
    locked = ("[...document.querySelectorAll('#serviceUrl, [name=classification]')]"
              ".map(e => [e.value, e.disabled])")
    shown = poll(lambda: attempt(cdp, options, f"document.querySelector('#serviceUrl')?.value && {locked}"),
                 20, "the options page")
    assert [base, True] in shown and all(disabled for _value, disabled in shown), shown

    page = cdp.open(ENGINES["google"])
    poll(lambda: attempt(cdp, page, "!!document.querySelector('[data-sdc-counter]')"), 30, "marks")
    assert cdp.evaluate(page, "document.querySelectorAll('[data-sdc-trusted]').length") >= 3
    # the managed mode is "service": the results went to the managed service
    poll(lambda: classified(base) > 0, 20, "POST /api/classify on the managed service")

    # the trust list changes: a curator trusts one more host; the service releases 0.1.0.2
    answer = httpx.post(f"{base}/api/curator/allow", headers={"Authorization": f"Bearer {TOKEN}"},
                        json={"host": "caf.fr", "reason": "policy test"})
    assert answer.status_code == 200, answer.text
    assert 'version="0.1.0.2"' in httpx.get(f"{base}/extension/updates.xml").text

    def updated() -> bool:
        # Chromium checks every few hours: ask now, as the Update button of chrome://extensions does
        attempt(cdp, extensions, "new Promise(r => chrome.developerPrivate.autoUpdate(r))")
        return (installed() or {}).get("version") == "0.1.0.2"

    poll(updated, 120, "the update to 0.1.0.2")
    cdp.send("Page.reload", session=page)
    poll(lambda: attempt(cdp, page, "!!document.querySelector('[data-sdc-counter]')"), 30,
         "marks after update")


@pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"{CHROMIUM} is absent")
@pytest.mark.skipif(not can_isolate(), reason="needs root and unshare (a private /etc/chromium)")
def test_chromium_installs_configures_and_updates_by_policy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SDC_DATA_DIR": str(data), "SDC_SHARED_DIR": str(tmp_path / "none"),
           "SDC_CURATOR_TOKEN": TOKEN}
    key = tmp_path / "keys" / "extension.pem"
    keygen = sdc(env, "extension", "keygen", "--out", str(key))
    ident = keygen.split("chromium extension id: ")[1].split()[0]
    sdc(env, "extension", "build", "--key", str(key), "--service-url", base)
    sdc(env, "policies", "--base-url", base, "--out", str(tmp_path / "policies"), "--mode", "service")
    etc = tmp_path / "etc-chromium"
    (etc / "policies" / "managed").mkdir(parents=True)
    shutil.copy(tmp_path / "policies" / "chrome" / "linux" / "sources-de-confiance-extension.json",
                etc / "policies" / "managed")
    # by default Chromium refuses DevTools (hence the test) on extensions installed by policy
    (etc / "policies" / "managed" / "test-devtools.json").write_text('{"DeveloperToolsAvailability": 1}')
    policy = json.loads((etc / "policies" / "managed" / "sources-de-confiance-extension.json").read_text())
    assert policy["ExtensionSettings"][ident] == {"installation_mode": "force_installed",
                                                  "update_url": f"{base}/extension/updates.xml"}
    assert policy["3rdparty"]["extensions"][ident] == {"serviceUrl": base, "classification": "service"}

    service = subprocess.Popen([*SDC, "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_until_serving(service, base), "sdc serve did not start"
        first = httpx.get(f"{base}/extension/updates.xml").text
        assert f'appid="{ident}"' in first and 'version="0.1.0.1"' in first
        page_host = ENGINES["google"].split("/")[2]
        pages = {page_host: (PAGES / "google.html").read_text("utf-8")}
        profile = tmp_path / "profile"
        with SerpServer(tmp_path, pages, "sdc.invalid", {}, lambda u: {}) as serp:
            browser = subprocess.Popen(
                [str(wrapper(tmp_path, etc)), "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--no-first-run",
                 "--remote-debugging-port=0", f"--user-data-dir={profile}",
                 "--ignore-certificate-errors",
                 f"--host-resolver-rules=MAP {page_host} 127.0.0.1:{serp.port}",
                 "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                with connect_to(profile) as ws:
                    check_deployment(Cdp(ws), ident, base)
            finally:
                browser.terminate()
                browser.wait(timeout=30)
    finally:
        print("\n".join(line for line in stop_service(service).splitlines() if "/api/stats" not in line))
