/**
 * Finding the organic results of a results page: the engine's selectors first
 * (data, from engines/<id>.json), else the generic fallback, which takes the
 * links wrapping a result heading (h2/h3) in the page's main column.  Both skip
 * ads, navigation and "People also ask" boxes, and links back to the engine.
 */
import { unwrap } from "../shared/unwrap.js";

/** Blocks that never hold an organic result, whatever the engine. */
const GENERIC_EXCLUDE = "nav, header, footer, aside, [role='navigation'], [data-text-ad], [aria-label*='Annonce' i], [aria-label*='Sponsor' i], [aria-label*='Anzeige' i]";
/** Short labels engines put on ads. */
const AD_LABELS = new Set(["sponsorisé", "sponsorisés", "sponsored", "annonce", "annonces", "publicité", "ad", "ads", "anzeige"]);
const MARKS = "[data-sdc-trusted], [data-sdc-pending]";

function queryFirst(doc, selectors) {
  try {
    return doc.querySelector(selectors);
  } catch {
    return null;
  }
}

function excluded(element, engine) {
  const selectors = engine.exclude.length ? `${engine.exclude.join(", ")}, ${GENERIC_EXCLUDE}` : GENERIC_EXCLUDE;
  return element.closest(selectors) !== null;
}

function looksLikeAd(root) {
  for (const node of root.querySelectorAll("span, div, b")) {
    if (node.childElementCount === 0 && AD_LABELS.has(node.textContent.trim().toLowerCase())) return true;
  }
  return false;
}

function target(link, pageUrl) {
  const url = unwrap(link.getAttribute("href"), pageUrl);
  if (url === null) return null;
  try {
    // a link back to the engine itself is navigation (tabs, pages, related searches)
    if (new URL(url).hostname === new URL(pageUrl).hostname) return null;
  } catch {
    return null;
  }
  return url;
}

/** Results found by the engine's own selectors: `[{root, link, url}]`, new ones only. */
export function findBySelectors(doc, engine, pageUrl) {
  const found = [];
  const roots = new Set();
  for (const rule of engine.results) {
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
      if (excluded(root, engine) || looksLikeAd(root)) continue;
      const link = root.querySelector(rule.link);
      if (!link) continue;
      const url = target(link, pageUrl);
      if (url !== null) found.push({ root, link, url });
    }
  }
  return found;
}

/** The block of one result around `link`: its widest ancestor holding no other heading link. */
function fallbackRoot(link, main) {
  let node = link;
  while (node.parentElement && node.parentElement !== main && headingLinks(node.parentElement).length <= 1) {
    node = node.parentElement;
  }
  return node;
}

function headingLinks(scope) {
  const links = new Set();
  for (const heading of scope.querySelectorAll("h2, h3")) {
    const link = heading.closest("a[href]") ?? heading.querySelector("a[href]");
    if (link) links.add(link);
  }
  return [...links];
}

/** Results found by the generic fallback, in the engine's main column (or the page's). */
export function findByFallback(doc, engine, pageUrl) {
  const main = queryFirst(doc, engine.main) ?? doc.querySelector("main, [role='main']") ?? doc.body;
  const found = [];
  for (const link of headingLinks(main)) {
    if (excluded(link, engine)) continue;
    const url = target(link, pageUrl);
    if (url === null) continue;
    const root = fallbackRoot(link, main);
    if (looksLikeAd(root)) continue;
    found.push({ root, link, url });
  }
  return found;
}

/** Keep results not yet annotated nor being annotated. */
export function unmarked(results) {
  return results.filter(({ root }) => !root.matches(MARKS));
}
