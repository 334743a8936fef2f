/**
 * The content script: find the results, have them classified by the
 * background (locally, on the compact list), mark them, count them, and do it
 * again whenever the engine adds results (infinite scroll, "more results").
 */
import { ENGINE_IDS } from "../engines/index.js";
import { api } from "../shared/api.js";
import { engineFor, isResultsPage } from "../shared/engines.js";
import { MSG, ask } from "../shared/messages.js";
import { findByFallback, findBySelectors, findResults, unmarked } from "./finder.js";
import { ensureCounter, makeBadge, updateCounter } from "./ui.js";

const RESCAN_DELAY_MS = 150;

async function loadEngines() {
  return Promise.all(ENGINE_IDS.map(async (id) => (await fetch(api.runtime.getURL(`engines/${id}.json`))).json()));
}

class Annotator {
  constructor(doc, engine, settings) {
    this.doc = doc;
    this.engine = engine;
    this.settings = settings;
    this.fallback = false;
    this.bySelectors = false;
    this.timer = null;
    this.running = Promise.resolve();
  }

  start() {
    new MutationObserver(() => this.schedule()).observe(this.doc.documentElement, { childList: true, subtree: true });
    // the results are in the DOM when the script starts (document_end): no wait for the first scan
    this.schedule(0);
  }

  schedule(delay = RESCAN_DELAY_MS) {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.running.then(() => this.scan()).catch((error) => console.warn("Sources de confiance:", error));
    }, delay);
  }

  find() {
    const href = this.doc.location.href;
    if (this.bySelectors) return unmarked(findBySelectors(this.doc, this.engine, href));
    if (this.fallback) return unmarked(findByFallback(this.doc, this.engine, href));
    const { results, how } = findResults(this.doc, this.engine, href);
    if (how === "selectors") {
      if (results.length) this.bySelectors = true;
      return unmarked(results);
    }
    const fallback = unmarked(results);
    if (fallback.length && !this.fallback) {
      this.fallback = true;
      ask(api, MSG.fallback, { engine: this.engine.id }).catch(() => {});
    }
    return fallback;
  }

  async scan() {
    const results = this.find();
    if (!results.length) return;
    for (const { root } of results) root.dataset.sdcPending = "";
    let answer;
    try {
      answer = await ask(api, MSG.classify, { urls: results.map((r) => r.url) });
    } catch (error) {
      for (const { root } of results) delete root.dataset.sdcPending; // retried on the next change
      throw error;
    }
    const { results: verdicts, labels } = answer;
    results.forEach(({ root, link }, i) => {
      const verdict = verdicts[i];
      delete root.dataset.sdcPending;
      root.dataset.sdcTrusted = String(Boolean(verdict?.trusted));
      link.dataset.sdcUrl = results[i].url;
      if (verdict?.trusted) {
        const label = labels[verdict.category] ?? verdict.category ?? "";
        link.after(makeBadge(this.doc, verdict, label, this.settings.badgeStyle));
      }
    });
    this.count(results[0].root);
  }

  count(firstRoot) {
    const anchor = (this.fallback ? null : this.doc.querySelector(this.engine.container)) ?? firstRoot;
    const bar = ensureCounter(this.doc, anchor);
    const total = this.doc.querySelectorAll("[data-sdc-trusted]").length;
    const trusted = this.doc.querySelectorAll("[data-sdc-trusted='true']").length;
    updateCounter(bar, trusted, total);
  }

  stats() {
    const bar = this.doc.querySelector("[data-sdc-counter]");
    const [trusted, total] = (bar?.dataset.sdcCounter ?? "0/0").split("/").map(Number);
    return { engine: this.engine.name, trusted, total, fallback: this.fallback };
  }
}

export async function main() {
  // both at once: the time to mark a page is counted from its DOM being complete
  const [engines, settings] = await Promise.all([loadEngines(), ask(api, MSG.settings)]);
  const engine = engineFor(location.href, engines);
  if (engine === null || !isResultsPage(location.href, engine)) return;
  if (!settings.engines[engine.id]) return;
  const annotator = new Annotator(document, engine, settings);
  api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if (message?.type !== MSG.pageStats) return false;
    sendResponse(annotator.stats());
    return false;
  });
  annotator.start();
}
