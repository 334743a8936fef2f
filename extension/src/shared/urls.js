/**
 * The host a browser would connect to, for any string given as a URL, with the
 * same answers and the same reasons as sources/urls.py: a fast path for plain
 * `http(s)://host/...` URLs, and the WHATWG parser (`URL`) for the rest.
 */

export const MAX_URL_LENGTH = 8192;

const FAST = /^https?:\/\/([a-zA-Z0-9][a-zA-Z0-9.-]*)(?:[/?#]|$)/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** The host of a plain URL, or null to take the slow path. */
export function fastHost(url) {
  const match = FAST.exec(url);
  if (match === null) return null;
  let host = match[1].toLowerCase();
  // punycode must be validated and empty labels are the full parser's business
  if (host.includes("..") || host.includes("xn--")) return null;
  if (host.endsWith(".")) host = host.slice(0, -1);
  // a top-level label must start with a letter: this leaves single-label hosts,
  // IPv4 numbers (`0x7f.1`) and odd labels to the full parser
  const dot = host.lastIndexOf(".");
  if (dot <= 0) return null;
  const first = host.charAt(dot + 1);
  if (!(first >= "a" && first <= "z")) return null;
  return host;
}

/** `{host}` (ASCII lowercase, no trailing dot) or `{host: null, reason}`; never throws. */
export function parseHost(url) {
  if (typeof url !== "string") return { host: null, reason: "not a string" };
  const host = fastHost(url);
  if (host !== null) return { host };
  return parseHostWhatwg(url);
}

function stripC0(text) {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

function codePointLength(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function parseHostWhatwg(url) {
  if (typeof url !== "string") return { host: null, reason: "not a string" };
  if (url.length > MAX_URL_LENGTH && codePointLength(url) > MAX_URL_LENGTH) {
    return { host: null, reason: `longer than ${MAX_URL_LENGTH} characters` };
  }
  // WHATWG: strip leading/trailing C0 controls and spaces, delete tabs and newlines anywhere
  let text = stripC0(url).replace(/[\t\n\r]/g, "");
  if (!text) return { host: null, reason: "empty URL" };
  const scheme = SCHEME.exec(text);
  if (scheme === null || (scheme[0].includes(".") && !text.slice(scheme[0].length).startsWith("//"))) {
    // `paris.fr:8080/x` is a host with a port, not a scheme named `paris.fr`
    text = "http://" + text;
  } else {
    const protocol = scheme[0].toLowerCase();
    if (protocol !== "http:" && protocol !== "https:") return { host: null, reason: `not a web URL (${protocol})` };
  }
  let host;
  try {
    host = new URL(text).hostname.replace(/\.+$/, "");
  } catch {
    return { host: null, reason: "not a valid URL" };
  }
  if (!host) return { host: null, reason: "no host" };
  // a special URL's host is a domain, an IPv6 [address] or a dotted-decimal IPv4 address
  // (a domain ending in a number is parsed as IPv4 or refused)
  if (host.startsWith("[") || /^[0-9]+$/.test(host.slice(host.lastIndexOf(".") + 1))) {
    return { host: null, reason: "IP address host" };
  }
  if (!host.includes(".")) return { host: null, reason: "single-label host" };
  return { host };
}
