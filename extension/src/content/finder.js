/**
 * Finding the organic results of a results page.  The engine's definition
 * (data, engines/<id>.json) lists several layout generations; every one is
 * tried, since an engine serves old and new markup side by side for months.
 * When they find nothing or too little, the generic fallback takes over: it
 * looks for what every results page shares, an outbound title link (a heading,
 * or a link styled as a title) inside a block of the main column, redirects
 * unwrapped.  Both skip ads, navigation, "People also ask" boxes and links
 * back to the engine.
 */
import { unwrap } from "../shared/unwrap.js";

/** Blocks that never hold an organic result, whatever the engine. */
const GENERIC_EXCLUDE = "nav, header:not(article header, li header, [class*='result'] header), footer, aside, [role='navigation'], [data-text-ad], [aria-label*='Annonce' i], [aria-label*='Sponsor' i], [aria-label*='Anzeige' i], [aria-label='Ads' i], [aria-label*='People also ask' i], [aria-label*='Autres questions' i]";
/** Short labels engines put on ads. */
const AD_LABELS = new Set(["sponsorisé", "sponsorisés", "sponsored", "annonce", "annonces", "publicité", "ad", "ads", "anzeige", "ad·", "annonce·"]);
/** Click-tracking links of ads, on any engine (Qwant shows Bing's, for instance). */
const AD_LINK = /\/aclk\?|googleadservices\.|doubleclick\.net|bing\.com\/aclick|\/cbclk|\/ads\?|[?&]ad_domain=/i;
const HEADINGS = "h1, h2, h3, h4, [role='heading']";
/** A link styled as a result title when the engine uses no heading element ("result-header" too). */
const TITLE_CLASS = /title|heading|(^|[-_\s])header([-_\s]|$)/i;
const MARKS = "[data-sdc-trusted], [data-sdc-pending]";
/** Fewer results than this from the definitions: see whether the fallback finds more. */
export const TOO_FEW = 3;

/** The main column: what the engine's `main` selector matches (the closest block around all
 * matches when the column is split in parts), else the page's `main`, else its body. */
function mainColumn(doc, engine) {
  let parts = [];
  try {
    parts = engine.main ? [...doc.querySelectorAll(engine.main)] : [];
  } catch {
    parts = [];
  }
  let node = parts[0] ?? doc.querySelector("main, [role='main']") ?? doc.body;
  for (const part of parts.slice(1)) {
    while (node && !node.contains(part)) node = node.parentElement;
  }
  return node ?? doc.body;
}

/** Every `{root, link}` rule of the engine, all layouts together. */
export function rulesOf(engine) {
  return (engine.layouts ?? []).flatMap((layout) => layout.results);
}

function excludeSelector(engine) {
  const own = [...(engine.exclude ?? []), ...(engine.layouts ?? []).flatMap((layout) => layout.exclude ?? [])];
  return own.length ? `${own.join(", ")}, ${GENERIC_EXCLUDE}` : GENERIC_EXCLUDE;
}

function excluded(element, selectors) {
  try {
    return element.closest(selectors) !== null;
  } catch {
    return element.closest(GENERIC_EXCLUDE) !== null;
  }
}

function looksLikeAd(root) {
  for (const node of root.querySelectorAll("span, div, b, p")) {
    if (node.childElementCount === 0 && AD_LABELS.has(node.textContent.trim().toLowerCase())) return true;
  }
  return false;
}

/** The engine's own site: the page's host without its first label when it has three or more. */
function siteOf(host) {
  const labels = host.split(".");
  return labels.length >= 3 ? labels.slice(1).join(".") : host;
}

/** Where the link goes, unwrapped; null for ads and for links back to the engine. */
export function target(link, pageUrl) {
  const href = link.getAttribute("href");
  if (!href || AD_LINK.test(href)) return null;
  const url = unwrap(href, pageUrl);
  if (url === null || AD_LINK.test(url)) return null;
  try {
    const host = new URL(url).hostname;
    const page = new URL(pageUrl).hostname;
    const site = siteOf(page);
    // a link back to the engine itself is navigation (tabs, pages, related searches)
    if (host === page || host === site || host.endsWith(`.${site}`)) return null;
  } catch {
    return null;
  }
  return url;
}

/** Results found by the engine's own selectors: `[{root, link, url}]`. */
export function findBySelectors(doc, engine, pageUrl) {
  const found = [];
  const roots = new Set();
  const skip = excludeSelector(engine);
  for (const rule of rulesOf(engine)) {
    let candidates;
    try {
      candidates = doc.querySelectorAll(rule.root);
    } catch {
      continue;
    }
    for (const root of candidates) {
      // nested matches (sitelinks inside a result) belong to the outer result
      if (roots.has(root) || (root.parentElement && root.parentElement.closest(rule.root))) continue;
      roots.add(root);
      if (excluded(root, skip) || looksLikeAd(root)) continue;
      let link;
      try {
        link = root.querySelector(rule.link);
      } catch {
        continue;
      }
      if (!link) continue;
      const url = target(link, pageUrl);
      if (url !== null) found.push({ root, link, url });
    }
  }
  return found;
}

function isTitleLink(link) {
  if (link.querySelector(HEADINGS) || link.closest(HEADINGS)) return true;
  const own = `${link.getAttribute("class") ?? ""} ${link.dataset.testid ?? ""} ${link.dataset.testId ?? ""}`;
  const parent = link.parentElement;
  const around = parent ? `${parent.getAttribute("class") ?? ""} ${parent.dataset.testid ?? ""}` : "";
  return TITLE_CLASS.test(own) || TITLE_CLASS.test(around);
}

/** The block of one result around `link`: its widest ancestor holding no other title link. */
function fallbackRoot(link, main, titles) {
  let node = link;
  while (node.parentElement && node.parentElement !== main) {
    const parent = node.parentElement;
    let others = 0;
    for (const other of titles) if (other !== link && parent.contains(other)) others += 1;
    if (others > 0) break;
    node = parent;
  }
  return node;
}

/** Results found by the generic fallback, in the engine's main column (or the page's). */
export function findByFallback(doc, engine, pageUrl) {
  const main = mainColumn(doc, engine);
  if (!main) return [];
  const skip = excludeSelector(engine);
  const titles = [];
  for (const link of main.querySelectorAll("a[href]")) {
    if (link.textContent.trim().length < 3 || !isTitleLink(link) || excluded(link, skip)) continue;
    const url = target(link, pageUrl);
    if (url !== null) titles.push({ link, url });
  }
  const links = titles.map(({ link }) => link);
  const found = [];
  const roots = new Set();
  for (const { link, url } of titles) {
    const root = fallbackRoot(link, main, links);
    if (roots.has(root) || looksLikeAd(root)) continue;
    roots.add(root);
    found.push({ root, link, url });
  }
  return found;
}

/**
 * The results of a page: the engine's definitions, or the fallback when they find
 * nothing or too little (fewer than TOO_FEW while the fallback finds more).
 * `how` says which ran.
 */
export function findResults(doc, engine, pageUrl) {
  const selected = findBySelectors(doc, engine, pageUrl);
  if (selected.length >= TOO_FEW) return { results: selected, how: "selectors" };
  const fallback = findByFallback(doc, engine, pageUrl);
  if (fallback.length > selected.length) return { results: fallback, how: "fallback" };
  return { results: selected, how: "selectors" };
}

/** Keep results not yet annotated nor being annotated. */
export function unmarked(results) {
  return results.filter(({ root }) => !root.matches(MARKS));
}
