/**
 * The trust list and its updates.
 *
 * The list in use is kept in `storage.local` compiled into buckets
 * (`shared/compact.js`): content scripts read from there the few buckets a page's
 * results need and classify without waking the background, and the background
 * classifies the same way when it is asked to.  Which list: the newest by version
 * of the list packed in the extension (`data/compiled.jsonl`, written by `sdc
 * extension build` and repacked by the service with each list, newer after an
 * extension update) and the last one fetched
 * from the service.  A fetched list replaces the current one only after its
 * SHA-256 digest checks out.  Updates happen at most daily (`UPDATE_PERIOD_MS`),
 * unless the user presses "update now".
 */
import { LocalList } from "../shared/list.js";
import { POINTER_KEY, compile, fileEntries, storageEntries, storageKeys } from "../shared/compact.js";
import { trustListUrl, verifyTrustList } from "../shared/trustlist.js";

export const UPDATE_PERIOD_MS = 24 * 60 * 60 * 1000;
/** buckets written per storage call */
const WRITE_SLICE = 16;
/** where versions before the compiled list kept the fetched list whole */
const LEGACY_KEY = "trustlist";

/** The storage entries of a list document, once its digest checks out. */
async function compiledEntries(document) {
  return storageEntries(document, compile(await verifyTrustList(document)));
}

/** storage.local's `get` over entries still in memory (a list not written yet). */
function memoryArea(entries) {
  return {
    async get(keys) {
      const wanted = typeof keys === "string" ? [keys] : keys;
      return Object.fromEntries(wanted.filter((key) => key in entries).map((key) => [key, entries[key]]));
    },
  };
}

export class TrustStore {
  constructor(api) {
    this.api = api;
    this.reader = null;
    this.memory = null;
    this.queue = null;
    // the first list is usable from memory before it is written to storage (the first page
    // after install asks for it while the write, 4 MB for a full registry, is under way)
    this.adopted = new Promise((resolve) => {
      this.resolveAdopted = resolve;
    });
  }

  /** storage.local keys, those of a list being written from memory. */
  async read(keys) {
    const stored = await this.api.storage.local.get(keys);
    return this.memory === null ? stored : { ...(await this.memory.get(keys)), ...stored };
  }

  async pointer() {
    const { [POINTER_KEY]: pointer = null } = await this.api.storage.local.get(POINTER_KEY);
    return pointer;
  }

  /**
   * `{results, labels}` for these URLs (the service's verdict shape), reading only the
   * buckets their hosts need; every URL untrusted ("no trust list") when there is none.
   */
  async classify(urls) {
    if (this.reader === null) {
      await Promise.race([this.prepare(), this.adopted]);
      this.reader ??= new LocalList(this.api.storage.local);
    }
    const answer = await this.reader.classify(urls);
    if (answer !== null) return answer;
    this.reader = null; // replaced meanwhile: read afresh next time
    return { results: urls.map(() => ({ trusted: false, reason: "no trust list" })), labels: {} };
  }

  /**
   * One step at a time (an install, an update never interleave): make sure a list is stored
   * (`installing`: compare it with the packed one, which an update of the extension may have
   * made newer).
   */
  prepare({ installing = false } = {}) {
    return this.serial(async () => {
      if (installing || (await this.pointer()) === null) await this.install();
    });
  }

  serial(step) {
    const run = (this.queue ?? Promise.resolve()).then(step);
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * The packed list (or one an older version kept whole) is stored when it is newer than the
   * stored one, or when none is stored.
   */
  async install() {
    const [pointer, packed, { [LEGACY_KEY]: legacy = null }] = await Promise.all([
      this.pointer(), this.packed(), this.api.storage.local.get(LEGACY_KEY),
    ]);
    const candidates = [...packed, ...(legacy ? [{ version: legacy.version, entries: () => compiledEntries(legacy) }] : [])]
      .filter((c) => typeof c.version === "string")
      .sort((a, b) => (a.version < b.version ? 1 : -1));
    for (const candidate of candidates) {
      if (pointer !== null && pointer.version >= candidate.version) break;
      try {
        await this.use(await candidate.entries());
        break;
      } catch (error) {
        console.warn("Sources de confiance: unusable trust list", error);
      }
    }
    if (legacy !== null) await this.api.storage.local.remove(LEGACY_KEY);
  }

  /**
   * The packed list: compiled at build time (`data/compiled.jsonl`, inside the package like the
   * code, so not verified again), else the list to verify and compile (`data/trustlist.json`).
   */
  async packed() {
    const compiled = await this.packedFile("data/compiled.jsonl");
    if (compiled !== null) {
      try {
        const entries = fileEntries(compiled);
        return [{ version: entries[POINTER_KEY].version, entries: () => entries }];
      } catch (error) {
        console.warn("Sources de confiance: unusable compiled list, compiling the packed one", error);
      }
    }
    const document = await this.packedFile("data/trustlist.json");
    if (document === null) return [];
    try {
      const parsed = JSON.parse(document);
      return [{ version: parsed?.version, entries: () => compiledEntries(parsed) }];
    } catch {
      return [];
    }
  }

  async packedFile(path) {
    try {
      const response = await fetch(this.api.runtime.getURL(path));
      return response.ok ? await response.text() : null;
    } catch {
      return null;
    }
  }

  /** Use a compiled list at once (from memory), store it, then drop the list it replaces. */
  async use(entries) {
    this.memory = memoryArea(entries);
    this.reader = new LocalList(this.memory);
    this.resolveAdopted();
    // a page's request waiting since the install is answered before the long write starts
    await new Promise((resolve) => setTimeout(resolve, 0));
    const previous = await this.pointer();
    const { [POINTER_KEY]: pointer, ...parts } = entries;
    // in slices, the pointer last: a page's read waits for one slice, not for 4 MB (Firefox's
    // storage makes a read wait for the write under way: 240 ms on the first page, measured)
    const keys = Object.keys(parts);
    try {
      for (let i = 0; i < keys.length; i += WRITE_SLICE) {
        await this.api.storage.local.set(Object.fromEntries(keys.slice(i, i + WRITE_SLICE).map((key) => [key, parts[key]])));
      }
      await this.api.storage.local.set({ [POINTER_KEY]: pointer });
    } catch (error) {
      // half written (storage full...): its keys go, the stored list stays the pages' list
      if (previous?.gen !== pointer.gen) await this.api.storage.local.remove(keys).catch(() => {});
      throw error;
    }
    this.reader = new LocalList(this.api.storage.local);
    this.memory = null;
    if (previous !== null && previous.gen !== pointer.gen) {
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
      const changed = await this.serial(async () => {
        const pointer = await this.pointer();
        if (pointer !== null && pointer.version === document.version) return false;
        await this.use(await compiledEntries(document));
        return true;
      });
      await this.api.storage.local.set({ lastError: null });
      return changed;
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

