// The list store's update policy, with an in-memory storage and a local fetch stand-in.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, test } from "node:test";
import { compile, compiledFile } from "../shared/compact.js";
import { verifyTrustList } from "../shared/trustlist.js";
import { TrustStore, UPDATE_PERIOD_MS } from "./store.js";

const listFile = new URL("../../../tests/fixtures/classification_trustlist.json", import.meta.url);
const served = JSON.parse(readFileSync(listFile, "utf-8"));

function fakeApi() {
  const data = {};
  return {
    data,
    runtime: { getURL: (path) => `ext://${path}` },
    storage: {
      local: {
        async get(keys) {
          const wanted = typeof keys === "string" ? [keys] : keys;
          return Object.fromEntries(wanted.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
        },
        async set(values) {
          Object.assign(data, structuredClone(values));
        },
        async remove(keys) {
          for (const key of typeof keys === "string" ? [keys] : keys) delete data[key];
        },
      },
    },
  };
}

let requests;
let answer;
const realFetch = globalThis.fetch;
beforeEach(() => {
  requests = [];
  answer = served;
  globalThis.fetch = async (url, init) => {
    requests.push({ url: String(url), init });
    if (String(url).startsWith("ext://")) return { ok: false, status: 404 };
    return { ok: true, status: 200, json: async () => structuredClone(answer) };
  };
});
afterEach(() => {
  globalThis.fetch = realFetch;
});

test("the list is fetched from the service at most daily, without credentials", async () => {
  const api = fakeApi();
  const store = new TrustStore(api);
  assert.equal(await store.update("https://sdc.example.fr", { now: 1_000 }), true);
  const [request] = requests.filter((r) => r.url.startsWith("https://"));
  assert.equal(request.url, "https://sdc.example.fr/extension/trustlist.json");
  assert.equal(request.init.credentials, "omit");
  assert.equal((await store.classify(["https://www.paris.fr/"])).results[0].trusted, true);
  const count = requests.length;
  assert.equal(await store.update("https://sdc.example.fr", { now: 1_000 + UPDATE_PERIOD_MS - 1 }), false);
  assert.equal(requests.length, count, "no request within a day");
  await store.update("https://sdc.example.fr", { now: 2_000 + UPDATE_PERIOD_MS });
  assert.equal(requests.length, count + 1);
});

test("a list whose digest does not match is refused and the error kept", async () => {
  const api = fakeApi();
  const store = new TrustStore(api);
  await store.update("https://sdc.example.fr", { now: 1 });
  answer = { ...served, version: "tampered", payload: served.payload.replace("paris.fr", "evil.fr") };
  assert.equal(await store.update("https://sdc.example.fr", { force: true, now: 2 }), false);
  assert.match(api.data.lastError, /digest/);
  assert.equal((await store.pointer()).version, served.version);
  assert.equal(api.data["sdc:list"].version, served.version);
});

test("no service configured: nothing is fetched but the packed list", async () => {
  const api = fakeApi();
  const store = new TrustStore(api);
  assert.equal(await store.update("", { force: true }), false);
  assert.equal((await store.classify(["https://www.paris.fr/"])).results[0].reason, "no trust list");
  assert.deepEqual(requests.map((r) => r.url), ["ext://data/compiled.jsonl", "ext://data/trustlist.json"]);
});

test("a newer list replaces the stored one whole; after an update of the extension the newer of the two wins", async () => {
  const api = fakeApi();
  const store = new TrustStore(api);
  await store.update("https://sdc.example.fr", { now: 1 });
  const first = api.data["sdc:list"];
  assert.equal(first.buckets, Object.keys(api.data).filter((k) => k.startsWith(`sdc:${first.gen}:`)).length - 1);
  answer = { ...served, version: `${served.version}-2` };
  assert.equal(await store.update("https://sdc.example.fr", { force: true, now: 2 }), true);
  assert.equal(Object.keys(api.data).filter((k) => k.startsWith(`sdc:${first.gen}:`)).length, 0, "the old list is removed");
  // the packed list (older) does not replace the fetched one at an install; a list kept whole
  // by an older version is read once and removed
  api.data.trustlist = { ...served, version: `${served.version}-3` };
  globalThis.fetch = async (url) => (String(url) === "ext://data/trustlist.json" ? { ok: true, text: async () => JSON.stringify(served) } : { ok: false, status: 500 });
  await new TrustStore(api).prepare({ installing: true });
  assert.equal(api.data["sdc:list"].version, `${served.version}-3`);
  assert.equal(api.data.trustlist, undefined);
  assert.equal((await new TrustStore(api).classify(["https://www.paris.fr/"])).results[0].trusted, true);
});

test("an install stores the list compiled at build time, and a page is answered before it is stored", async () => {
  const api = fakeApi();
  const file = compiledFile(served, compile(await verifyTrustList(served)));
  globalThis.fetch = async (url) => {
    requests.push({ url: String(url) });
    return String(url) === "ext://data/compiled.jsonl" ? { ok: true, text: async () => file } : { ok: false, status: 404 };
  };
  let release;
  const written = new Promise((resolve) => {
    release = resolve;
  });
  const set = api.storage.local.set;
  api.storage.local.set = async (values) => {
    if ("sdc:list" in values) await written; // a slow write of the whole list
    return set(values);
  };
  const store = new TrustStore(api);
  const installing = store.prepare({ installing: true });
  const answer = await store.classify(["https://www.paris.fr/", "https://example.com/"]);
  assert.deepEqual(answer.results.map((r) => r.trusted), [true, false]);
  assert.equal(api.data["sdc:list"], undefined, "answered from memory, the list not stored yet");
  release();
  await installing;
  assert.equal(api.data["sdc:list"].version, served.version);
  assert.deepEqual(requests.map((r) => r.url), ["ext://data/compiled.jsonl"], "the 4 MB list is not read");
});

test("a list that cannot be written whole leaves no half behind, and the stored one in use", async () => {
  const api = fakeApi();
  const store = new TrustStore(api);
  await store.update("https://sdc.example.fr", { now: 1 });
  const before = JSON.stringify(api.data);
  let writes = 0;
  const set = api.storage.local.set;
  api.storage.local.set = async (values) => {
    if (Object.keys(values).some((key) => key.startsWith("sdc:") && key.includes("-2:")) && ++writes > 1) {
      throw new Error("QUOTA_BYTES quota exceeded");
    }
    return set(values);
  };
  answer = { ...served, version: `${served.version}-2` };
  assert.equal(await store.update("https://sdc.example.fr", { force: true, now: 2 }), false);
  assert.match(api.data.lastError, /QUOTA/);
  const { lastCheck, lastError, ...rest } = api.data;
  const { lastCheck: _c, lastError: _e, ...restBefore } = JSON.parse(before);
  assert.deepEqual(rest, restBefore, "only the first list's keys remain");
});
