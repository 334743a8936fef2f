"""OpenSearch description: absolute URLs from the configured public base URL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from fastapi.testclient import TestClient

from service.app import create_app

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
