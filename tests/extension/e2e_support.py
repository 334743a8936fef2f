"""What the end-to-end tests of the extension share, whatever the browser: the saved
engine pages and their URLs, the registry, the build of the extension with its trust
lists, and the check of the marks the extension left on a page."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sources import Category, Classifier, Entry
from sources.trustlist import build_trustlist, write_trustlist

PAGES = Path(__file__).resolve().parent / "pages"
SERVICE_HOST = "sdc.test"
ENGINES: dict[str, str] = {
    "google": "https://www.google.fr/search?q=carte+grise",
    "bing": "https://www.bing.com/search?q=imp%C3%B4ts+d%C3%A9claration",
    "qwant": "https://www.qwant.com/?q=allocations+familiales&t=web",
    "duckduckgo": "https://html.duckduckgo.com/html/?q=passeport",
    "duckduckgo-js": "https://duckduckgo.com/?q=passeport&ia=web",
    "ecosia": "https://www.ecosia.org/search?method=index&q=rsa",
    "startpage": "https://www.startpage.com/sp/search?query=carte+vitale",
}
#: a Google page whose result classes changed (the engine's selectors find nothing)
FALLBACK_URL = "https://www.google.com/search?q=carte+grise"


def registry() -> Classifier:
    rows = [
        ("service-public.fr", Category.ETAT, "Service-Public.fr"),
        ("caf.fr", Category.AUTRE_PUBLIC, "Caisse d'allocations familiales"),
        ("ameli.fr", Category.SANTE, "Assurance maladie"),
        ("paris.fr", Category.COMMUNE, "Ville de Paris"),
        ("facebook.com", Category.COMMUNE, "Page Facebook d'une commune"),
    ]
    return Classifier([Entry(h, c, n, "etalab:test", "listed by etalab:test") for h, c, n in rows])


def fallback_page() -> str:
    """The Google page after a (simulated) layout change: new ids and classes for results."""
    html = (PAGES / "google.html").read_text("utf-8")
    html = html.replace('id="rso"', 'id="rso-v2"').replace('class="g ', 'class="Kz9 ')
    return html.replace("vt6azd", "Qr2x")


#: for each data-test element: expected and actual (mark of its result block, badges inside)
MARKS_JS = """return [...document.querySelectorAll('[data-test]')].map(el => {
    const block = el.closest('[data-sdc-trusted]') ?? el.querySelector('[data-sdc-trusted]');
    return {
        test: el.dataset.test, category: el.dataset.category ?? null,
        trusted: block ? block.dataset.sdcTrusted : null,
        badges: [...(block ?? el).querySelectorAll('[data-sdc-badge]')].map(b => b.dataset.sdcBadge),
        noneInside: el.dataset.test === 'none'
            ? el.querySelectorAll('[data-sdc-trusted], [data-sdc-badge]').length
              + (el.closest('[data-sdc-trusted]') ? 1 : 0)
            : 0,
        visible: el.checkVisibility(),
    };
});"""


def check_marks(found: list[dict[str, Any]]) -> tuple[int, int]:
    trusted = untrusted = 0
    for item in found:
        if item["test"] == "trusted":
            trusted += 1
            assert item["trusted"] == "true", item
            assert item["badges"] == [item["category"]], item
        elif item["test"] == "untrusted":
            untrusted += 1
            assert item["trusted"] == "false", item
            assert item["badges"] == [], item
        else:
            assert item["noneInside"] == 0, item
    return trusted, trusted + untrusted


@dataclass
class Prepared:
    """An unpacked build of the extension and what the loopback servers answer."""

    classifier: Classifier
    packed: Path
    served: dict[str, Any]
    unpacked: Path
    pages: dict[str, str]
    classify: Callable[[str], dict[str, Any]]


def prepare(tmp: Path, node: str, extension_dir: Path, browser: str) -> Prepared:
    """Build the extension for ``browser`` with a packed trust list dated 1 January 2026; the
    service serves a newer one (1 June); the engines' pages by host, Google's in its changed
    layout on www.google.com (the fallback)."""
    classifier = registry()
    packed = write_trustlist(classifier, tmp / "packed.json", now=datetime(2026, 1, 1, tzinfo=UTC))
    served = build_trustlist(classifier, now=datetime(2026, 6, 1, tzinfo=UTC))
    unpacked = tmp / browser
    subprocess.run([node, str(extension_dir / "scripts" / "build.js"), "--browser", browser,
                    "--out", str(unpacked), "--service-url", f"https://{SERVICE_HOST}",
                    "--trustlist", str(tmp / "packed.json")],
                   check=True, capture_output=True)
    pages = {url.split("/")[2]: (PAGES / f"{engine}.html").read_text("utf-8")
             for engine, url in ENGINES.items()}
    pages["www.google.com"] = fallback_page()

    def classify(url: str) -> dict[str, Any]:
        answer = classifier.classify(url).to_dict()
        del answer["rule"]  # the service's documented shape: url, trusted, domain, category, name, reason
        return answer

    return Prepared(classifier, packed, served, unpacked, pages, classify)
