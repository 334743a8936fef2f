/**
 * Which engine a page belongs to, from the engines' match patterns (the same
 * patterns the manifest gives the browser for injecting the content script).
 */

/** A WebExtension match pattern (`https://www.google.fr/search*`) as a RegExp over a URL. */
export function patternToRegExp(pattern) {
  const escape = (text) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  const [, scheme, host, path] = /^([a-z]+):\/\/([^/]+)(\/.*)$/.exec(pattern) ?? [null, null, null, null];
  if (scheme === null) return new RegExp(`^${escape(pattern).replace(/\*/g, ".*")}$`);
  // `*.` in the host stands for any subdomains (never a slash); `*` in the path for anything
  const hostPart = host.startsWith("*.") ? `(?:[^/]+\\.)?${escape(host.slice(2))}` : escape(host);
  return new RegExp(`^${escape(scheme)}://${hostPart}${escape(path).replace(/\*/g, ".*")}$`);
}

/** The first engine whose patterns match `url`, or null. */
export function engineFor(url, engines) {
  for (const engine of engines) {
    if (engine.matches.some((pattern) => patternToRegExp(pattern).test(url))) return engine;
  }
  return null;
}

/** True when `url` is a results page of `engine` (its query parameter, when it has one, is set). */
export function isResultsPage(url, engine) {
  if (!engine.query) return true; // Startpage posts its form: the query is not in the URL
  try {
    return Boolean(new URL(url).searchParams.get(engine.query)?.trim());
  } catch {
    return false;
  }
}

/** Check an engine file's shape; returns a list of problems (empty when valid). */
export function validateEngine(engine) {
  const problems = [];
  for (const key of ["id", "name", "container", "main"]) {
    if (typeof engine[key] !== "string" || !engine[key]) problems.push(`${key} must be a non-empty string`);
  }
  if (!Array.isArray(engine.matches) || engine.matches.length === 0) problems.push("matches must be a non-empty list");
  if (!Array.isArray(engine.layouts) || engine.layouts.length === 0) problems.push("layouts must be a non-empty list");
  for (const layout of engine.layouts ?? []) {
    if (typeof layout.name !== "string" || !layout.name) problems.push("each layout needs a name");
    // the capture dates of the real pages the layout was checked on (YYYY-MM-DD)
    if (!Array.isArray(layout.checked) || layout.checked.some((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d))) {
      problems.push("each layout needs checked: a list of YYYY-MM-DD dates");
    }
    if (!Array.isArray(layout.results) || layout.results.length === 0) problems.push("each layout needs results");
    for (const rule of layout.results ?? []) {
      if (typeof rule.root !== "string" || typeof rule.link !== "string") problems.push("each result needs root and link selectors");
    }
  }
  if (!Array.isArray(engine.exclude)) problems.push("exclude must be a list");
  if (engine.query !== null && typeof engine.query !== "string") problems.push("query must be a parameter name or null");
  return problems;
}
