"""End to end: the unpacked extension in real headless Chromium on saved results pages.

Each engine's saved page (``pages/<engine>.html``, written after the engine's
real markup) is served on loopback at the engine's real URL.  Marks in the
pages say what must happen: ``data-test="trusted"`` / ``"untrusted"`` on each
organic result, ``data-test="none"`` on ads, navigation and "People also ask"
boxes, which must get no badge and no mark at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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

CHROMIUM = os.environ.get("SDC_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser_setup(
    tmp_path_factory: pytest.TempPathFactory, node: str, extension_dir: Path
) -> Iterator[dict[str, Any]]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    tmp = tmp_path_factory.mktemp("e2e")
    prepared = prepare(tmp, node, extension_dir, "chromium")
    packed, served, unpacked, pages = prepared.packed, prepared.served, prepared.unpacked, prepared.pages

    with SerpServer(tmp, pages, SERVICE_HOST, served, prepared.classify) as server:
        rules = ", ".join(f"MAP {host} 127.0.0.1:{server.port}" for host in [*pages, SERVICE_HOST])
        # lets the request recorder see the background's requests too (read at launch)
        os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
        with playwright_api.sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(tmp / "profile"), executable_path=CHROMIUM, headless=False,
                args=[
                    "--headless=new", f"--disable-extensions-except={unpacked}",
                    f"--load-extension={unpacked}",
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--ignore-certificate-errors", f"--host-resolver-rules={rules}, MAP * ~NOTFOUND",
                ],
            )
            requested: list[str] = []
            context.on("request", lambda request: requested.append(request.url))
            workers = context.service_workers
            worker = workers[0] if workers else context.wait_for_event("serviceworker")
            extension_id = worker.url.split("/")[2]
            try:
                yield {"context": context, "server": server, "requested": requested, "id": extension_id,
                       "packed": packed, "served": served}
            finally:
                context.close()
                os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)


def open_page(setup: dict[str, Any], url: str) -> Any:
    page = setup["context"].new_page()
    page.goto(url)
    page.wait_for_selector("[data-sdc-counter]", timeout=15_000)
    return page


def marks(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(f"() => {{ {MARKS_JS} }}")


@pytest.mark.parametrize("engine", list(ENGINES))
def test_badges_counter_and_filter(browser_setup: dict[str, Any], engine: str) -> None:
    page = open_page(browser_setup, ENGINES[engine])
    try:
        trusted, total = check_marks(marks(page))
        assert trusted >= 2 and total > trusted
        counter = page.locator("[data-sdc-counter]")
        assert counter.get_attribute("data-sdc-counter") == f"{trusted}/{total}"
        assert f"{trusted} sources de confiance parmi les {total} résultats" in counter.inner_text()
        page.get_by_role("button", name="Sources de confiance uniquement").click()
        hidden = [m for m in marks(page) if m["test"] in ("trusted", "untrusted")]
        assert all(m["visible"] == (m["test"] == "trusted") for m in hidden), hidden
        page.get_by_role("button", name="Afficher tous les résultats").click()
        assert all(m["visible"] for m in marks(page) if m["test"] in ("trusted", "untrusted"))
    finally:
        page.close()


def test_results_loaded_later_are_marked(browser_setup: dict[str, Any]) -> None:
    page = open_page(browser_setup, ENGINES["bing"])
    try:
        before = page.locator("[data-sdc-counter]").get_attribute("data-sdc-counter")
        trusted, total = map(int, before.split("/"))
        page.evaluate("""() => {
            const li = document.querySelector('#b_results > li.b_algo').cloneNode(true);
            for (const m of li.querySelectorAll('[data-sdc-badge]')) m.remove();
            li.removeAttribute('data-sdc-trusted');
            li.querySelector('h2 > a').href = 'https://www.ameli.fr/assure/droits-demarches';
            li.id = 'later';
            document.querySelector('#b_results > li.b_pag').before(li);
        }""")
        page.wait_for_selector("#later[data-sdc-trusted='true'] [data-sdc-badge='sante']", timeout=10_000)
        after = page.locator("[data-sdc-counter]").get_attribute("data-sdc-counter")
        assert after == f"{trusted + 1}/{total + 1}"
    finally:
        page.close()


def test_more_results_are_marked_when_they_load(browser_setup: dict[str, Any]) -> None:
    page = open_page(browser_setup, ENGINES["duckduckgo-js"])
    try:
        assert page.locator("[data-sdc-counter]").get_attribute("data-sdc-counter") == "2/3"
        page.get_by_role("button", name="Plus de résultats").click()
        page.wait_for_selector("#r1-9[data-sdc-trusted='true'] [data-sdc-badge='etat']", timeout=10_000)
        assert page.locator("[data-sdc-counter]").get_attribute("data-sdc-counter") == "3/4"
        check_marks(marks(page))
    finally:
        page.close()


def test_popup_shows_the_counts_of_the_page(browser_setup: dict[str, Any]) -> None:
    setup = browser_setup
    page = open_page(setup, ENGINES["qwant"])
    try:
        counts = page.locator("[data-sdc-counter]").get_attribute("data-sdc-counter")
        trusted, total = map(int, counts.split("/"))
        worker = setup["context"].service_workers[0]
        tab_id = worker.evaluate("""async () => {
            const [tab] = await chrome.tabs.query({active: true, lastFocusedWindow: true});
            return tab.id;
        }""")
        popup = setup["context"].new_page()
        popup.goto(f"chrome-extension://{setup['id']}/popup/popup.html?tab={tab_id}")
        text = f"Qwant : {trusted} sources de confiance parmi les {total} résultats"
        popup.wait_for_function("t => document.getElementById('counts').textContent === t", arg=text,
                                timeout=10_000)
        # "Signaler une erreur" opens the service's report form in a tab
        with setup["context"].expect_page() as opened:
            popup.click("#report")
        assert opened.value.url == f"https://{SERVICE_HOST}/signaler"
        opened.value.close()
        popup.close()
    finally:
        page.close()


def test_generic_fallback_when_selectors_find_nothing(browser_setup: dict[str, Any]) -> None:
    page = open_page(browser_setup, FALLBACK_URL)
    try:
        trusted, total = check_marks(marks(page))
        assert (trusted, total) == (3, 6)
        options = browser_setup["context"].new_page()
        options.goto(f"chrome-extension://{browser_setup['id']}/options/options.html")
        options.wait_for_selector("[data-sdc-fallback='google']", timeout=10_000)
        options.close()
    finally:
        page.close()


def test_list_updated_from_service_and_nothing_else_contacted(browser_setup: dict[str, Any]) -> None:
    setup = browser_setup
    open_page(setup, ENGINES["google"]).close()  # self-contained under pytest-xdist
    options = setup["context"].new_page()
    try:
        options.goto(f"chrome-extension://{setup['id']}/options/options.html")
        options.wait_for_function(
            "version => document.getElementById('status').textContent.includes(version)",
            arg=setup["served"]["version"], timeout=15_000,
        )
    finally:
        options.close()
    # the report form opened from the popup (and its icon) is a page the user asked for, not a
    # request of the extension
    service = [r for r in setup["server"].requests
               if r[1] == SERVICE_HOST and r[0] == "GET" and r[2] not in ("/signaler", "/favicon.ico")]
    assert service == [("GET", SERVICE_HOST, "/extension/trustlist.json")]
    allowed = {url.split("/")[2] for url in ENGINES.values()} | {"www.google.com", SERVICE_HOST}
    contacted = {url.split("/")[2] for url in setup["requested"] if url.startswith(("http://", "https://"))}
    # the recorder sees the pages' requests and the background's (the list update)
    assert {next(iter(ENGINES.values())).split("/")[2], SERVICE_HOST} <= contacted
    assert contacted <= allowed, contacted - allowed
    assert {host for _, host, _ in setup["server"].requests} <= allowed


def set_classification(options: Any, mode: str) -> None:
    """The user's choice, then the background's republishing of it in storage.local (where a
    content script reads it): a page opened in between still follows the previous mode."""
    options.evaluate("mode => chrome.storage.sync.set({classification: mode})", mode)
    # polled from here: wait_for_function does not await a promise (any promise is truthy to it),
    # and right after the browser starts the background publishes only once storage.managed
    # answers (2-3 s)
    wait_for(lambda: options.evaluate(
        "mode => chrome.storage.local.get('sdc:settings')"
        ".then(got => got['sdc:settings']?.classification === mode)", mode) is True,
        f"the {mode} mode published", timeout=20.0)


def test_service_mode_asks_the_configured_service_only(browser_setup: dict[str, Any]) -> None:
    setup = browser_setup
    options = setup["context"].new_page()
    options.goto(f"chrome-extension://{setup['id']}/options/options.html")
    set_classification(options, "service")
    before = len(setup["server"].classified)
    try:
        page = open_page(setup, ENGINES["ecosia"])
        trusted, total = check_marks(marks(page))
        assert (trusted, total) == (2, 4)
        assert len(setup["server"].classified) - before == total
        assert ("POST", SERVICE_HOST, "/api/classify") in setup["server"].requests
        page.close()
    finally:
        set_classification(options, "local")
        options.close()
