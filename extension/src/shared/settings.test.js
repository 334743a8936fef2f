import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULTS, managedKeys, mergeSettings } from "./settings.js";

test("later layers win: build defaults < user < administration", () => {
  const merged = mergeSettings({ serviceUrl: "https://build.example" }, { serviceUrl: "https://user.example", badgeStyle: "icon" }, { serviceUrl: "https://admin.example" });
  assert.equal(merged.serviceUrl, "https://admin.example");
  assert.equal(merged.badgeStyle, "icon");
  assert.equal(merged.classification, "local");
});

test("unknown keys, wrong types and unknown values are ignored", () => {
  const merged = mergeSettings({ serviceUrl: 3, classification: "telemetry", engines: { google: false, bing: "no", altavista: true }, extra: 1 });
  assert.equal(merged.serviceUrl, "");
  assert.equal(merged.classification, "local");
  assert.equal(merged.engines.google, false);
  assert.equal(merged.engines.bing, true);
  assert.equal("altavista" in merged.engines, false);
  assert.equal("extra" in merged, false);
  assert.equal(DEFAULTS.engines.google, true, "defaults are never mutated");
});

test("managed keys are the ones the policy sets", () => {
  assert.deepEqual(managedKeys({ serviceUrl: "https://x", engines: {} }), ["serviceUrl", "engines"]);
  assert.deepEqual(managedKeys(undefined), []);
});
