/**
 * The trust list the background classifies with, and its updates.
 *
 * Order of preference: the last list fetched from the service (kept in
 * `storage.local`), else the list packed in the extension (`data/trustlist.json`,
 * written by `sdc extension build`).  A fetched list replaces the current one
 * only after its SHA-256 digest checks out.  Updates happen at most daily
 * (`UPDATE_PERIOD_MS`), unless the user presses "update now".
 */
import { Classifier } from "../shared/classifier.js";
import { trustListUrl, verifyTrustList } from "../shared/trustlist.js";

export const UPDATE_PERIOD_MS = 24 * 60 * 60 * 1000;

export class TrustStore {
  constructor(api) {
    this.api = api;
    this.classifier = null;
    this.document = null;
    this.loading = null;
  }

  /** The current classifier (loading the stored or packed list on first use). */
  async current() {
    if (this.classifier !== null) return this.classifier;
    this.loading ??= this.load();
    await this.loading;
    return this.classifier;
  }

  async load() {
    const { trustlist } = await this.api.storage.local.get("trustlist");
    for (const candidate of [trustlist, await this.packed()]) {
      if (!candidate) continue;
      try {
        await this.use(candidate);
        return;
      } catch (error) {
        console.warn("Sources de confiance: unusable trust list", error);
      }
    }
  }

  async packed() {
    try {
      const response = await fetch(this.api.runtime.getURL("data/trustlist.json"));
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }

  async use(document) {
    this.classifier = new Classifier(await verifyTrustList(document));
    this.document = document;
  }

  /** Fetch the service's list when the last check is older than a day (or `force`). */
  async update(serviceUrl, { force = false, now = Date.now() } = {}) {
    const { lastCheck = null } = await this.api.storage.local.get("lastCheck");
    if (!serviceUrl || (!force && lastCheck !== null && now - lastCheck < UPDATE_PERIOD_MS)) return false;
    await this.api.storage.local.set({ lastCheck: now });
    try {
      // no cookies, no referrer: the request says nothing about the user
      const response = await fetch(trustListUrl(serviceUrl), { credentials: "omit", cache: "no-cache", referrerPolicy: "no-referrer" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const document = await response.json();
      await this.current();
      if (this.document && this.document.version === document.version) {
        await this.api.storage.local.set({ lastError: null });
        return false;
      }
      await this.use(document);
      await this.api.storage.local.set({ trustlist: document, lastError: null });
      return true;
    } catch (error) {
      await this.api.storage.local.set({ lastError: `${new Date(now).toISOString()}: ${error.message ?? error}` });
      return false;
    }
  }

  async status() {
    await this.current();
    const { lastCheck = null, lastError = null, fallbacks = {} } = await this.api.storage.local.get(["lastCheck", "lastError", "fallbacks"]);
    return {
      version: this.document?.version ?? null,
      entries: this.document?.entries ?? 0,
      lastCheck,
      lastError,
      fallbacks,
    };
  }
}
