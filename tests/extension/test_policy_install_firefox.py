"""A deployment by policy in Firefox ESR, for real: given the ``policies.json`` that ``sdc policies``
writes, Firefox installs the extension from ``sdc serve`` on loopback (``ExtensionSettings``),
applies the managed settings (``3rdparty``), marks a results page; then the trust list changes,
the service releases a higher version and Firefox updates to it (``gecko.update_url``).

The ``.xpi`` is not signed by Mozilla: Firefox ESR installs it because the test profile sets
``xpinstall.signatures.required`` to false, as an administration would on ESR (release builds of
Firefox ignore that preference and need an AMO-signed file).  Firefox reads the policies from its
``distribution/`` folder; the test mounts its own there, in a private mount namespace (root
only), so that no other Firefox on the machine sees it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.extension.connect_proxy import ConnectProxy
from tests.extension.e2e_support import ENGINES, PAGES
from tests.extension.serp_server import SerpServer
from tests.extension.test_e2e_firefox import QUIET_PREFS, proxy_prefs
from tests.extension.test_policy_install import TOKEN, can_isolate, classified, poll, sdc
from tests.served import free_port, stop_service, wait_until_serving

FIREFOX = os.environ.get("SDC_FIREFOX", "/usr/bin/firefox-esr")
DISTRIBUTION = Path("/usr/lib/firefox-esr/distribution")
GECKO_ID = "sources-de-confiance@sdc.extension"
SDC = [sys.executable, "-m", "sdc"]
ADDON_JS = """
const [id, resolve] = arguments;
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
AddonManager.getAddonByID(id).then(a => resolve(a ? {version: a.version, active: a.isActive} : null),
                                   e => resolve(null));
"""
UPDATE_JS = """
const [id, resolve] = arguments;
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
AddonManager.getAddonByID(id).then(addon => addon.findUpdates({
  onUpdateAvailable(a, install) {
    install.install().then(() => resolve("installed"), e => resolve(String(e)));
  },
  onNoUpdateAvailable() { resolve("none"); },
  onUpdateFinished() {},
}, AddonManager.UPDATE_WHEN_USER_REQUESTED));
"""


def wrapper(folder: Path, distribution: Path) -> Path:
    """Firefox in its own mount namespace, with ``distribution`` as its distribution/ folder.
    (Beside it, the install's .ini files: marionette-driver reads the version there.)"""
    (folder / "bin").mkdir()
    for ini in ("application.ini", "platform.ini"):
        if (DISTRIBUTION.parent / ini).is_file():
            (folder / "bin" / ini).symlink_to(DISTRIBUTION.parent / ini)
    script = folder / "bin" / "firefox-with-policies"
    script.write_text("#!/bin/sh\n"
                      "exec unshare --mount --propagation private sh -c "
                      f"'mount --bind \"$0\" {DISTRIBUTION} && exec \"$@\"' "
                      f"{distribution} {FIREFOX} \"$@\"\n")
    script.chmod(0o755)
    return script


@pytest.mark.skipif(not Path(FIREFOX).is_file() or not DISTRIBUTION.is_dir(), reason="no Debian firefox-esr")
@pytest.mark.skipif(not can_isolate(), reason="needs root and unshare (a private distribution/ folder)")
# marionette_driver's start-up port probe (raise_for_port) leaves a socket for the GC to close
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_firefox_installs_configures_and_updates_by_policy(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from marionette_driver import marionette
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SDC_DATA_DIR": str(tmp_path / "data"), "SDC_SHARED_DIR": str(tmp_path / "none"),
           "SDC_CURATOR_TOKEN": TOKEN}
    key = tmp_path / "keys" / "extension.pem"
    sdc(env, "extension", "keygen", "--out", str(key))
    sdc(env, "extension", "build", "--key", str(key), "--service-url", base)
    sdc(env, "policies", "--base-url", base, "--out", str(tmp_path / "policies"), "--mode", "service")
    distribution = tmp_path / "distribution"
    shutil.copytree(DISTRIBUTION, distribution)
    shutil.copy(tmp_path / "policies" / "firefox" / "extension" / "policies.json", distribution)
    policies = json.loads((distribution / "policies.json").read_text())["policies"]
    assert policies["3rdparty"]["Extensions"][GECKO_ID] == {"serviceUrl": base, "classification": "service"}

    service = subprocess.Popen([*SDC, "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_until_serving(service, base), "sdc serve did not start"
        page_host = ENGINES["google"].split("/")[2]
        pages = {page_host: (PAGES / "google.html").read_text("utf-8")}
        with (SerpServer(tmp_path, pages, "sdc.invalid", {}, lambda u: {}) as serp,
              ConnectProxy(serp.port) as proxy):
            prefs: dict[str, Any] = {
                **QUIET_PREFS, **proxy_prefs(proxy.port),
                # the service is reached directly on loopback; the engines through the proxy
                "network.proxy.no_proxies_on": "127.0.0.1", "network.proxy.allow_hijacking_localhost": False,
                "xpinstall.signatures.required": False,
                "extensions.update.enabled": True, "extensions.checkUpdateSecurity": False,
            }
            os.environ["MOZ_REMOTE_SETTINGS_DEVTOOLS"] = "1"
            try:
                client = marionette.Marionette(bin=str(wrapper(tmp_path, distribution)), headless=True,
                                               port=0, prefs=prefs, gecko_log=str(tmp_path / "gecko.log"),
                                               startup_timeout=60)
                client.start_session(capabilities={"acceptInsecureCerts": True})
            finally:
                os.environ.pop("MOZ_REMOTE_SETTINGS_DEVTOOLS", None)
            try:
                def addon() -> dict[str, Any] | None:
                    with client.using_context(client.CONTEXT_CHROME):
                        return client.execute_async_script(ADDON_JS, script_args=[GECKO_ID])

                first = poll(addon, 90, "the policy-installed add-on")
                assert first == {"version": "0.1.0.1", "active": True}
                client.navigate(ENGINES["google"])
                poll(lambda: client.execute_script("return !!document.querySelector('[data-sdc-counter]')"),
                     30, "marks")
                # the managed mode is "service": the results went to the managed service
                poll(lambda: classified(base) > 0, 20, "POST /api/classify on the managed service")

                answer = httpx.post(f"{base}/api/curator/allow", headers={"Authorization": f"Bearer {TOKEN}"},
                                    json={"host": "caf.fr", "reason": "policy test"})
                assert answer.status_code == 200, answer.text
                with client.using_context(client.CONTEXT_CHROME):
                    assert client.execute_async_script(UPDATE_JS, script_args=[GECKO_ID]) == "installed"
                poll(lambda: (addon() or {}).get("version") == "0.1.0.2", 60, "the update to 0.1.0.2")
            finally:
                client.delete_session()
                client.cleanup()
    finally:
        print("\n".join(line for line in stop_service(service).splitlines() if "/api/stats" not in line))
