/**
 * The trust list and its updates.
 *
 * The list in use is kept in `storage.local` compiled into buckets
 * (`shared/compact.js`): content scripts read from there the few buckets a page's
 * results need and classify without waking the background.  Which list: the
 * newest by version of the list packed in the extension (`data/trustlist.json`,
 * written by `sdc extension build`, newer after an extension update) and the
 * last one fetched from the service.  A fetched list replaces the current one
 * only after its SHA-256 digest checks out.  Updates happen at most daily
 * (`UPDATE_PERIOD_MS`), unless the user presses "update now".
 */
import { Classifier } from "../shared/classifier.js";
import { POINTER_KEY, assemble, compile, coreKey, scriptsKey, storageEntries, storageKeys, bucketKey } from "../shared/compact.js";
import { trustListUrl, verifyTrustList } from "../shared/trustlist.js";

export const UPDATE_PERIOD_MS = 24 * 60 * 60 * 1000;
/** where versions before the compiled list kept the fetched list whole */
const LEGACY_KEY = "trustlist";

export class TrustStore {
  constructor(api) {
    this.api = api;
    this.classifier = null;
    this.queue = null;
    // a classifier is usable before its list is written to storage (the first page after install)
    this.adopted = new Promise((resolve) => {
      this.resolveAdopted = resolve;
    });
  }

  async pointer() {
    const { [POINTER_KEY]: pointer = null } = await this.api.storage.local.get(POINTER_KEY);
    return pointer;
  }

  /** The background's own classifier (service-mode fallback, status), loaded on first use. */
  async current() {
    if (this.classifier === null) await Promise.race([this.prepare({ classifier: true }), this.adopted]);
    return this.classifier;
  }

  /**
   * One step at a time (an install, a first load, an update never interleave): make sure a
   * list is stored for the content scripts (`installing`: compare it with the packed one,
   * which an update of the extension may have made newer) and, with `classifier`, loaded here.
   */
  prepare({ installing = false, classifier = false } = {}) {
    return this.serial(() => this.load({ installing, classifier }));
  }

  serial(step) {
    const run = (this.queue ?? Promise.resolve()).then(step);
    this.queue = run.catch(() => {});
    return run;
  }

  async load({ installing, classifier }) {
    let pointer = await this.pointer();
    if (installing || pointer === null) {
      await this.install();
      pointer = await this.pointer();
    }
    if (!classifier || this.classifier !== null || pointer === null) return;
    try {
      this.classifier = new Classifier(await this.stored(pointer));
    } catch (error) {
      console.warn("Sources de confiance: stored list unreadable, using the packed one", error);
      await this.install({ replace: true });
    }
  }

  /** The payload of the stored compiled list (every bucket). */
  async stored(pointer) {
    const got = await this.api.storage.local.get(storageKeys(pointer));
    const parts = [];
    for (let i = 0; i < pointer.buckets; i++) {
      const part = got[bucketKey(pointer.gen, i)];
      if (part === undefined) throw new Error(`bucket ${i} of ${pointer.gen} missing`);
      parts.push(part);
    }
    if (!got[coreKey(pointer.gen)]) throw new Error(`core of ${pointer.gen} missing`);
    return assemble(got[coreKey(pointer.gen)], parts, got[scriptsKey(pointer.gen)]);
  }

  /**
   * After an install or an update of the extension (or with no list stored): the packed
   * list (or one an older version kept whole) is compiled into storage when it is newer
   * than the stored one, or when `replace` says the stored one is unusable.
   */
  async install({ replace = false } = {}) {
    const [pointer, packed, { [LEGACY_KEY]: legacy = null }] = await Promise.all([
      this.pointer(), this.packed(), this.api.storage.local.get(LEGACY_KEY),
    ]);
    const candidates = [legacy, packed].filter((c) => c && typeof c.version === "string")
      .sort((a, b) => (a.version < b.version ? 1 : -1));
    for (const candidate of candidates) {
      if (!replace && pointer !== null && pointer.version >= candidate.version) break;
      try {
        await this.use(candidate);
        break;
      } catch (error) {
        console.warn("Sources de confiance: unusable trust list", error);
      }
    }
    if (legacy !== null) await this.api.storage.local.remove(LEGACY_KEY);
  }

  async packed() {
    try {
      const response = await fetch(this.api.runtime.getURL("data/trustlist.json"));
      return response.ok ? await response.json() : null;
    } catch {
      return null;
    }
  }

  /** Verify, compile and store a list document, then drop the list it replaces. */
  async use(document) {
    const payload = await verifyTrustList(document);
    this.classifier = new Classifier(payload);
    this.resolveAdopted();
    const previous = await this.pointer();
    await this.api.storage.local.set(storageEntries(document, compile(payload)));
    if (previous !== null && previous.gen !== document.version) {
      await this.api.storage.local.remove(storageKeys(previous));
    }
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
      await this.prepare();
      const pointer = await this.pointer();
      if (pointer !== null && pointer.version === document.version) {
        await this.api.storage.local.set({ lastError: null });
        return false;
      }
      await this.serial(() => this.use(document));
      await this.api.storage.local.set({ lastError: null });
      return true;
    } catch (error) {
      await this.api.storage.local.set({ lastError: `${new Date(now).toISOString()}: ${error.message ?? error}` });
      return false;
    }
  }

  async status() {
    await this.prepare();
    const { lastCheck = null, lastError = null, fallbacks = {}, [POINTER_KEY]: pointer = null } =
      await this.api.storage.local.get(["lastCheck", "lastError", "fallbacks", POINTER_KEY]);
    return {
      version: pointer?.version ?? null,
      entries: pointer?.entries ?? 0,
      lastCheck,
      lastError,
      fallbacks,
    };
  }
}
