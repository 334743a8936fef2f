"""End to end: the Firefox build of the extension in real headless Firefox ESR.

The same saved results pages and expectations as the Chromium test
(``test_e2e_chromium.py``): the pages are served on loopback at the engines'
real URLs.  Firefox has no ``--host-resolver-rules``, so its proxy points at
``ConnectProxy``, which tunnels every ``CONNECT`` to the SERP server and
records the hosts asked for.  Firefox is driven through its built-in
Marionette (the ``marionette-driver`` client); the extension is installed as
a temporary add-on from its unpacked build, as ``about:debugging`` does.
"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.extension.connect_proxy import ConnectProxy
from tests.extension.e2e_support import (
    ENGINES,
    FALLBACK_URL,
    MARKS_JS,
    SERVICE_HOST,
    check_marks,
    prepare,
)
from tests.extension.serp_server import SerpServer
from tests.served import wait_for

FIREFOX = os.environ.get("SDC_FIREFOX", "/usr/bin/firefox-esr")
#: marionette_driver's ``raise_for_port`` leaks a socket per failed connect while Firefox starts
#: (``TcpTransport.connect`` makes it before connecting; ``close()`` then skips it): a third-party
#: ResourceWarning, ignored in this module only (warnings are errors everywhere else)
pytestmark = pytest.mark.filterwarnings(
    "ignore:unclosed <socket.socket:ResourceWarning",
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning",
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
GECKO_ID = "sources-de-confiance@sdc.extension"
#: fixed in advance (pref extensions.webextensions.uuids) so the extension's pages have a known origin
UUID = "5dc0e2e0-f1ef-4c0f-9a5e-5dc000000001"
BASE = f"moz-extension://{UUID}"

#: no request of Firefox's own may leave the machine (they would show up in the proxy's record)
QUIET_PREFS: dict[str, Any] = {
    "app.update.auto": False,
    "app.update.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    "browser.safebrowsing.provider.google4.updateURL": "",
    "browser.search.update": False,
    "browser.newtabpage.enabled": False,
    "browser.startup.homepage": "about:blank",
    "browser.startup.page": 0,
    "browser.ping-centre.telemetry": False,
    "datareporting.healthreport.uploadEnabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.update.enabled": False,
    "extensions.blocklist.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.http.speculative-parallel-limit": 0,
    "network.prefetch-next": False,
    "network.trr.mode": 5,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.archive.enabled": False,
    "services.sync.enabled": False,
}

def proxy_prefs(port: int) -> dict[str, Any]:
    """Every HTTP(S) request through the recording proxy; none sent direct."""
    return {
        "network.proxy.type": 1,
        "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": port,
        "network.proxy.http": "127.0.0.1", "network.proxy.http_port": port,
        "network.proxy.share_proxy_settings": False,
        "network.proxy.no_proxies_on": "",
        "network.proxy.allow_hijacking_localhost": True,
        "network.proxy.socks_remote_dns": True,
    }


@pytest.fixture(scope="module")
def firefox_setup(
    tmp_path_factory: pytest.TempPathFactory, node: str, extension_dir: Path
) -> Iterator[dict[str, Any]]:
    if not Path(FIREFOX).is_file() or shutil.which(FIREFOX) is None:
        pytest.skip(f"{FIREFOX} is absent (apt-get install firefox-esr)")
    # a dev dependency (pyproject.toml): its absence is an install error, not a reason to skip;
    # its mozbase imports warn about deprecated stdlib modules we do not control
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from marionette_driver import addons, marionette
    tmp = tmp_path_factory.mktemp("e2e-firefox")
    prepared = prepare(tmp, node, extension_dir, "firefox")
    packed, served, unpacked, pages = prepared.packed, prepared.served, prepared.unpacked, prepared.pages

    with (SerpServer(tmp, pages, SERVICE_HOST, served, prepared.classify) as server,
          ConnectProxy(server.port) as proxy):
        prefs = {**QUIET_PREFS, **proxy_prefs(proxy.port),
                 "extensions.webextensions.uuids": json.dumps({GECKO_ID: UUID})}
        # release builds ignore services.settings.server (set to a dummy by marionette-driver)
        # unless this is set: without it, Remote Settings polls Mozilla at startup
        os.environ["MOZ_REMOTE_SETTINGS_DEVTOOLS"] = "1"
        try:
            client = marionette.Marionette(bin=FIREFOX, headless=True, port=0, prefs=prefs,
                                           gecko_log=str(tmp / "gecko.log"), startup_timeout=60)
            # the SERP server's certificate is self-signed (Chromium: --ignore-certificate-errors)
            client.start_session(capabilities={"acceptInsecureCerts": True})
        finally:
            os.environ.pop("MOZ_REMOTE_SETTINGS_DEVTOOLS", None)
        try:
            addon_id = addons.Addons(client).install(str(unpacked), temp=True)
            assert addon_id == GECKO_ID
            yield {"client": client, "server": server, "proxy": proxy, "packed": packed, "served": served}
        finally:
            client.delete_session()
            client.cleanup()


def open_page(setup: dict[str, Any], url: str) -> Any:
    client = setup["client"]
    client.navigate(url)
    wait_for(lambda: client.execute_script("return !!document.querySelector('[data-sdc-counter]')"),
             f"the counter bar on {url}")
    return client


def marks(client: Any) -> list[dict[str, Any]]:
    """As in the Chromium test: for each data-test element, expected and actual marks."""
    return client.execute_script(MARKS_JS)


def counter(client: Any) -> str:
    return client.execute_script("return document.querySelector('[data-sdc-counter]').dataset.sdcCounter")


def extension_page(setup: dict[str, Any], path: str) -> Any:
    """An extension page in the current tab; scripts run in its own scope (``browser`` visible)."""
    client = setup["client"]
    client.navigate(f"{BASE}/{path}")
    return client


def run_in_page(client: Any, script: str, *args: Any) -> Any:
    return client.execute_script(script, script_args=args, sandbox=None)


@pytest.mark.parametrize("engine", list(ENGINES))
def test_badges_counter_and_filter(firefox_setup: dict[str, Any], engine: str) -> None:
    from marionette_driver.by import By

    client = open_page(firefox_setup, ENGINES[engine])
    trusted, total = check_marks(marks(client))
    assert trusted >= 2 and total > trusted
    assert counter(client) == f"{trusted}/{total}"
    bar = client.find_element(By.CSS_SELECTOR, "[data-sdc-counter]")
    assert f"{trusted} sources de confiance parmi les {total} résultats" in bar.text
    button = client.find_element(By.CSS_SELECTOR, "[data-sdc-counter] [data-sdc-filter]")
    assert button.text == "Sources de confiance uniquement"
    button.click()
    hidden = [m for m in marks(client) if m["test"] in ("trusted", "untrusted")]
    assert all(m["visible"] == (m["test"] == "trusted") for m in hidden), hidden
    assert button.text == "Afficher tous les résultats"
    if engine == "google":
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "extension-firefox-google-filtered.png").write_bytes(client.screenshot(format="binary"))
    button.click()
    assert all(m["visible"] for m in marks(client) if m["test"] in ("trusted", "untrusted"))


def test_results_loaded_later_are_marked(firefox_setup: dict[str, Any]) -> None:
    client = open_page(firefox_setup, ENGINES["bing"])
    trusted, total = map(int, counter(client).split("/"))
    client.execute_script("""
        const li = document.querySelector('#b_results > li.b_algo').cloneNode(true);
        for (const m of li.querySelectorAll('[data-sdc-badge]')) m.remove();
        li.removeAttribute('data-sdc-trusted');
        li.querySelector('h2 > a').href = 'https://www.ameli.fr/assure/droits-demarches';
        li.id = 'later';
        document.querySelector('#b_results > li.b_pag').before(li);
    """, sandbox=None)
    wait_for(lambda: client.execute_script(
        "return !!document.querySelector(\"#later[data-sdc-trusted='true'] [data-sdc-badge='sante']\")"),
        "the result added later to be marked")
    wait_for(lambda: counter(client) == f"{trusted + 1}/{total + 1}", "the counter to follow")


def test_more_results_are_marked_when_they_load(firefox_setup: dict[str, Any]) -> None:
    from marionette_driver.by import By

    client = open_page(firefox_setup, ENGINES["duckduckgo-js"])
    assert counter(client) == "2/3"
    client.find_element(By.XPATH, "//button[normalize-space()='Plus de résultats']").click()
    wait_for(lambda: client.execute_script(
        "return !!document.querySelector(\"#r1-9[data-sdc-trusted='true'] [data-sdc-badge='etat']\")"),
        "the results loaded later to be marked")
    wait_for(lambda: counter(client) == "3/4", "the counter to follow")
    check_marks(marks(client))


def test_popup_shows_the_counts_of_the_page(firefox_setup: dict[str, Any]) -> None:
    client = open_page(firefox_setup, ENGINES["qwant"])
    trusted, total = map(int, counter(client).split("/"))
    serp = client.current_window_handle
    client.switch_to_window(client.open(type="tab")["handle"])
    try:
        extension_page(firefox_setup, "popup/popup.html")
        # the SERP is the other tab of this window, now in the background
        tab_id = run_in_page(client, """
            return browser.tabs.query({active: false, currentWindow: true}).then(([tab]) => tab.id);""")
        extension_page(firefox_setup, f"popup/popup.html?tab={tab_id}")
        text = f"Qwant : {trusted} sources de confiance parmi les {total} résultats"
        wait_for(lambda: run_in_page(client, "return document.getElementById('counts').textContent") == text,
                 "the popup's counts")
    finally:
        client.close()
        client.switch_to_window(serp)


def test_generic_fallback_when_selectors_find_nothing(firefox_setup: dict[str, Any]) -> None:
    client = open_page(firefox_setup, FALLBACK_URL)
    assert check_marks(marks(client)) == (3, 6)
    extension_page(firefox_setup, "options/options.html")
    wait_for(lambda: run_in_page(client, "return !!document.querySelector(\"[data-sdc-fallback='google']\")"),
             "the options page to list google's fallback")


def test_list_updated_from_service_and_nothing_else_contacted(firefox_setup: dict[str, Any]) -> None:
    setup = firefox_setup
    open_page(setup, ENGINES["google"])  # self-contained under pytest-xdist
    client = extension_page(setup, "options/options.html")
    version = setup["served"]["version"]
    wait_for(lambda: version in run_in_page(client, "return document.getElementById('status').textContent"),
             f"the options page to show the served list {version}")
    service = [r for r in setup["server"].requests if r[1] == SERVICE_HOST and r[0] == "GET"]
    assert service == [("GET", SERVICE_HOST, "/extension/trustlist.json")]
    allowed = {url.split("/")[2] for url in ENGINES.values()} | {"www.google.com", SERVICE_HOST}
    contacted = set(setup["proxy"].hosts)
    # the proxy sees every connection Firefox opens: the pages', the background's, Firefox's own
    assert {next(iter(ENGINES.values())).split("/")[2], SERVICE_HOST} <= contacted
    assert contacted <= allowed, contacted - allowed
    assert {host for _, host, _ in setup["server"].requests} <= allowed


def set_classification(client: Any, mode: str) -> None:
    """The user's choice, then the background's republishing of it in storage.local (where a
    content script reads it): a page opened in between still follows the previous mode."""
    run_in_page(client, "return browser.storage.sync.set({classification: arguments[0]})", mode)
    wait_for(lambda: run_in_page(
        client, "return browser.storage.local.get('sdc:settings')"
        ".then(got => (got['sdc:settings'] || {}).classification === arguments[0])", mode),
        f"the {mode} mode published")


def test_service_mode_asks_the_configured_service_only(firefox_setup: dict[str, Any]) -> None:
    setup = firefox_setup
    client = extension_page(setup, "options/options.html")
    set_classification(client, "service")
    before = len(setup["server"].classified)
    try:
        open_page(setup, ENGINES["ecosia"])
        assert check_marks(marks(client)) == (2, 4)
        assert len(setup["server"].classified) - before == 4
        assert ("POST", SERVICE_HOST, "/api/classify") in setup["server"].requests
    finally:
        extension_page(setup, "options/options.html")
        set_classification(client, "local")
