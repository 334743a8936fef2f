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
   * `{results, labels}` as the background answers, or null when no list can be read here
   * (none stored yet, or replaced while this page read it): the background then classifies.
   */
  async classify(urls) {
    if (this.pointer === null && !(await this.open())) return null;
    const { gen, buckets } = this.pointer;
    const hosts = urls.map((url) => parseHost(url).host);
    const missing = [...bucketsFor(hosts, buckets)].filter((i) => !this.parts.has(i));
    const keys = missing.map((i) => bucketKey(gen, i));
    const scripts = this.scripts === null && needsScripts(hosts);
    if (scripts) keys.push(scriptsKey(gen));
    if (keys.length) {
      const got = await this.storage.get(keys);
      if (keys.some((key) => got[key] === undefined)) {
        this.pointer = null; // a newer list replaced this one: read it afresh next time
        this.parts.clear();
        this.scripts = null;
        return null;
      }
      for (const i of missing) this.parts.set(i, readEntry(got[bucketKey(gen, i)]));
      if (scripts) this.scripts = readEntry(got[scriptsKey(gen)]);
      this.classifier = null;
    }
    this.classifier ??= new Classifier(assemble(this.core, [...this.parts.values()], this.scripts ?? undefined));
    return { results: urls.map((url) => this.classifier.classify(url)), labels: this.classifier.labels };
  }
}
