// The compiled list gives, from the buckets of a URL's host alone, the answer of the whole list.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { LocalList } from "./list.js";
import { Classifier } from "./classifier.js";
import { BUCKETS, POINTER_KEY, assemble, bucketOf, bucketsFor, compile, storageEntries, storageKeys } from "./compact.js";
import { verifyTrustList } from "./trustlist.js";
import { parseHost } from "./urls.js";

const fixtures = new URL("../../../tests/fixtures/", import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(name, fixtures), "utf-8"));
const document = read("classification_trustlist.json");
const { vectors } = read("classification_vectors.json");

function memoryStorage(data = {}) {
  return {
    data,
    reads: 0,
    async get(keys) {
      this.reads += 1;
      const wanted = typeof keys === "string" ? [keys] : keys;
      return Object.fromEntries(wanted.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
    },
  };
}

test("a bucket is chosen by the last two labels, a TLD by itself", () => {
  assert.equal(bucketOf("a.b.gouv.fr"), bucketOf("gouv.fr"));
  assert.equal(bucketOf("x.paris.fr", 64), bucketOf("paris.fr", 64));
  assert.ok(bucketOf("fr") < BUCKETS);
  assert.deepEqual(bucketsFor(["www.paris.fr"]), new Set([bucketOf("paris.fr"), bucketOf("fr")]));
});

test("every shared vector: the host's buckets alone give the whole list's answer", async () => {
  const payload = await verifyTrustList(document);
  for (const buckets of [BUCKETS, 7]) {
    const { core, scripts, parts } = compile(payload, buckets);
    for (const expected of vectors) {
      const host = parseHost(expected.url).host;
      const wanted = [...bucketsFor([host], buckets)].map((i) => parts[i]);
      const classifier = new Classifier(assemble(core, wanted, scripts));
      assert.deepEqual(classifier.classify(expected.url), expected, `${buckets} buckets, ${JSON.stringify(expected.url.slice(0, 80))}`);
    }
  }
});

test("the content script's reader classifies from storage, reading each bucket once", async () => {
  const payload = await verifyTrustList(document);
  const storage = memoryStorage(storageEntries(document, compile(payload)));
  const list = new LocalList(storage);
  const urls = vectors.map((v) => v.url);
  const { results, labels } = await list.classify(urls);
  assert.deepEqual(results, vectors);
  assert.deepEqual(labels, new Classifier(payload).labels);
  const reads = storage.reads;
  await list.classify(urls.slice(0, 10));
  assert.equal(storage.reads, reads, "no new read for buckets already read");
});

test("no list stored, or the list replaced while a page reads it: null (the background answers)", async () => {
  assert.equal(await new LocalList(memoryStorage()).classify(["https://www.paris.fr/"]), null);
  const payload = await verifyTrustList(document);
  const storage = memoryStorage(storageEntries(document, compile(payload)));
  const list = new LocalList(storage);
  assert.equal((await list.classify(["https://www.paris.fr/"])).results[0].trusted, true);
  const old = storage.data[POINTER_KEY];
  Object.assign(storage.data, storageEntries({ ...document, version: "newer" }, compile(payload)));
  for (const key of storageKeys(old)) delete storage.data[key];
  assert.equal(await list.classify(["https://www.service-public.fr/"]), null);
  assert.equal((await list.classify(["https://www.paris.fr/"])).results[0].trusted, true);
  assert.equal(list.pointer.version, "newer");
});

test("buckets read ahead are not read again, and a shared read is awaited once", async () => {
  const payload = await verifyTrustList(document);
  const storage = memoryStorage(storageEntries(document, compile(payload)));
  const list = new LocalList(storage);
  await list.open();
  const urls = vectors.map((v) => v.url);
  const ahead = list.prefetch(urls);
  const during = list.classify(urls); // while the read ahead is under way
  await ahead;
  assert.deepEqual((await during).results, vectors);
  const reads = storage.reads;
  assert.deepEqual((await list.classify(urls)).results, vectors);
  assert.equal(storage.reads, reads);
});
