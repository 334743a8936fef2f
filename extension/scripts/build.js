#!/usr/bin/env node
// Assemble the unpacked extension for one browser:
//   node scripts/build.js --browser chromium|firefox --out DIR [--version V]
//                         [--service-url URL] [--trustlist FILE]
//                         [--public-key BASE64-DER] [--gecko-id ID] [--self-hosted]
// `sdc extension build` runs this for both browsers, then zips the folders.  The content script
// is bundled with esbuild (`npm ci --omit=dev` in extension/ installs it) into one classic script.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ENGINE_IDS } from "../src/engines/index.js";
import { CONTENT_SCRIPT, manifest } from "../src/manifest.js";
import { compile, compiledFile } from "../src/shared/compact.js";
import { verifyTrustList } from "../src/shared/trustlist.js";

const SRC = new URL("../src/", import.meta.url);
const { values } = parseArgs({
  options: {
    browser: { type: "string" },
    out: { type: "string" },
    version: { type: "string" },
    "service-url": { type: "string" },
    trustlist: { type: "string" },
    "public-key": { type: "string" },
    "gecko-id": { type: "string" },
    "self-hosted": { type: "boolean" },
  },
});
if (!values.browser || !values.out) {
  console.error("usage: build.js --browser chromium|firefox --out DIR [--version V] [--service-url URL] [--trustlist FILE]");
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf-8"));
const engines = ENGINE_IDS.map((id) => JSON.parse(readFileSync(new URL(`engines/${id}.json`, SRC), "utf-8")));
const serviceUrl = values["service-url"] ?? "";
let serviceOrigin = null;
if (serviceUrl) {
  try {
    serviceOrigin = new URL(serviceUrl).origin;
  } catch {
    console.error(`build.js: not a URL: ${serviceUrl}`);
    process.exit(2);
  }
}
let generated;
try {
  generated = manifest({
    browser: values.browser, version: values.version ?? pkg.version, engines, serviceOrigin,
    serviceUrl: serviceUrl || null, publicKey: values["public-key"] ?? null,
    selfHosted: Boolean(values["self-hosted"]),
    ...(values["gecko-id"] ? { geckoId: values["gecko-id"] } : {}),
  });
} catch (error) {
  console.error(`build.js: ${error.message}`);
  process.exit(2);
}

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.error("build.js: esbuild is missing: run `npm ci --omit=dev` in extension/");
  process.exit(2);
}

const out = values.out;
rmSync(out, { recursive: true, force: true });
// the content script's modules live on in the bundle only
const bundled = (path) => path.endsWith("content/entry.js") || path.endsWith("content/index.js") || path.endsWith("engines/all.js");
cpSync(SRC, out, { recursive: true, filter: (path) => !path.endsWith(".test.js") && !path.endsWith("manifest.js") && !bundled(path) });
await esbuild.build({
  entryPoints: [new URL("content/entry.js", SRC).pathname],
  outfile: join(out, CONTENT_SCRIPT),
  bundle: true,
  format: "iife",
  target: values.browser === "firefox" ? "firefox128" : "chrome111",
  legalComments: "none",
  logLevel: "error",
});
if (values.browser === "firefox") rmSync(join(out, "managed_schema.json"));
mkdirSync(join(out, "data"), { recursive: true });
writeFileSync(join(out, "manifest.json"), JSON.stringify(generated, null, 2) + "\n");
writeFileSync(join(out, "data", "defaults.json"), JSON.stringify(serviceUrl ? { serviceUrl } : {}) + "\n");
if (values.trustlist) {
  cpSync(values.trustlist, join(out, "data", "trustlist.json"));
  // compiled here once, so that an install only stores it (shared/compact.js)
  const document = JSON.parse(readFileSync(values.trustlist, "utf-8"));
  let file;
  try {
    file = compiledFile(document, compile(await verifyTrustList(document)));
  } catch (error) {
    console.error(`build.js: ${values.trustlist}: ${error.message}`);
    process.exit(2);
  }
  writeFileSync(join(out, "data", "compiled.jsonl"), file);
}
console.log(`${values.browser}: ${out}`);
