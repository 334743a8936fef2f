/**
 * Registrable domains by the Public Suffix List, as sources/psl.py computes them.
 *
 * Rules come from the trust list as `{suffix: flags}`; the walk goes from the
 * longest suffix to the TLD and the first level that decides wins.
 */

export const NORMAL = 1;
export const WILDCARD = 2;
export const EXCEPTION = 4;

/** @param {string} host ASCII lowercase host @param {Map<string, number>} rules */
export function walkRegistrable(host, rules) {
  if (!host || host.startsWith(".") || host.includes("..")) return null;
  let child = null;
  let grandchild = null;
  let level = host;
  for (;;) {
    const flags = rules.get(level) ?? 0;
    if (flags & EXCEPTION) return level;
    // like libpsl and publicsuffixlist, the root of a wildcard rule is a suffix too
    if (flags & WILDCARD) return grandchild;
    if (flags & NORMAL) return child;
    const dot = level.indexOf(".");
    if (dot < 0) return child;
    grandchild = child;
    child = level;
    level = level.slice(dot + 1);
  }
}

export function isPublicSuffix(host, rules) {
  return walkRegistrable(host, rules) === null;
}
