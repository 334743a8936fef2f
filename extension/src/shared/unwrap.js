/**
 * The real target of a result link.  Engines wrap results in redirects that
 * log the click; the badge must judge where the link finally goes.
 *
 *   Google      /url?q=<url>&sa=U...   or /url?url=<url>&...
 *   Bing        /ck/a?!&&p=...&u=a1<base64url of the url>&ntb=1
 *   DuckDuckGo  //duckduckgo.com/l/?uddg=<url>&rut=...
 *   Yahoo       //r.search.yahoo.com/.../RU=<url>/RK=...
 */

function decodeBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

function isWeb(url) {
  return /^https?:\/\//i.test(url);
}

function isGoogleHost(host) {
  return /(^|\.)google\.[a-z.]+$/.test(host);
}

/** The target URL of `href` found on the page at `pageUrl`; `href` resolved when not a redirect. */
export function unwrap(href, pageUrl) {
  let url;
  try {
    url = new URL(href, pageUrl);
  } catch {
    return null;
  }
  const host = url.hostname;
  const params = url.searchParams;
  let target = null;
  if (isGoogleHost(host) && url.pathname === "/url") {
    target = params.get("q") || params.get("url");
  } else if (/(^|\.)bing\.com$/.test(host) && url.pathname === "/ck/a") {
    const u = params.get("u");
    if (u && u.startsWith("a1")) {
      try {
        target = decodeBase64Url(u.slice(2));
      } catch {
        target = null;
      }
    }
  } else if (/(^|\.)duckduckgo\.com$/.test(host) && url.pathname === "/l/") {
    target = params.get("uddg");
  } else if (host === "r.search.yahoo.com") {
    const match = /\/RU=([^/]+)\/RK=/.exec(url.pathname);
    if (match) target = decodeURIComponent(match[1]);
  }
  if (target !== null) return isWeb(target) ? target : null;
  return url.href;
}
