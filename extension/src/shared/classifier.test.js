// The extension's classifier against the shared vectors (the Python suite
// checks the same file: tests/extension/test_vectors.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Classifier } from "./classifier.js";
import { TrustListError, trustListUrl, verifyTrustList } from "./trustlist.js";

const fixtures = new URL("../../../tests/fixtures/", import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(name, fixtures), "utf-8"));

test("every shared vector gets the Python classifier's answer", async () => {
  const classifier = new Classifier(await verifyTrustList(read("classification_trustlist.json")));
  const { vectors } = read("classification_vectors.json");
  assert.ok(vectors.length > 50);
  for (const expected of vectors) {
    assert.deepEqual(classifier.classify(expected.url), expected, `for ${JSON.stringify(expected.url.slice(0, 80))}`);
  }
});

test("a list whose payload does not match its digest is refused", async () => {
  const document = read("classification_trustlist.json");
  await assert.rejects(verifyTrustList({ ...document, payload: document.payload.replace("paris.fr", "pariz.fr") }), TrustListError);
  await assert.rejects(verifyTrustList({ ...document, format: 99 }), /format/);
  await assert.rejects(verifyTrustList(null), TrustListError);
});

test("the list is fetched from the service's fixed path", () => {
  assert.equal(trustListUrl("https://sdc.example.fr"), "https://sdc.example.fr/extension/trustlist.json");
  assert.equal(trustListUrl("https://sdc.example.fr/base/"), "https://sdc.example.fr/base/extension/trustlist.json");
});

test("non-string input never throws", async () => {
  const classifier = new Classifier(await verifyTrustList(read("classification_trustlist.json")));
  assert.equal(classifier.classify(undefined).reason, "not a string");
  assert.equal(classifier.classify(42).trusted, false);
});
