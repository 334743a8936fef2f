"""The pages in real headless Chromium (Debian's package, driven by Playwright) on a phone and a
desktop: layout assertions on screenshots, and axe-core with no violation on every page.

axe-core comes from npm into ``tests/service/axe/`` (``make test`` installs it, like the
extension's dependencies); without it the accessibility test is skipped, the layout ones still
run.  Screenshots go to ``test-artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.app import create_app
from service.settings import Settings
from sources.annuaire import import_annuaire
from tests.service.browser_support import ARGS, ARTIFACTS, CHROMIUM, served_in_thread
from tests.service.conftest import build

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FOLD = 700  # the first result ends within the first 700 px of a phone's screen

playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

#: every kind of page: home, results (first and later page), each view, the office card, the
#: Annuaire view, the "add the engine" page, the error pages
PAGES = {
    "home": "/",
    "results": "/recherche?q=allocations+familiales",
    "results-page-2": "/recherche?q=allocations+familiales&page=2",
    "news": "/recherche/actualites?q=allocations+familiales",
    "news-unified": "/recherche?q=allocations+familiales&vue=actualites",
    "texts": "/recherche?q=allocations+familiales&vue=textes",
    "office-card": "/recherche?q=mairie+de+lyon",
    "annuaire": "/recherche/annuaire?q=gendarmerie+sainte+anne",
    "annuaire-none": "/recherche/annuaire?q=zzzz",
    "no-result": "/recherche?q=xylophone+quantique",
    "engine": "/moteur-de-recherche",
    "error-404": "/cette-page-n-existe-pas",
    "error-422": "/recherche?q=allocations&page=0",
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.annuaire.conftest import write_csv

    data_dir = tmp_path_factory.mktemp("pages")
    build(data_dir)
    import_annuaire(data_dir, str(write_csv(data_dir / "annuaire.csv")))
    app = create_app(Settings(data_dir=data_dir, shared_dir=data_dir / "no-shared"))
    with served_in_thread(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def open_page(browser, base_url: str, viewport: dict[str, int]):
    # axe is injected as a script: the pages' strict CSP would refuse it, so the test bypasses it
    context = browser.new_context(base_url=base_url, locale="fr-FR", viewport=viewport, bypass_csp=True,
                                  timezone_id="Europe/Paris")
    return context, context.new_page()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"page-{name}.png"), full_page=True)


@pytest.mark.parametrize("name", ["results", "results-page-2", "office-card", "annuaire", "news"])
def test_on_a_phone_the_first_result_is_above_the_fold(browser, base_url: str, name: str) -> None:
    context, page = open_page(browser, base_url, PHONE)
    try:
        page.goto(PAGES[name])
        shot(page, f"{name}-390")
        first = page.locator("article.office, li.hit").first
        box = first.bounding_box()
        assert box is not None
        assert box["y"] + min(box["height"], 160) <= FOLD, box  # at least its first lines are seen
        if name.startswith("results"):
            assert box["y"] + box["height"] <= FOLD, box  # a web result: the whole of it
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        label = page.locator("#titre-vues")
        assert label.is_visible() and label.inner_text().startswith("Vues")
    finally:
        context.close()


@pytest.mark.parametrize("name", ["results", "office-card", "annuaire"])
def test_on_a_desktop_facets_sit_beside_the_results(browser, base_url: str, name: str) -> None:
    context, page = open_page(browser, base_url, DESKTOP)
    try:
        page.goto(PAGES[name])
        shot(page, f"{name}-1280")
        first = page.locator("article.office, li.hit").first.bounding_box()
        assert first is not None and first["y"] < 400
        facets = page.locator("aside.facets")
        if facets.count():
            aside = facets.bounding_box()
            results = page.locator(".results").bounding_box()
            assert aside["x"] + aside["width"] <= results["x"]  # on the left, not below
    finally:
        context.close()


def test_the_skip_links_reach_their_targets(browser, base_url: str) -> None:
    context, page = open_page(browser, base_url, PHONE)
    try:
        for name in ("home", "results", "annuaire", "error-404", "error-422", "engine"):
            page.goto(PAGES[name])
            for target in page.locator(".skiplinks a").evaluate_all("links => links.map(a => a.hash)"):
                assert page.locator(target).count() == 1, (name, target)
    finally:
        context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed (make test installs it)")
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_axe_finds_no_violation_on_any_page(browser, base_url: str, viewport: dict[str, int]) -> None:
    context, page = open_page(browser, base_url, viewport)
    found = {}
    try:
        for name, path in PAGES.items():
            page.goto(path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => (await axe.run(document)).violations"
                                   ".map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' '))])")
            if result:
                found[name] = result
    finally:
        context.close()
    assert not found, found
