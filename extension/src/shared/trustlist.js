/**
 * The trust list file written by sources/trustlist.py: `{format, version,
 * sha256, entries, payload}` where `payload` is JSON text whose UTF-8 SHA-256
 * is `sha256`.  A list is only ever used after its digest checks out.
 */

export const FORMAT = 1;
export const SERVICE_PATH = "/extension/trustlist.json";

export class TrustListError extends Error {}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Check a parsed list document; resolves to its payload object or throws TrustListError. */
export async function verifyTrustList(document) {
  if (document === null || typeof document !== "object") throw new TrustListError("not a trust list");
  if (document.format !== FORMAT) throw new TrustListError(`unsupported trust list format ${document.format}`);
  if (typeof document.payload !== "string" || typeof document.sha256 !== "string") {
    throw new TrustListError("trust list without payload or digest");
  }
  const digest = await sha256Hex(document.payload);
  if (digest !== document.sha256) throw new TrustListError("trust list digest mismatch");
  return JSON.parse(document.payload);
}

/** The list file's URL on a service (`https://sdc.example.fr` -> `.../extension/trustlist.json`). */
export function trustListUrl(serviceUrl) {
  return new URL(SERVICE_PATH.slice(1), serviceUrl.endsWith("/") ? serviceUrl : serviceUrl + "/").href;
}
