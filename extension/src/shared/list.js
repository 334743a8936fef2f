/**
 * Reading the compiled trust list (`compact.js`): the core once, then only the
 * buckets the classified hosts need.  The content script classifies with it
 * from storage.local, without a message to the background; the background
 * with it too (from memory while a new list is being written).
 */
import { Classifier } from "./classifier.js";
import { POINTER_KEY, assemble, bucketKey, bucketsFor, needsScripts, readEntry, scriptsKey } from "./compact.js";
import { parseHost } from "./urls.js";

export class LocalList {
  /** @param {{get: (keys: string|string[]) => Promise<object>}} storage `storage.local` */
  constructor(storage) {
    this.storage = storage;
    this.pointer = null;
    this.core = null;
    this.scripts = null;
    this.parts = new Map();
    this.pending = new Map();
    this.classifier = null;
  }

  /** Read which list is stored, with its core; false when none is stored yet (just installed). */
  async open() {
    return this.adopt((await this.storage.get(POINTER_KEY))[POINTER_KEY]);
  }

  /** Take the pointer read by the caller (with other keys, in one call); false when there is none. */
  adopt(pointer) {
    const core = readEntry(pointer?.core);
    if (core === undefined) return false;
    [this.pointer, this.core] = [pointer, core];
    return true;
  }

  /**
   * Read the buckets these hosts need, each once (a read under way is shared); false when the
   * list was replaced meanwhile.  Resolves without a task switch when all are read already.
   */
  async load(hosts) {
    const { gen, buckets } = this.pointer;
    const waits = [];
    const fresh = [];
    for (const i of bucketsFor(hosts, buckets)) {
      if (this.parts.has(i)) continue;
      if (this.pending.has(i)) waits.push(this.pending.get(i));
      else fresh.push(i);
    }
    const keys = fresh.map((i) => bucketKey(gen, i));
    const scripts = this.scripts === null && needsScripts(hosts);
    if (scripts) keys.push(scriptsKey(gen));
    if (keys.length) {
      const read = this.storage.get(keys).then((got) => {
        if (keys.some((key) => got[key] === undefined)) return false;
        for (const i of fresh) this.parts.set(i, readEntry(got[bucketKey(gen, i)]));
        if (scripts) this.scripts = readEntry(got[scriptsKey(gen)]);
        this.classifier = null;
        return true;
      }).finally(() => {
        for (const i of fresh) this.pending.delete(i);
      });
      for (const i of fresh) this.pending.set(i, read);
      waits.push(read);
    }
    return waits.length === 0 || (await Promise.all(waits)).every(Boolean);
  }

  /** Read ahead the buckets of these URLs' hosts (links seen while the page loads). */
  async prefetch(urls) {
    if (this.pointer !== null) await this.load(urls.map((url) => parseHost(url).host));
  }

  /**
   * `{results, labels}` as the background answers, or null when no list can be read here
   * (none stored yet, or replaced while this page read it): the background then classifies.
   */
  async classify(urls) {
    if (this.pointer === null && !(await this.open())) return null;
    const hosts = urls.map((url) => parseHost(url).host);
    if (!(await this.load(hosts))) {
      this.pointer = null; // a newer list replaced this one: read it afresh next time
      this.parts.clear();
      this.pending.clear();
      this.scripts = null;
      return null;
    }
    this.classifier ??= new Classifier(assemble(this.core, [...this.parts.values()], this.scripts ?? undefined));
    return { results: urls.map((url) => this.classifier.classify(url)), labels: this.classifier.labels };
  }
}
