#!/usr/bin/env node
// Build the Firefox extension into a temporary folder and run `web-ext lint` on it
// (part of `npm test`): errors fail, warnings are printed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "sdc-firefox-"));
try {
  const build = spawnSync(process.execPath, [join(root, "scripts", "build.js"), "--browser", "firefox", "--out", join(out, "firefox"), "--service-url", "https://sdc.example.fr"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const lint = spawnSync(join(root, "node_modules", ".bin", "web-ext"), ["lint", "--source-dir", join(out, "firefox"), "--output", "json", "--no-config-discovery"], { encoding: "utf-8" });
  const report = JSON.parse(lint.stdout);
  for (const item of [...report.errors, ...report.warnings]) console.log(`web-ext lint ${item._type}: ${item.code} ${item.file ?? ""}: ${item.message}`);
  console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
  process.exit(report.summary.errors === 0 ? 0 : 1);
} finally {
  rmSync(out, { recursive: true, force: true });
}
