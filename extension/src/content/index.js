/**
 * The content script: find the results, classify them here on the compiled list
 * in storage.local (or have the background classify them in service mode, or
 * before any list is stored), mark them, count them, and do it again whenever
 * the engine adds results (infinite scroll, "more results").  It starts at
 * document_start: the settings and the list's core are read while the page loads,
 * results are marked as the parser closes them, and the page is scanned again as
 * soon as the DOM is complete.
 */
import { ENGINES } from "../engines/all.js";
import { api } from "../shared/api.js";
import { engineFor, isResultsPage } from "../shared/engines.js";
import { MSG, SETTINGS_KEY, ask } from "../shared/messages.js";
import { TOO_FEW, findByFallback, findBySelectors, findResults, target, unmarked } from "./finder.js";
import { POINTER_KEY } from "../shared/compact.js";
import { LocalList } from "../shared/list.js";
import { ensureCounter, makeBadge, updateCounter } from "./ui.js";

/** results added later (infinite scroll) come in bursts: one scan for a burst */
const RESCAN_DELAY_MS = 50;
/** what the extension itself adds: no rescan for it */
const OWN = "[data-sdc-badge], [data-sdc-counter]";

/**
 * Where the content script reads the list and settings.  Chromium: storage.local, so that a page
 * never wakes the service worker.  Firefox: storage.local and the background at once, the first
 * answer winning: a content script's first storage read of a page is slow there (60-80 ms, 220-
 * 300 ms on the first page after install, measured at load 13-21), and the event page answers
 * from memory, or from its own storage connection, already open.
 */
function listArea() {
  const storage = api.storage.local;
  if (!api.runtime.getURL("").startsWith("moz-extension:")) return storage;
  return {
    get(keys) {
      const wanted = typeof keys === "string" ? [keys] : keys;
      return Promise.any([storage.get(wanted), ask(api, MSG.read, { keys: wanted })]);
    },
  };
}

/** The settings the background published and the list's pointer, in one storage call; the
 * settings are asked for when none are published yet (the first page after install). */
async function readStart(area, list) {
  const got = await area.get([SETTINGS_KEY, POINTER_KEY]);
  list.adopt(got[POINTER_KEY]);
  return got[SETTINGS_KEY] ?? ask(api, MSG.settings, { now: true });
}

function ownMutation(record) {
  if (record.target.nodeType === 1 && record.target.closest(OWN)) return true; // the counter's text
  for (const node of record.addedNodes) if (node.nodeType !== 1 || !node.matches(OWN)) return false;
  for (const node of record.removedNodes) if (node.nodeType !== 1 || !node.matches(OWN)) return false;
  return true;
}

/** Whether the parser is past `node`: something follows it in document order. */
function closed(node) {
  for (let at = node; at !== null; at = at.parentNode) if (at.nextSibling !== null) return true;
  return false;
}

class Annotator {
  constructor(doc, engine, settings, list) {
    this.doc = doc;
    this.engine = engine;
    this.settings = settings;
    this.list = list;
    this.fallback = false;
    this.bySelectors = false;
    this.early = false;
    this.seen = new WeakSet();
    this.timer = null;
    this.running = Promise.resolve();
  }

  /** Watch the page from now on: while it loads, results are marked as the parser closes them. */
  start() {
    new MutationObserver((records) => {
      if (!records.every(ownMutation)) this.schedule();
    }).observe(this.doc, { childList: true, subtree: true });
    if (this.doc.readyState === "loading") this.schedule(0);
    else this.domComplete();
  }

  /** The DOM is complete: scanned in this very task, before the browser lays out a large page
   * (a timer would wait for that, 100-200 ms on Qwant's). */
  domComplete() {
    this.enqueue();
  }

  schedule(delay = RESCAN_DELAY_MS) {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.enqueue();
    }, delay);
  }

  enqueue() {
    this.running = this.running.then(() => this.scan()).catch((error) => console.warn("Sources de confiance:", error));
  }

  /**
   * While the page loads, only the engine's selectors are trusted, only for results the parser has
   * closed (an ad label may follow the title link), and only once they find TOO_FEW: whether the
   * fallback is needed is decided on the complete DOM.
   */
  findWhileLoading(href) {
    this.prefetch(href);
    const found = findBySelectors(this.doc, this.engine, href).filter(({ root }) => closed(root));
    if (!this.early && found.length < TOO_FEW) return [];
    this.early = true;
    return unmarked(found);
  }

  /** The list's buckets for the page's outbound links, read while it loads: when the DOM is
   * complete, classifying then waits for no storage read (behind the layout of a large page). */
  prefetch(href) {
    const urls = [];
    for (const link of this.doc.querySelectorAll("a[href]")) {
      if (this.seen.has(link)) continue;
      this.seen.add(link);
      const url = target(link, href);
      if (url !== null) urls.push(url);
    }
    if (urls.length) this.list.prefetch(urls).catch(() => {});
  }

  find() {
    const href = this.doc.location.href;
    if (this.doc.readyState === "loading") return this.findWhileLoading(href);
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
    const urls = results.map((r) => r.url);
    let answer;
    try {
      if (this.settings.classification !== "service") answer = await this.list.classify(urls).catch(() => null);
      answer ??= await ask(api, MSG.classify, { urls });
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
  // while the page is still loading
  const area = listArea();
  const list = new LocalList(area);
  const engine = engineFor(location.href, ENGINES);
  if (engine === null || !isResultsPage(location.href, engine)) return;
  const settings = await readStart(area, list);
  if (!settings.engines[engine.id]) return;
  const annotator = new Annotator(document, engine, settings, list);
  api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if (message?.type !== MSG.pageStats) return false;
    sendResponse(annotator.stats());
    return false;
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => annotator.domComplete(), { once: true });
  }
  annotator.start();
}
