/**
 * Where "Signaler une erreur" leads: the service's report form, `/signaler`, which shows the
 * verdict of an address and files the report (`POST /api/reports`, see docs/sources.md).
 */

/** The report form of the service at `serviceUrl` (for `url` when given), or null without a service. */
export function reportUrl(serviceUrl, url = "") {
  if (!serviceUrl) return null;
  let base;
  try {
    base = new URL(serviceUrl);
  } catch {
    return null;
  }
  if (!["https:", "http:"].includes(base.protocol)) return null;
  const form = new URL(`${base.pathname.replace(/\/+$/, "")}/signaler`, base);
  if (url) form.searchParams.set("url", url);
  return form.href;
}
