/**
 * The optional service mode: results are classified by the service's
 * `POST /api/classify` (for deployments that want central statistics), which
 * answers `{"results": [{url, trusted, domain, category, name, reason}]}`.
 * Only chosen in the options (or by policy); the default stays local.
 */
export async function classifyRemotely(serviceUrl, urls) {
  const endpoint = new URL("api/classify", serviceUrl.endsWith("/") ? serviceUrl : serviceUrl + "/");
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ urls }),
    credentials: "omit",
    referrerPolicy: "no-referrer",
  });
  if (!response.ok) throw new Error(`classification service: HTTP ${response.status}`);
  const { results } = await response.json();
  if (!Array.isArray(results) || results.length !== urls.length) throw new Error("classification service: bad answer");
  return results;
}
