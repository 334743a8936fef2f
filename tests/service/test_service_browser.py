"""The search page in real headless Chromium (Debian's package) driven by Playwright.

The app runs under uvicorn on a free loopback port in a thread; screenshots
go to ``test-artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.app import create_app
from tests.service.browser_support import ARGS, ARTIFACTS, CHROMIUM, served_in_thread

playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def base_url(built_data: Path, make_settings_module) -> Iterator[str]:
    with served_in_thread(create_app(make_settings_module(built_data))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, base_url: str) -> Iterator[object]:
    context = browser.new_context(base_url=base_url, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []  # every URL the page asks for
    page.problems = []  # console errors (a CSP violation is one) and dialogs (alert())
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert not page.problems, page.problems
    assert all(url.startswith(base_url) for url in page.requests), page.requests


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"service-{name}.png"), full_page=True)


def test_search_from_the_home_page(page) -> None:
    page.goto("/")
    shot(page, "home")
    page.get_by_label("Rechercher dans les sources publiques de confiance").fill("allocations familiales")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/recherche\?q=allocations"))
    hits = page.locator("li.hit")
    assert hits.count() == 10
    assert page.locator("mark").count() > 0
    assert "résultats" in page.get_by_role("status").first.inner_text()
    shot(page, "results")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: one column, nothing cut
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "results-mobile")


def test_filter_by_category_then_paginate(page) -> None:
    page.goto("/recherche?q=allocations+familiales")
    facets = page.get_by_role("navigation", name="Filtrer par catégorie")
    facets.get_by_role("link", name=re.compile("Santé")).click()
    page.wait_for_url(re.compile("categorie=sante"))
    badges = page.locator(".hit .badge").all_inner_texts()
    assert badges and {b.strip().lower() for b in badges} == {"santé"}
    shot(page, "filtered")
    page.goto("/recherche?q=allocations+familiales")
    page.get_by_role("link", name="Page suivante").click()
    page.wait_for_url(re.compile("page=2"))
    assert page.locator("ol.hits").get_attribute("start") == "11"
    assert page.locator('.pagination a[aria-current="page"]').inner_text() == "2"
    shot(page, "page-2")


def test_keyboard_only(page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"  # the skip link comes first
    assert page.evaluate("getComputedStyle(document.activeElement).position") == "static"  # visible
    page.locator("#q").focus()
    page.keyboard.type("allocations familiales")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/recherche"))
    for _ in range(80):  # tab until the first result's link
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit') !== null"):
            break
    else:
        pytest.fail("no result link reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    shot(page, "keyboard-focus")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip().startswith("Page suivante"):
            break
    else:
        pytest.fail("pagination not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("page=2"))


def test_indexed_script_is_rendered_as_text(page) -> None:
    page.goto("/recherche?q=alerte+s%C3%A9curit%C3%A9")
    title = page.locator(".hit__title a", has_text="alert(1)")
    assert title.inner_text() == "<script>alert(1)</script>"
    assert page.locator(".hit__snippet").first.inner_text().count("<img src=x onerror=alert(2)>") >= 1
    assert page.evaluate("document.scripts.length") == 0
    shot(page, "xss")


CONTRAST_JS = """
() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.offsetParent) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push([el.tagName + "." + el.className, Math.round(ratio * 100) / 100]);
  }
  return out;
}
"""


@pytest.mark.parametrize("path", ["/", "/recherche?q=allocations+familiales&categorie=sante",
                                  "/recherche?q=xylophone+quantique&onglet=sante"])
def test_every_text_meets_the_aa_contrast_ratio(page, path: str) -> None:
    page.goto(path)
    measured = page.evaluate(CONTRAST_JS)
    assert len(measured) > 10
    low = [(element, ratio) for element, ratio in measured if ratio < 4.5]
    assert not low, low  # RGAA 3.2 / WCAG 1.4.3: 4.5:1 for body text
