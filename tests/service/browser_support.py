"""What the browser test modules share: Debian's Chromium and its flags, Firefox ESR over Marionette,
the screenshots' folder, and the app served by uvicorn on a free loopback port in a thread."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.served import uvicorn_in_thread

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@contextmanager
def served_in_thread(app: Any) -> Iterator[str]:
    """``app`` under uvicorn in a daemon thread; yields its base URL, stops it on exit."""
    with uvicorn_in_thread(app) as running:
        yield f"http://127.0.0.1:{running.port}"


def wait(probe: Any, what: str, timeout: float = 15.0) -> Any:
    """Poll ``probe`` until it returns something truthy (Marionette has no wait_for_url)."""
    deadline = time.monotonic() + timeout
    while not (value := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
    return value


FIREFOX = "/usr/bin/firefox-esr"
#: Firefox's own requests kept off the network (updates, telemetry, Safe Browsing, search updates)
FIREFOX_PREFS: dict[str, object] = {
    "app.update.auto": False, "app.update.enabled": False, "browser.search.update": False,
    "browser.safebrowsing.malware.enabled": False, "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False, "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False, "toolkit.telemetry.enabled": False,
    "extensions.update.enabled": False, "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False, "network.dns.disablePrefetch": True,
    "browser.startup.homepage": "about:blank", "browser.startup.page": 0,
}


@contextmanager
def firefox(log: Path) -> Iterator[Any]:
    """A headless Firefox ESR driven over Marionette (as tests/extension does), closed on exit."""
    import os
    import warnings

    with warnings.catch_warnings():  # mozbase imports deprecated stdlib modules
        warnings.simplefilter("ignore", DeprecationWarning)
        from marionette_driver import marionette
    # release builds ignore the dummy Remote Settings server marionette-driver sets, without this
    os.environ["MOZ_REMOTE_SETTINGS_DEVTOOLS"] = "1"
    try:
        client = marionette.Marionette(bin=FIREFOX, headless=True, port=0, prefs=FIREFOX_PREFS,
                                       gecko_log=str(log), startup_timeout=60)
        client.start_session()
    finally:
        os.environ.pop("MOZ_REMOTE_SETTINGS_DEVTOOLS", None)
    try:
        yield client
    finally:
        client.delete_session()
        client.cleanup()
