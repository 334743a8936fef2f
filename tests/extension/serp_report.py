"""The finder alone (content/finder.js, no extension) on the real saved result pages, in headless
Chromium: how many organic results the engine definitions, or the generic fallback alone, find.

    python -m tests.extension.serp_report [tune|held|all] [auto|fallback] [FILE-PART] [-v]

Used to tune the definitions on the tuning half only; the end-to-end figures come from
test_real_serps.py."""
import sys
from pathlib import Path
from playwright.sync_api import sync_playwright
from tests.extension import real_serps as R

SRC = Path(__file__).resolve().parents[2] / "extension" / "src"
which = sys.argv[1] if len(sys.argv) > 1 else "tune"   # tune | held | all
mode = sys.argv[2] if len(sys.argv) > 2 else "auto"    # auto | fallback
only = sys.argv[3] if len(sys.argv) > 3 and not sys.argv[3].startswith("-") else None
serps = [s for s in R.load() if (which == "all" or s.held_out == (which == "held")) and (not only or only in s.file)]
JS = """async ([mode]) => {
  const f = await import('/__sdc/content/finder.js');
  const ids = (await import('/__sdc/engines/index.js')).ENGINE_IDS;
  const engines = await Promise.all(ids.map(async id => (await fetch('/__sdc/engines/' + id + '.json')).json()));
  const { engineFor } = await import('/__sdc/shared/engines.js');
  const engine = engineFor(location.href, engines);
  if (!engine) return {error: 'no engine'};
  const t0 = performance.now();
  const r = mode === 'fallback' ? {results: f.findByFallback(document, engine, location.href), how: 'fallback'} : f.findResults(document, engine, location.href);
  return {ms: performance.now() - t0, how: r.how, urls: r.results.map(x => x.url)};
}"""
tot = {}
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless=new"])
    for s in serps:
        ctx = b.new_context(ignore_https_errors=True)
        page = ctx.new_page()
        def handle(route, _req=None, s=s):
            u = route.request.url
            if "/__sdc/" in u:
                path = SRC / u.split("/__sdc/", 1)[1].split("?")[0]
                ct = "application/json" if path.suffix == ".json" else "text/javascript"
                return route.fulfill(status=200, body=path.read_bytes(), headers={"content-type": ct})
            if u.split("#")[0] == s.url or route.request.resource_type == "document" and u == s.url:
                return route.fulfill(status=200, body=s.html(), headers={"content-type": "text/html; charset=utf-8", "content-security-policy": "script-src 'self'"})
            return route.abort()
        page.route("**/*", handle)
        try:
            page.goto(s.url, wait_until="domcontentloaded", timeout=20000)
            out = page.evaluate(JS, [mode])
        except Exception as e:
            out = {"error": str(e)[:200]}
        ctx.close()
        if "error" in out:
            print(s.file, out); continue
        sc = R.score(s, out["urls"])
        t = tot.setdefault(s.engine, [0, 0, 0, 0]); t[0] += sc.organic; t[1] += sc.recognised; t[2] += len(sc.ad_or_internal); t[3] += len(sc.other)
        print(f"{s.engine:10} {sc.recognised:2}/{sc.organic:2} bad={len(sc.ad_or_internal)} other={len(sc.other)} {out['how']:9} {out['ms']:.1f}ms {s.file[:50]}")
        if "-v" in sys.argv:
            exp = {R.normal(u) for u in s.organic}; got = {R.normal(u) for u in out["urls"]}
            for u in s.organic:
                if R.normal(u) not in got: print("   MISS", u)
            for u in sc.ad_or_internal: print("   BAD ", u)
            for u in sc.other: print("   OTHER", u)
    b.close()
a = [0, 0, 0, 0]
for e, t in sorted(tot.items()):
    print(f"{e:10} {t[1]}/{t[0]} = {100*t[1]/max(t[0],1):.1f}%  bad={t[2]} other={t[3]}")
    a = [x + y for x, y in zip(a, t)]
print(f"TOTAL {a[1]}/{a[0]} = {100*a[1]/max(a[0],1):.1f}% bad={a[2]} other={a[3]}")
