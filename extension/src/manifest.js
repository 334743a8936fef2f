/**
 * The manifest, generated per browser (there is no hand-kept manifest.json):
 * Chromium runs the background as a module service worker and reads the
 * `storage.managed` schema; Firefox runs it as a module event page and needs
 * its add-on id.  Content scripts are injected on the engines' own match
 * patterns, from engines/<id>.json.
 */

export const BROWSERS = ["chromium", "firefox"];
export const GECKO_ID = "sources-de-confiance@sdc.extension";
/** the content script's bundle, written by scripts/build.js from content/entry.js */
export const CONTENT_SCRIPT = "content/content.js";

/**
 * @param {{browser: string, version: string, engines: {matches: string[]}[], serviceOrigin?: string|null, geckoId?: string}} context
 */
export function manifest({ browser, version, engines, serviceOrigin = null, geckoId = GECKO_ID, serviceUrl = null, publicKey = null, selfHosted = false }) {
  if (!BROWSERS.includes(browser)) throw new Error(`unknown browser ${browser} (known: ${BROWSERS.join(", ")})`);
  const matches = [...new Set(engines.flatMap((engine) => engine.matches))];
  const common = {
    manifest_version: 3,
    name: "Sources de confiance",
    version,
    description: "Signale les résultats issus de sources publiques de confiance sur Google, Bing, Qwant, DuckDuckGo, Ecosia, Startpage, Brave Search et Yahoo.",
    permissions: ["storage", "alarms"],
    // only the configured service is ever contacted; another one is asked for on the options page
    host_permissions: serviceOrigin ? [`${serviceOrigin}/*`] : [],
    optional_host_permissions: ["https://*/*", "http://*/*"],
    action: { default_title: "Sources de confiance", default_popup: "popup/popup.html" },
    options_ui: { page: "options/options.html", open_in_tab: true },
    // one bundled classic script (scripts/build.js), at document_start: it reads its settings and
    // list while the page loads; no resource is web-accessible, so pages cannot probe for it
    content_scripts: [{ matches, js: [CONTENT_SCRIPT], css: ["content/style.css"], run_at: "document_start" }],
  };
  // a self-hosted deployment: the service publishes the packages and their update manifests
  // (AMO refuses update_url for listed add-ons: only self-hosted builds carry it)
  const updates = selfHosted && serviceUrl ? `${serviceUrl.replace(/\/+$/, "")}/extension/updates` : null;
  if (browser === "firefox") {
    const gecko = { id: geckoId, strict_min_version: "128.0", data_collection_permissions: { required: ["none"] } };
    if (updates) gecko.update_url = `${updates}.json`;
    return {
      ...common,
      background: { scripts: ["background/index.js"], type: "module" },
      browser_specific_settings: { gecko },
    };
  }
  return {
    ...common,
    // the deployer's public key: the extension ID is the same unpacked, packed and force-installed
    ...(publicKey ? { key: publicKey } : {}),
    ...(updates ? { update_url: `${updates}.xml` } : {}),
    minimum_chrome_version: "111",
    // storage.local holds the compiled list (4.4 MB for a full registry), two while one replaces
    // the other: over Chromium's 10 MB quota without it (no warning is shown for it)
    permissions: [...common.permissions, "unlimitedStorage"],
    background: { service_worker: "background/index.js", type: "module" },
    storage: { managed_schema: "managed_schema.json" },
  };
}
