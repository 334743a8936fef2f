/**
 * The trust classifier of sources/classifier.py, ported line by line so that
 * the extension gives, offline, the same answer as the service for every URL
 * (tests/fixtures/classification_vectors.json is checked by both test suites).
 *
 * Precedence, strongest first: a curator deny on the host or a parent; the most
 * specific of curator allow, list entry or restricted zone; a denied platform
 * on a parent (unless the match is a curator allow); otherwise not listed.
 * Entries never cover hosts across a public suffix or a shared platform.
 */

import { EXCEPTION, NORMAL, WILDCARD, isPublicSuffix, walkRegistrable } from "./psl.js";
import { isMixedScript } from "./scripts.js";
import { parseHost } from "./urls.js";

export const NOT_LISTED = "not in registry";
const MIXED = "mixed-script host name (possible homoglyph)";

export class Classifier {
  /**
   * @param {object} payload the parsed `payload` of a trust list (see sources/trustlist.py)
   *
   * Python compiles one node per key; here each kind of rule has its own Map or
   * Set and registry rows stay as they came (an entry object is only made for a
   * match), which keeps building the classifier from 100,000 hosts short: a
   * background service worker does it each time the browser wakes it up.
   */
  constructor(payload) {
    this.categories = payload.categories.map(([value]) => value);
    this.labels = Object.fromEntries(payload.categories);
    this.ruleTexts = payload.rules;
    const full = ([host, c, name, rule, reason]) => [host, { host, category: this.category(c), name, rule, reason }];
    this.rules = new Map(Object.entries(payload.psl));
    this.entries = new Map(payload.hosts.map((row) => [row[0], row]));
    this.zones = new Map(payload.zones.map(full));
    this.allows = new Map(payload.allows.map(full));
    this.denies = new Map(payload.denies.map(([host, rule, reason]) => [host, { host, rule, reason }]));
    this.deniedPlatforms = new Set(payload.deniedPlatforms);
    this.shared = new Set(payload.sharedSuffixes);
    this.suffixes = new Set(payload.sharedSuffixes);
    // every host key, not only PSL rules: `com.np` is a suffix through `*.np` alone
    for (const keys of [this.rules.keys(), this.entries.keys(), this.allows.keys(), this.denies.keys(),
      this.zones.keys()]) {
      for (const key of keys) if (isPublicSuffix(key, this.rules)) this.suffixes.add(key);
    }
    this.hasDenies = this.denies.size > 0;
    this.ownLabels = new Set(payload.platformOwnLabels);
    this.scripts = payload.scripts;
    this.entryCount = payload.hosts.length;
  }

  category(index) {
    return index === null ? null : this.categories[index];
  }

  entry(row) {
    const [rule, reason] = this.ruleTexts[row[3]];
    return { host: row[0], category: this.category(row[1]), name: row[2], rule, reason };
  }

  /** Classify an ASCII lowercase host without a trailing dot. */
  classifyHost(host) {
    // a host DNS cannot hold is refused before any walk (sources/hosts.py dns_problem)
    const problem = dnsProblem(host);
    if (problem !== null) return verdict(false, null, null, null, null, problem);
    let level = host;
    let child = null;
    let grandchild = null;
    let domain = null;
    let domainFound = false;
    let boundary = false;
    let candidate = null;
    let curated = false;
    let platform = null;
    for (;;) {
      const flags = this.rules.get(level) ?? 0;
      if (!domainFound && flags) {
        if (flags & EXCEPTION) [domain, domainFound] = [level, true];
        else if (flags & WILDCARD) [domain, domainFound] = [grandchild, true];
        else if (flags & NORMAL) [domain, domainFound] = [child, true];
      }
      if (flags & WILDCARD && child !== null) boundary = true;
      const deny = this.hasDenies ? this.denies.get(level) : undefined;
      if (deny !== undefined) return this.denied(deny, host);
      const suffix = this.suffixes.has(level);
      if (candidate === null && !boundary && !(suffix && level !== host)) {
        const allow = this.allows.get(level);
        if (allow !== undefined) [candidate, curated] = [allow, true];
        else {
          const row = this.entries.get(level);
          if (row !== undefined) candidate = this.entry(row);
        }
      }
      if (candidate === null) candidate = this.zones.get(level) ?? null;
      if (platform === null && !boundary) {
        if (this.shared.has(level)) {
          // the platform's own hosts are not tenants; tenants are judged alone
          if (child === null || this.ownLabel(child, level)) platform = level;
        } else if (this.deniedPlatforms.has(level)) platform = level;
      }
      if (suffix) boundary = true;
      // Python checks this on its nodes only; the state only changes on them, so checking
      // at every level stops at the same place
      if (candidate !== null && !this.hasDenies && domainFound) break;
      const dot = level.indexOf(".");
      if (dot < 0) {
        if (!domainFound) domain = child;
        break;
      }
      grandchild = child;
      child = level;
      level = level.slice(dot + 1);
    }
    if (!domainFound) domain = walkRegistrable(host, this.rules);
    if (platform !== null && !curated) {
      return verdict(false, domain, null, null, `platform:${platform}`,
        `shared platform ${platform}: its pages are not vouched for by the lists`);
    }
    const mixed = isMixedScript(host, this.scripts);
    if (candidate === null || mixed) return verdict(false, domain, null, null, null, mixed ? MIXED : NOT_LISTED);
    return verdict(true, domain, candidate.category, candidate.name, candidate.rule, candidate.reason);
  }

  denied(deny, host) {
    return verdict(false, walkRegistrable(host, this.rules), null, null, deny.rule, deny.reason);
  }

  ownLabel(child, level) {
    return this.ownLabels.has(child.slice(0, child.length - level.length - 1));
  }

  /** `{url, trusted, domain, category, name, rule, reason}` (the service's shape); never throws. */
  classify(url) {
    const parsed = parseHost(url);
    if (parsed.host === null) {
      return { url: String(url), trusted: false, domain: null, category: null, name: null, rule: null, reason: parsed.reason || "no host" };
    }
    return { url, ...this.classifyHost(parsed.host) };
  }
}

/** RFC 1035: a name of at most 253 characters, labels of 1 to 63 (letters, digits, `-`, `_`). */
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const DNS_LABELS = /^[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*$/;

/** Why an ASCII lowercase host cannot exist in DNS, or null (the length first: constant time). */
export function dnsProblem(host) {
  if (host.length > MAX_HOST_LENGTH) return `host name longer than DNS allows (${MAX_HOST_LENGTH} characters)`;
  if (DNS_LABELS.test(host)) return null;
  const labels = host.split(".");
  if (labels.some((label) => label.length > MAX_LABEL_LENGTH)) return `a label is longer than DNS allows (${MAX_LABEL_LENGTH} characters)`;
  if (labels.includes("")) return "empty label in host name";
  return "host name with characters DNS does not allow (letters, digits, '-' and '_' only)";
}

function verdict(trusted, domain, category, name, rule, reason) {
  return { trusted, domain, category, name, rule, reason };
}
