import assert from "node:assert/strict";
import { test } from "node:test";
import { reportUrl } from "./report.js";

test("the report form is on the configured service, under its path", () => {
  assert.equal(reportUrl("https://sdc.example.fr"), "https://sdc.example.fr/signaler");
  assert.equal(reportUrl("https://example.fr/sdc/"), "https://example.fr/sdc/signaler");
  assert.equal(reportUrl("https://sdc.example.fr", "https://x.fr/a?b=1"),
    "https://sdc.example.fr/signaler?url=https%3A%2F%2Fx.fr%2Fa%3Fb%3D1");
});

test("no service, no report link", () => {
  assert.equal(reportUrl(""), null);
  assert.equal(reportUrl("javascript:alert(1)"), null);
  assert.equal(reportUrl("not a url"), null);
});
