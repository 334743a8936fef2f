import assert from "node:assert/strict";
import { test } from "node:test";
import { manifest } from "./manifest.js";

const engines = [{ matches: ["https://www.google.fr/search*"] }, { matches: ["https://duckduckgo.com/*", "https://www.google.fr/search*"] }];

test("Chromium gets a module service worker and the managed storage schema", () => {
  const m = manifest({ browser: "chromium", version: "1.2.3", engines, serviceOrigin: "https://sdc.example.fr" });
  assert.equal(m.manifest_version, 3);
  assert.deepEqual(m.background, { service_worker: "background/index.js", type: "module" });
  assert.equal(m.storage.managed_schema, "managed_schema.json");
  assert.deepEqual(m.host_permissions, ["https://sdc.example.fr/*"]);
  assert.deepEqual(m.content_scripts[0].matches, ["https://www.google.fr/search*", "https://duckduckgo.com/*"]);
  assert.deepEqual(m.content_scripts[0].js, ["content/content.js"]);
  assert.equal(m.content_scripts[0].run_at, "document_start");
  assert.equal(m.web_accessible_resources, undefined, "nothing a page could probe for");
  assert.equal(m.browser_specific_settings, undefined);
});

test("Firefox gets an event page, its add-on id, and no host permission without a service", () => {
  const m = manifest({ browser: "firefox", version: "1.2.3", engines });
  assert.deepEqual(m.background, { scripts: ["background/index.js"], type: "module" });
  assert.match(m.browser_specific_settings.gecko.id, /@/);
  assert.deepEqual(m.host_permissions, []);
  assert.equal(m.storage, undefined);
});

test("an unknown browser is refused", () => {
  assert.throws(() => manifest({ browser: "safari", version: "1", engines }), /unknown browser/);
});

test("a self-hosted deployment: the deployer's key, and update URLs on the service", () => {
  const chromium = manifest({ browser: "chromium", version: "1.2.3.4", engines, serviceUrl: "https://sdc.example.fr/", publicKey: "MIIB", selfHosted: true });
  assert.equal(chromium.key, "MIIB");
  assert.equal(chromium.update_url, "https://sdc.example.fr/extension/updates.xml");
  const firefox = manifest({ browser: "firefox", version: "1.2.3.4", engines, serviceUrl: "https://sdc.example.fr", selfHosted: true });
  assert.equal(firefox.browser_specific_settings.gecko.update_url, "https://sdc.example.fr/extension/updates.json");
  assert.equal(firefox.key, undefined);
  const listed = manifest({ browser: "firefox", version: "1.2.3", engines, serviceUrl: "https://sdc.example.fr" });
  assert.equal(listed.browser_specific_settings.gecko.update_url, undefined, "AMO refuses it");
});
