import assert from "node:assert/strict";
import { test } from "node:test";
import { decodePunycode, isMixedScript, nameWord } from "./scripts.js";

const table = { words: ["LATIN", "CYRILLIC", "GREEK"], ranges: [0xc0, 0x24f, 0, 0x370, 0x3ff, 2, 0x400, 0x4ff, 1] };

test("punycode decodes as RFC 3492 says", () => {
  assert.equal(decodePunycode("mlanie-bva"), "mélanie");
  assert.equal(decodePunycode("pris-53d"), "pаris");
  assert.equal(decodePunycode("bcher-kva"), "bücher");
  assert.throws(() => decodePunycode("abc-!!"));
});

test("name words come from the shipped ranges", () => {
  assert.equal(nameWord(0xe9, table), "LATIN");
  assert.equal(nameWord(0x430, table), "CYRILLIC");
  assert.equal(nameWord(0x2000, table), null);
});

test("a label mixing Latin and Cyrillic letters is mixed-script, one script is not", () => {
  assert.equal(isMixedScript("www.xn--pris-53d.fr", table), true);
  assert.equal(isMixedScript("xn--mlanie-bva.fr", table), false);
  assert.equal(isMixedScript("paris.fr", table), false);
  assert.equal(isMixedScript("xn--abc-!!.fr", table), true);
});
