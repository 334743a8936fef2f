/**
 * The trust list cut into buckets, so that a content script classifies a page's
 * results by reading only the part of the list their hosts can match, without
 * waiting for the background (asleep, starting, or loading a 100,000-host list).
 *
 * The classifier only ever looks up the levels of a host (`a.b.gouv.fr`,
 * `b.gouv.fr`, `gouv.fr`, `fr`): every level but the last shares the host's last
 * two labels, the last is its top-level label.  Each host-keyed table (PSL rules,
 * registry hosts, zones, curator allows and denies, platforms) is therefore split
 * by a hash of its key's last two labels; the two buckets of a host hold every row
 * its classification reads, so a classifier built from them gives the answer of
 * the full list for that host (compact.test.js checks it on the shared vectors).
 */

/** at most this many buckets (a full registry: ~110,000 rows, ~100 per bucket) */
export const BUCKETS = 1024;
/** rows per bucket a smaller list aims at: fewer keys to write at install */
const ROWS_PER_BUCKET = 64;
/** `[host, ...]` rows */
const ROW_TABLES = ["hosts", "zones", "allows", "denies"];
/** host names */
const HOST_SETS = ["deniedPlatforms", "sharedSuffixes"];
/** Unicode names for the homoglyph check: read only for punycode hosts */
const SCRIPTS = "scripts";

/** The bucket of a host key: FNV-1a of its last two labels (its only label for a TLD). */
export function bucketOf(host, buckets = BUCKETS) {
  const last = host.lastIndexOf(".");
  const start = last < 0 ? 0 : host.lastIndexOf(".", last - 1) + 1;
  let hash = 0x811c9dc5;
  for (let i = start; i < host.length; i++) {
    hash ^= host.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % buckets;
}

/** The buckets the classification of these hosts reads. */
export function bucketsFor(hosts, buckets = BUCKETS) {
  const wanted = new Set();
  for (const host of hosts) {
    if (!host) continue;
    wanted.add(bucketOf(host, buckets));
    wanted.add(bucketOf(host.slice(host.lastIndexOf(".") + 1), buckets));
  }
  return wanted;
}

/** A power of two between 16 and BUCKETS, about ROWS_PER_BUCKET rows each. */
export function bucketCount(payload) {
  let rows = Object.keys(payload.psl).length;
  for (const table of [...ROW_TABLES, ...HOST_SETS]) rows += payload[table].length;
  let buckets = 16;
  while (buckets < BUCKETS && buckets * ROWS_PER_BUCKET < rows) buckets *= 2;
  return buckets;
}

function emptyPart() {
  const part = { psl: {} };
  for (const table of [...ROW_TABLES, ...HOST_SETS]) part[table] = [];
  return part;
}

/**
 * `{core, scripts, parts}` from a verified payload: `parts[i]` holds bucket i of every
 * host-keyed table, `core` everything else (categories, rule texts, ...).
 */
export function compile(payload, buckets = bucketCount(payload)) {
  const parts = Array.from({ length: buckets }, emptyPart);
  for (const [key, flags] of Object.entries(payload.psl)) parts[bucketOf(key, buckets)].psl[key] = flags;
  for (const table of ROW_TABLES) {
    for (const row of payload[table]) parts[bucketOf(row[0], buckets)][table].push(row);
  }
  for (const set of HOST_SETS) {
    for (const host of payload[set]) parts[bucketOf(host, buckets)][set].push(host);
  }
  const split = new Set(["psl", SCRIPTS, ...ROW_TABLES, ...HOST_SETS]);
  const core = Object.fromEntries(Object.entries(payload).filter(([key]) => !split.has(key)));
  return { core, scripts: payload[SCRIPTS], parts };
}

/** A payload `Classifier` accepts, from the core, some buckets and (for punycode hosts) the scripts. */
export function assemble(core, parts, scripts = { words: [], ranges: [] }) {
  const payload = { ...core, psl: {}, scripts };
  for (const table of [...ROW_TABLES, ...HOST_SETS]) payload[table] = [];
  for (const part of parts) {
    Object.assign(payload.psl, part.psl);
    for (const table of [...ROW_TABLES, ...HOST_SETS]) payload[table].push(...part[table]);
  }
  return payload;
}

/** Whether classifying these hosts reads the Unicode names (a punycode label). */
export function needsScripts(hosts) {
  return hosts.some((host) => host && host.includes("xn--"));
}

/** storage.local keys of one compiled list (`gen` names it, so two lists never mix). */
export const POINTER_KEY = "sdc:list";
export const scriptsKey = (gen) => `sdc:${gen}:scripts`;
export const bucketKey = (gen, i) => `sdc:${gen}:${i}`;

/** The compiled list's file format (`data/compiled.jsonl` in the package). */
export const COMPILED_FORMAT = 1;

/**
 * The compiled list as one text file: a JSON header `{format, version, entries, buckets}`, then
 * the core, the scripts and each bucket as JSON text, one per line (JSON text holds no raw line
 * break).  `sdc extension build` packs it (`data/compiled.jsonl`), and the service repacks it with
 * each new list (service/extension_packages.py writes the same), so that an install stores the
 * lines as they are: no 4 MB list to verify, parse and compile (a JSON document of these strings
 * took 665 ms to parse, measured at load 15; splitting lines takes a few).
 */
export function compiledFile(document, compiled) {
  const header = { format: COMPILED_FORMAT, version: document.version, entries: document.entries ?? 0, buckets: compiled.parts.length };
  return [header, compiled.core, compiled.scripts, ...compiled.parts].map((value) => JSON.stringify(value)).join("\n");
}

/**
 * All storage.local entries of a compiled list file, its pointer last.  Each value is JSON text:
 * the browser stores a string as it is, while converting 4 MB of small arrays took Chromium 3 s
 * (measured at install, load 16), during which every other storage call of the extension waited.
 */
export function fileEntries(text) {
  const lines = typeof text === "string" ? text.split("\n") : [];
  let header = null;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    header = null;
  }
  if (header?.format !== COMPILED_FORMAT || typeof header.version !== "string" || lines.length !== header.buckets + 3) {
    throw new Error("not a compiled trust list");
  }
  const gen = header.version;
  const entries = { [scriptsKey(gen)]: lines[2] };
  for (let i = 0; i < header.buckets; i++) entries[bucketKey(gen, i)] = lines[i + 3];
  // the core (a few hundred bytes) rides with the pointer: a page reads both in one call
  entries[POINTER_KEY] = { gen, version: header.version, entries: header.entries, buckets: header.buckets, core: lines[1] };
  return entries;
}

/** The storage.local entries of a verified list document. */
export function storageEntries(document, compiled) {
  return fileEntries(compiledFile(document, compiled));
}

/** A stored value back (JSON text), or undefined when it is missing. */
export function readEntry(value) {
  return typeof value === "string" ? JSON.parse(value) : undefined;
}

/** The keys of a pointer's list (to remove it once another replaced it). */
export function storageKeys(pointer) {
  const keys = [scriptsKey(pointer.gen)];
  for (let i = 0; i < pointer.buckets; i++) keys.push(bucketKey(pointer.gen, i));
  return keys;
}
