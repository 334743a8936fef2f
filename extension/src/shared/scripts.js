/**
 * The homoglyph check of sources/hosts.py: a punycode label whose letters come
 * from several scripts (`gоuv` with a Cyrillic `о`) makes a host untrusted.
 *
 * Python approximates a character's script by the first word of its Unicode
 * name; the trust list ships that word for every named code point (`scripts`)
 * so both sides agree on the same Unicode version.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

function adapt(delta, numPoints, firstTime) {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digit(code) {
  if (code >= 0x30 && code <= 0x39) return code - 22; // 0-9 -> 26..35
  if (code >= 0x61 && code <= 0x7a) return code - 0x61; // a-z
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  return BASE;
}

/** RFC 3492 decoding of the part after `xn--`; throws on malformed input. */
export function decodePunycode(input) {
  const output = [];
  const basic = input.lastIndexOf("-");
  for (let j = 0; j < Math.max(basic, 0); j++) {
    if (input.charCodeAt(j) >= 0x80) throw new RangeError("not basic");
    output.push(input.charCodeAt(j));
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = basic > 0 ? basic + 1 : 0; index < input.length; ) {
    const oldi = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= input.length) throw new RangeError("truncated");
      const d = digit(input.charCodeAt(index++));
      if (d >= BASE) throw new RangeError("bad digit");
      i += d * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
    }
    const length = output.length + 1;
    bias = adapt(i - oldi, length, oldi === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff) throw new RangeError("overflow");
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

/** First word of the Unicode name of a non-ASCII code point, or null when unnamed. */
export function nameWord(cp, table) {
  const ranges = table.ranges;
  let lo = 0;
  let hi = ranges.length / 3 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[mid * 3]) hi = mid - 1;
    else if (cp > ranges[mid * 3 + 1]) lo = mid + 1;
    else return table.words[ranges[mid * 3 + 2]];
  }
  return null;
}

export function scriptsOf(label, table) {
  const found = new Set();
  for (const char of label) {
    const cp = char.codePointAt(0);
    if (cp < 0x80) {
      if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) found.add("LATIN");
      continue;
    }
    const word = nameWord(cp, table);
    if (word !== null) found.add(word);
  }
  return found;
}

export function isMixedScript(host, table) {
  if (!host.includes("xn--")) return false;
  for (const label of host.split(".")) {
    if (!label.startsWith("xn--")) continue;
    let decoded;
    try {
      decoded = decodePunycode(label.slice(4));
    } catch {
      return true;
    }
    if (scriptsOf(decoded, table).size > 1) return true;
  }
  return false;
}
