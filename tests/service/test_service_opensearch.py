"""OpenSearch description: absolute URLs from the configured public base URL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from tests.service import browser_support

NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def test_description_is_opensearch_11_with_request_urls(client: TestClient) -> None:
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://a9.com/-/spec/opensearch/1.1/}OpenSearchDescription"
    assert root.findtext("os:ShortName", namespaces=NS) == "SdC Recherche"
    assert root.findtext("os:LongName", namespaces=NS) == "Sources de Confiance"
    assert root.findtext("os:InputEncoding", namespaces=NS) == "UTF-8"
    assert root.findtext("os:Description", namespaces=NS)
    assert root.findtext("os:Image", namespaces=NS) == "http://testserver/static/favicon.png"
    urls = {u.get("type"): u for u in root.findall("os:Url", NS)}
    assert urls["text/html"].get("template") == "http://testserver/recherche?q={searchTerms}"
    assert urls["application/x-suggestions+json"].get("template") == \
        "http://testserver/api/suggest?q={searchTerms}"
    assert urls["application/opensearchdescription+xml"].get("rel") == "self"
    assert client.get("/static/favicon.png").content.startswith(b"\x89PNG")


def test_public_base_url_wins_behind_a_reverse_proxy(built_data: Path, make_settings) -> None:
    app = create_app(make_settings(built_data, public_base_url="https://recherche.example.fr/sdc/"))
    with TestClient(app) as client:
        root = ET.fromstring(client.get("/opensearch.xml").content)
    templates = [u.get("template") for u in root.findall("os:Url", NS)]
    assert templates[0] == "https://recherche.example.fr/sdc/recherche?q={searchTerms}"
    assert all(t.startswith("https://recherche.example.fr/sdc/") for t in templates)


def test_pages_link_under_the_public_base_path(built_data: Path, make_settings) -> None:
    app = create_app(make_settings(built_data, public_base_url="https://intranet.example.fr/sdc/"))
    with TestClient(app) as client:
        html = client.get("/recherche", params={"q": "allocations familiales"}).text
    assert 'href="/sdc/static/sdc.css"' in html and 'action="/sdc/recherche"' in html
    assert 'href="/sdc/recherche?q=allocations+familiales&amp;page=2"' in html
    ours = re.sub(r'<section class="unified".*?</section>', "", html, flags=re.S)  # ranking's block
    links = re.findall(r'(?:href|action)="(/[^"]*)"', ours)
    assert links and all(link.startswith("/sdc/") for link in links), links


#: OpenSearch 1.1 (draft 6): maximum lengths of the plain-text elements, in characters
SPEC_LIMITS = {"ShortName": 16, "LongName": 48, "Description": 1024, "Tags": 256, "Developer": 64,
               "Attribution": 256}
SPEC_ELEMENTS = {"ShortName", "Description", "Url", "Contact", "Tags", "LongName", "Image", "Query",
                 "Developer", "Attribution", "SyndicationRight", "AdultContent", "Language",
                 "InputEncoding", "OutputEncoding"}


def test_description_is_valid_against_the_11_spec(client: TestClient) -> None:
    root = ET.fromstring(client.get("/opensearch.xml").content)
    ns = "{" + NS["os"] + "}"
    ours = [child.tag.removeprefix(ns) for child in root if child.tag.startswith(ns)]
    assert set(ours) <= SPEC_ELEMENTS, set(ours) - SPEC_ELEMENTS
    assert ours.count("ShortName") == 1 and ours.count("Description") == 1 and "Url" in ours
    for name, limit in SPEC_LIMITS.items():
        for element in root.findall(f"os:{name}", NS):
            text = element.text or ""
            assert text and len(text) <= limit and "<" not in text, (name, text)
    assert root.findtext("os:SyndicationRight", namespaces=NS) in {"open", "limited", "private",
                                                                    "closed"}
    assert root.findtext("os:AdultContent", namespaces=NS) in {"false", "true", "0", "1", "no", "yes"}
    for url in root.findall("os:Url", NS):
        assert url.get("type") and url.get("template", "").startswith("http")
        assert url.get("rel", "results") in {"results", "suggestions", "self", "collection"}
        if url.get("rel") != "self":
            assert "{searchTerms}" in url.get("template", "")
        assert url.get("method", "get").lower() in {"get", "post"}
    image = root.find("os:Image", NS)
    assert image is not None and int(image.get("width", "0")) > 0 and image.get("type") == "image/png"


def test_a_forged_host_header_never_reaches_the_description(client: TestClient) -> None:
    body = client.get("/opensearch.xml", headers={"Host": "evil.example"}).text
    assert "evil.example" not in body and "http://testserver/recherche" in body


# -- "Ajouter comme moteur de recherche" in real browsers -------------------------------------------

#: Firefox's chrome-side check: the engines the page offers (the "+" of the address bar's search
#: button), then the add flow that menu item runs (SearchUIUtils.addOpenSearchEngine: Firefox
#: downloads and parses /opensearch.xml), then the engine as Firefox recorded it
FIREFOX_ADD = """
let resolve = arguments[arguments.length - 1];
(async () => {
  try {
    const browser = gBrowser.selectedBrowser;
    const offered = OpenSearchManager.getEngines(browser).map(e => ({title: e.title, uri: e.uri}));
    if (!offered.length) { resolve({offered}); return; }
    const added = await SearchUIUtils.addOpenSearchEngine(offered[0].uri, null, browser.browsingContext);
    const {SearchService} = ChromeUtils.importESModule("moz-src:///toolkit/components/search/SearchService.sys.mjs");
    const engine = await SearchService.getEngineByName("SdC Recherche");
    resolve({offered, added, name: engine && engine.name,
             search: engine && engine.getSubmission("allocations familiales").uri.spec,
             suggest: engine && engine.getSubmission("allo", "application/x-suggestions+json").uri.spec});
  } catch (error) { resolve({error: String(error)}); }
})();
"""


@pytest.mark.filterwarnings(  # marionette-driver leaks a socket per failed connect while Firefox starts
    "ignore:unclosed <socket.socket:ResourceWarning",
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning")
def test_firefox_offers_and_adds_the_engine_from_the_footer_link(built_data: Path, tmp_path: Path) -> None:
    """Firefox (ESR, headless): the footer's link leads to the steps, and the add flow they describe
    really installs the engine (Firefox ignores window.external.AddSearchProvider since version 78:
    the page relies on it nowhere)."""
    if not Path(browser_support.FIREFOX).is_file():
        pytest.skip("firefox-esr is not installed (apt-get install firefox-esr)")
    app = create_app(Settings(data_dir=built_data, shared_dir=built_data / "none"))
    with browser_support.served_in_thread(app) as base, browser_support.firefox(tmp_path / "gecko.log") as ff:
        ff.navigate(base + "/")
        ff.find_element("link text", "Ajouter comme moteur de recherche").click()
        browser_support.wait(lambda: ff.get_url().endswith("/moteur-de-recherche"), "the engine page")
        text = ff.find_element("css selector", "main").text
        assert "Ajouter « Sources de Confiance »" in text and "SdC Recherche" in text
        ff.set_context(ff.CONTEXT_CHROME)
        found = ff.execute_async_script(FIREFOX_ADD, script_timeout=60_000)
    assert found.get("offered") == [{"title": "Sources de Confiance", "uri": base + "/opensearch.xml"}], found
    assert found["added"] is True and found["name"] == "SdC Recherche", found
    assert found["search"] == base + "/recherche?q=allocations+familiales"
    assert found["suggest"].startswith(base + "/api/suggest?") and "allo" in found["suggest"]


def test_chromium_shows_the_two_clicks(built_data: Path) -> None:
    """Chromium (headless): the same link shows the two clicks of Chrome and Edge (no add button there)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(browser_support.CHROMIUM).is_file():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    app = create_app(Settings(data_dir=built_data, shared_dir=built_data / "none"))
    with browser_support.served_in_thread(app) as base, playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium
        browser = chromium.launch(executable_path=browser_support.CHROMIUM, args=browser_support.ARGS)
        try:
            page = browser.new_page(base_url=base, locale="fr-FR")
            page.goto("/")
            page.get_by_role("link", name="Ajouter comme moteur de recherche").click()
            page.wait_for_url("**/moteur-de-recherche")
            section = page.get_by_role("region", name="Chrome et Edge : deux clics")
            assert section.is_visible()
            steps = section.locator("li").all_inner_texts()
            assert len(steps) == 2 and "chrome://settings/searchEngines" in steps[0]
            assert "« Activer »" in steps[1] and "« Utiliser par défaut »" in steps[1]
            assert page.locator('link[rel="search"]').get_attribute("href") == "/opensearch.xml"
        finally:
            browser.close()
