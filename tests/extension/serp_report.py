"""The finder alone (``content/finder.js``, no extension) on the real saved result pages, in
headless Chromium: how many organic results the engine definitions, or the generic fallback
alone, find.  Used to tune the definitions on the tuning half only; the end-to-end figures
come from ``test_real_serps.py``.

    python -m tests.extension.serp_report [tune|held|all] [auto|fallback] [FILE-PART] [-v]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tests.extension import real_serps

SRC = Path(__file__).resolve().parents[2] / "extension" / "src"
FIND_JS = """async ([mode]) => {
  const finder = await import('/__sdc/content/finder.js');
  const { ENGINE_IDS } = await import('/__sdc/engines/index.js');
  const { engineFor } = await import('/__sdc/shared/engines.js');
  const load = async (id) => (await fetch(`/__sdc/engines/${id}.json`)).json();
  const engines = await Promise.all(ENGINE_IDS.map(load));
  const engine = engineFor(location.href, engines);
  if (!engine) return { error: 'no engine' };
  const start = performance.now();
  const found = mode === 'fallback'
    ? { results: finder.findByFallback(document, engine, location.href), how: 'fallback' }
    : finder.findResults(document, engine, location.href);
  return { ms: performance.now() - start, how: found.how, urls: found.results.map((r) => r.url) };
}"""


def find_on(browser: Any, serp: real_serps.Serp, mode: str) -> dict[str, Any]:
    """The finder's answer on one page, served at its engine URL, page scripts off."""
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()

    def handle(route: Any, request: Any) -> None:
        url = request.url
        if "/__sdc/" in url:
            path = SRC / url.split("/__sdc/", 1)[1].split("?")[0]
            kind = "application/json" if path.suffix == ".json" else "text/javascript"
            route.fulfill(status=200, body=path.read_bytes(), headers={"content-type": kind})
        elif url == serp.url:
            headers = {"content-type": "text/html", "content-security-policy": "script-src 'self'"}
            route.fulfill(status=200, body=serp.html(), headers=headers)
        else:
            route.abort()

    page.route("**/*", handle)
    try:
        page.goto(serp.url, wait_until="domcontentloaded", timeout=20_000)
        return dict(page.evaluate(FIND_JS, [mode]))
    finally:
        context.close()


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    words = [a for a in argv if not a.startswith("-")]
    which = words[0] if words else "tune"
    mode = words[1] if len(words) > 1 else "auto"
    only = words[2] if len(words) > 2 else ""
    serps = [s for s in real_serps.load()
             if (which == "all" or s.held_out == (which == "held")) and only in s.file]
    totals: dict[str, list[int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--headless=new"])
        for serp in serps:
            out = find_on(browser, serp, mode)
            if "error" in out:
                print(serp.file, out["error"])
                continue
            score = real_serps.score(serp, out["urls"])
            row = totals.setdefault(serp.engine, [0, 0, 0, 0])
            counts = (score.organic, score.recognised, len(score.ad_or_internal), len(score.other))
            for i, n in enumerate(counts):
                row[i] += n
            print(f"{serp.engine:10} {score.recognised:2}/{score.organic:2} "
                  f"wrong={len(score.ad_or_internal)} unlisted={len(score.other)} "
                  f"{out['how']:9} {out['ms']:.1f} ms {serp.file}")
            if "-v" in argv:
                got = {real_serps.normal(u) for u in out["urls"]}
                for url in serp.organic:
                    if real_serps.normal(url) not in got:
                        print("   missed", url)
                for url in score.ad_or_internal:
                    print("   wrong ", url)
        browser.close()
    total = [0, 0, 0, 0]
    for engine, row in sorted(totals.items()):
        print(f"{engine:10} {row[1]}/{row[0]} = {100 * row[1] / max(row[0], 1):.1f} %  "
              f"wrong={row[2]} unlisted={row[3]}")
        total = [a + b for a, b in zip(total, row, strict=True)]
    print(f"all        {total[1]}/{total[0]} = {100 * total[1] / max(total[0], 1):.1f} %  "
          f"wrong={total[2]} unlisted={total[3]}")


if __name__ == "__main__":
    main(sys.argv[1:])
