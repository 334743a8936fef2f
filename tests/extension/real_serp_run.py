"""Running the built extension over the real saved result pages (``real_serps``) in a browser,
and the per-engine report of what it recognised: shared by the Chromium and Firefox tests.

Each page is served over HTTPS on loopback at its engine URL, with the page's own scripts off
(a ``script-src`` CSP: archived scripts expect their servers; the results are in the saved HTML),
except one small script of ours that notes when the page's DOM was complete and when the
extension marked each result, so that the time to mark is measured in the page's own clock."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sources import Category, Classifier, Entry
from tests.extension import real_serps

NONCE = "sdc-timing"
CSP = f"script-src 'nonce-{NONCE}'"
TIMING = (f'<script nonce="{NONCE}">(function(){{var d=document.documentElement,'
          't={dcl:null,first:null,last:null};'
          'function save(){d.setAttribute("data-test-timing",JSON.stringify(t))}'
          'document.addEventListener("DOMContentLoaded",function(){t.dcl=performance.now();save()});'
          'new MutationObserver(function(){var n=performance.now();'
          'if(t.first===null)t.first=n;t.last=n;save()})'
          '.observe(d,{attributes:true,subtree:true,attributeFilter:["data-sdc-trusted"]});})();</script>')
#: what the page holds once the extension is done: the resolved link of every marked result
COLLECT_JS = """return {
  urls: [...document.querySelectorAll('[data-sdc-trusted] [data-sdc-url], [data-sdc-url][data-sdc-trusted]')]
        .map(a => a.dataset.sdcUrl),
  trusted: [...document.querySelectorAll('[data-sdc-trusted="true"]')].map(r => ({
        url: (r.querySelector('[data-sdc-url]') ?? r).dataset.sdcUrl ?? null,
        badges: r.querySelectorAll('[data-sdc-badge]').length})),
  counter: document.querySelector('[data-sdc-counter]')?.dataset.sdcCounter ?? null,
  timing: JSON.parse(document.documentElement.getAttribute('data-test-timing') || '{}'),
};"""
DONE_JS = "return !!document.querySelector('[data-sdc-counter]')"


def real_registry() -> Classifier:
    """The end-to-end registry plus a host many of the real pages link to, so that badges show."""
    rows = [("service-public.fr", Category.ETAT, "Service-Public.fr"),
            ("wikipedia.org", Category.AUTRE_PUBLIC, "Wikipédia (test)")]
    return Classifier([Entry(h, c, n, "etalab:test", "listed by etalab:test") for h, c, n in rows])


def inject(html: bytes) -> bytes:
    """Our timing script, first thing in <head> (before any result is parsed)."""
    match = re.search(rb"<head[^>]*>", html[:20000], re.IGNORECASE)
    at = match.end() if match else 0
    return html[:at] + TIMING.encode() + html[at:]


def documents(serps: list[real_serps.Serp]) -> dict[str, tuple[bytes, dict[str, str]]]:
    return {s.url.split("://", 1)[1]: (inject(s.html()), {"Content-Type": "text/html",
                                                          "Content-Security-Policy": CSP})
            for s in serps}


def hosts(serps: list[real_serps.Serp]) -> list[str]:
    return sorted({s.url.split("/")[2] for s in serps})


@dataclass
class EngineTally:
    pages: int = 0
    organic: int = 0
    recognised: int = 0
    ad_or_internal: int = 0
    other: int = 0
    zero_pages: list[str] = field(default_factory=list)
    mark_ms: list[float] = field(default_factory=list)


@dataclass
class Report:
    browser: str
    tallies: dict[str, dict[str, EngineTally]] = field(default_factory=dict)  # split -> engine -> tally
    bad: list[str] = field(default_factory=list)
    unbadged: list[str] = field(default_factory=list)
    #: the first page of a fresh browser waits for the extension's start (install, list load)
    cold_ms: float | None = None

    def add(self, serp: real_serps.Serp, seen: dict[str, Any]) -> None:
        split = "held_out" if serp.held_out else "tuning"
        tally = self.tallies.setdefault(split, {}).setdefault(serp.engine, EngineTally())
        score = real_serps.score(serp, seen.get("urls", []))
        tally.pages += 1
        tally.organic += score.organic
        tally.recognised += score.recognised
        tally.ad_or_internal += len(score.ad_or_internal)
        tally.other += len(score.other)
        self.bad += [f"{serp.file}: {u}" for u in score.ad_or_internal]
        if score.recognised == 0:
            tally.zero_pages.append(serp.file)
        timing = seen.get("timing") or {}
        if timing.get("dcl") is not None and timing.get("last") is not None:
            ms = round(timing["last"] - timing["dcl"], 1)
            if self.cold_ms is None:
                self.cold_ms = ms
            else:
                tally.mark_ms.append(ms)
        self.unbadged += [f"{serp.file}: {t['url']}" for t in seen.get("trusted", []) if t["badges"] != 1]

    def totals(self, split: str | None = None) -> dict[str, EngineTally]:
        out: dict[str, EngineTally] = {}
        for name, engines in self.tallies.items():
            if split is not None and name != split:
                continue
            for engine, t in engines.items():
                o = out.setdefault(engine, EngineTally())
                o.pages += t.pages
                o.organic += t.organic
                o.recognised += t.recognised
                o.ad_or_internal += t.ad_or_internal
                o.other += t.other
                o.zero_pages += t.zero_pages
                o.mark_ms += t.mark_ms
        return out

    def lines(self) -> list[str]:
        out = [f"{self.browser}: organic results recognised per engine (tuning | held-out | all)"]
        for engine in sorted(self.totals()):
            cells = []
            for split in ("tuning", "held_out", None):
                t = self.totals(split).get(engine)
                cells.append(f"{t.recognised}/{t.organic}" if t else "-")
            a = self.totals()[engine]
            ms = sorted(a.mark_ms)
            cells.append(f"wrong {a.ad_or_internal}, unlisted {a.other}, "
                         f"mark ms median {ms[len(ms) // 2] if ms else '-'} max {ms[-1] if ms else '-'}")
            out.append(f"  {engine:10} " + " | ".join(cells))
        a = self.totals()
        total, organic = sum(t.recognised for t in a.values()), sum(t.organic for t in a.values())
        out.append(f"  all        {total}/{organic} = {100 * total / max(organic, 1):.1f} %")
        every = sorted(ms for t in a.values() for ms in t.mark_ms)
        if every:
            over = sum(ms > 300 for ms in every)
            out.append(f"  time to mark (DOM complete -> last result marked), warm pages: median "
                       f"{every[len(every) // 2]} ms, p90 {every[int(len(every) * 0.9)]} ms, "
                       f"max {every[-1]} ms, "
                       f"{over} of {len(every)} over 300 ms; first page (cold start) {self.cold_ms} ms")
        return out

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"real-serps-{self.browser}.json"
        doc = {"browser": self.browser, "summary": self.lines(), "cold_ms": self.cold_ms,
               "tallies": {s: {e: asdict(t) for e, t in es.items()} for s, es in self.tallies.items()}}
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return path


def run_all(serps: list[real_serps.Serp], browser: str,
            visit: Callable[[real_serps.Serp], dict[str, Any]]) -> Report:
    report = Report(browser)
    for serp in serps:
        report.add(serp, visit(serp))
    return report


def check_targets(report: Report) -> None:
    """The issue's targets: ≥ 95 % overall, ≥ 90 % per engine, no ad or engine link, no empty page."""
    totals = report.totals()
    organic = sum(t.organic for t in totals.values())
    recognised = sum(t.recognised for t in totals.values())
    assert recognised >= 0.95 * organic, "\n".join(report.lines())
    for engine, t in totals.items():
        assert t.recognised >= 0.9 * t.organic, (engine, "\n".join(report.lines()))
        assert not t.zero_pages, (engine, t.zero_pages)
    assert report.bad == [], report.bad
    assert report.unbadged == [], report.unbadged
