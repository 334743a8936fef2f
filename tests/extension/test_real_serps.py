"""End to end on the 42 real saved result pages of seven engines (``../shared/data/serp``):
the built extension, in real headless Chromium and Firefox, must recognise the organic results
(the link the user clicks, resolved to its target) and nothing else.  Skips when the pages are
absent.  Each run writes its per-engine report (tuning and held-out halves, time to mark: the first
page right after install, pages after the background was stopped (Chromium's service worker,
Firefox's event page), warm pages) to
``test-artifacts/real-serps-<browser>.json``; time is reported, not asserted (speed targets are
benchmarks' business, and the machine is shared)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sources.trustlist import build_trustlist, write_trustlist
from tests.extension import real_serps
from tests.extension.connect_proxy import ConnectProxy
from tests.extension.e2e_support import SERVICE_HOST
from tests.extension.real_serp_run import (
    COLLECT_JS,
    DONE_JS,
    check_targets,
    documents,
    hosts,
    real_registry,
    run_all,
)
from tests.extension.serp_server import SerpServer
from tests.extension.test_e2e_firefox import GECKO_ID, QUIET_PREFS, proxy_prefs

pytestmark = pytest.mark.skipif(not real_serps.available(), reason=f"no saved pages in {real_serps.SERP_DIR}")

CHROMIUM = os.environ.get("SDC_CHROMIUM", "/usr/bin/chromium")
FIREFOX = os.environ.get("SDC_FIREFOX", "/usr/bin/firefox-esr")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
#: the extension marks a page once; a page it finds nothing on never gets a counter
WAIT_S = 8.0
TERMINATE_JS = """
const [id, done] = arguments;
const { ExtensionParent } = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
const extension = ExtensionParent.GlobalManager.getExtension(id);
if (!extension) { done("absent"); return; }
Promise.resolve(extension.terminateBackground()).then(() => done(String(extension.backgroundState)),
                                                      (error) => done(`error ${error}`));
"""


def build(tmp: Path, node: str, extension_dir: Path, browser: str) -> tuple[Path, dict[str, Any]]:
    classifier = real_registry()
    write_trustlist(classifier, tmp / "packed.json", now=datetime(2026, 1, 1, tzinfo=UTC))
    served = build_trustlist(classifier, now=datetime(2026, 1, 1, tzinfo=UTC))
    unpacked = tmp / browser
    subprocess.run([node, str(extension_dir / "scripts" / "build.js"), "--browser", browser,
                    "--out", str(unpacked), "--service-url", f"https://{SERVICE_HOST}",
                    "--trustlist", str(tmp / "packed.json")], check=True, capture_output=True)
    return unpacked, served


def poll(probe: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe():
            return True
        time.sleep(0.05)
    return False


def test_chromium_on_real_pages(tmp_path: Path, node: str, extension_dir: Path) -> None:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is absent")
    playwright_api = pytest.importorskip("playwright.sync_api")
    serps = real_serps.load()
    unpacked, served = build(tmp_path, node, extension_dir, "chromium")
    classifier = real_registry()
    with SerpServer(tmp_path, {}, SERVICE_HOST, served, lambda u: classifier.classify(u).to_dict(),
                    documents(serps)) as server, playwright_api.sync_playwright() as p:
        rules = ", ".join(f"MAP {h} 127.0.0.1:{server.port}" for h in [*hosts(serps), SERVICE_HOST])
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=False,
            args=["--headless=new", f"--disable-extensions-except={unpacked}", f"--load-extension={unpacked}",
                  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--ignore-certificate-errors", f"--host-resolver-rules={rules}, MAP * ~NOTFOUND"])
        try:
            if not context.service_workers:
                context.wait_for_event("serviceworker")
            page = context.new_page()
            cdp = context.new_cdp_session(page)

            def stop_worker() -> bool:
                """Stop the extension's service worker, as Chromium does after 30 s idle."""
                targets = cdp.send("Target.getTargets")["targetInfos"]
                workers = [t for t in targets if t["type"] == "service_worker"
                           and t["url"].startswith("chrome-extension://")]
                for worker in workers:
                    cdp.send("Target.closeTarget", {"targetId": worker["targetId"]})
                return bool(workers)

            def visit(serp: real_serps.Serp) -> dict[str, Any]:
                page.goto(serp.url, wait_until="domcontentloaded")
                try:
                    page.wait_for_selector("[data-sdc-counter]", timeout=WAIT_S * 1000, state="attached")
                except playwright_api.TimeoutError:
                    return {}
                return page.evaluate(f"() => {{ {COLLECT_JS} }}")

            report = run_all(serps, "chromium", visit, stop_background=stop_worker)
        finally:
            context.close()
    print("\n".join(report.lines()), f"\nreport: {report.write(ARTIFACTS)}")
    check_targets(report)


# marionette_driver's start-up port probe (raise_for_port) leaves a socket for the GC to close
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_firefox_on_real_pages(tmp_path: Path, node: str, extension_dir: Path) -> None:
    if not Path(FIREFOX).is_file() or shutil.which(FIREFOX) is None:
        pytest.skip(f"{FIREFOX} is absent")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from marionette_driver import addons, marionette
    serps = real_serps.load()
    unpacked, served = build(tmp_path, node, extension_dir, "firefox")
    classifier = real_registry()
    with (SerpServer(tmp_path, {}, SERVICE_HOST, served, lambda u: classifier.classify(u).to_dict(),
                     documents(serps)) as server, ConnectProxy(server.port) as proxy):
        prefs = {**QUIET_PREFS, **proxy_prefs(proxy.port)}
        os.environ["MOZ_REMOTE_SETTINGS_DEVTOOLS"] = "1"
        try:
            client = marionette.Marionette(bin=FIREFOX, headless=True, port=0, prefs=prefs,
                                           gecko_log=str(tmp_path / "gecko.log"), startup_timeout=60)
            client.start_session(capabilities={"acceptInsecureCerts": True, "pageLoadStrategy": "eager"})
        finally:
            os.environ.pop("MOZ_REMOTE_SETTINGS_DEVTOOLS", None)
        try:
            assert addons.Addons(client).install(str(unpacked), temp=True) == GECKO_ID

            def stop_background() -> bool:
                """Stop the event page, as Firefox does after 30 s idle (what about:debugging's
                "Terminate background script" calls; chrome code, test only)."""
                with client.using_context("chrome"):
                    state = client.execute_async_script(TERMINATE_JS, script_args=[GECKO_ID])
                return bool(state == "stopped")

            def visit(serp: real_serps.Serp) -> dict[str, Any]:
                client.navigate(serp.url)
                if not poll(lambda: client.execute_script(DONE_JS), WAIT_S):
                    return {}
                return client.execute_script(COLLECT_JS)

            report = run_all(serps, "firefox", visit, stop_background=stop_background)
        finally:
            client.delete_session()
            client.cleanup()
    print("\n".join(report.lines()), f"\nreport: {report.write(ARTIFACTS)}")
    check_targets(report)
