import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ENGINE_IDS } from "../engines/index.js";
import { engineFor, isResultsPage, patternToRegExp, validateEngine } from "./engines.js";

const engines = ENGINE_IDS.map((id) => JSON.parse(readFileSync(new URL(`../engines/${id}.json`, import.meta.url), "utf-8")));

test("every engine file is valid and named after its id", () => {
  assert.deepEqual(ENGINE_IDS, ["google", "bing", "qwant", "duckduckgo", "ecosia", "startpage", "brave", "yahoo"]);
  engines.forEach((engine, i) => {
    assert.deepEqual(validateEngine(engine), [], engine.id);
    assert.equal(engine.id, ENGINE_IDS[i]);
  });
});

test("results pages are matched to their engine, other pages to none", () => {
  const cases = {
    "https://www.google.fr/search?q=carte+grise": "google",
    "https://www.bing.com/search?q=imp%C3%B4ts": "bing",
    "https://www.qwant.com/?q=caf&t=web": "qwant",
    "https://duckduckgo.com/?q=passeport": "duckduckgo",
    "https://html.duckduckgo.com/html/?q=passeport": "duckduckgo",
    "https://www.ecosia.org/search?q=rsa": "ecosia",
    "https://www.startpage.com/sp/search?query=vitale": "startpage",
    "https://search.brave.com/search?q=caf": "brave",
    "https://search.yahoo.com/search?p=caf": "yahoo",
    "https://fr.search.yahoo.com/search?p=caf": "yahoo",
    "https://evil.com/.search.yahoo.com/search?p=caf": null,
    "https://www.google.com.hk/search?q=x": "google",
    "https://www.bing.com/images/search?q=x": "bing",
    "https://www.google.fr/maps": null,
    "https://www.google.fr.evil.com/search?q=x": null,
    "https://evil.com/?u=https://www.bing.com/search": null,
  };
  for (const [url, id] of Object.entries(cases)) assert.equal(engineFor(url, engines)?.id ?? null, id, url);
});

test("only pages with a query are results pages (Startpage posts its form)", () => {
  const byId = Object.fromEntries(engines.map((e) => [e.id, e]));
  assert.equal(isResultsPage("https://duckduckgo.com/?q=passeport", byId.duckduckgo), true);
  assert.equal(isResultsPage("https://duckduckgo.com/", byId.duckduckgo), false);
  assert.equal(isResultsPage("https://www.qwant.com/?q=%20", byId.qwant), false);
  assert.equal(isResultsPage("https://www.startpage.com/sp/search", byId.startpage), true);
  assert.equal(isResultsPage("https://search.yahoo.com/search?p=caf", byId.yahoo), true);
});

test("match patterns escape dots", () => {
  assert.equal(patternToRegExp("https://www.google.fr/search*").test("https://wwwXgoogle.fr/search"), false);
});

test("a broken engine file is reported", () => {
  assert.deepEqual(validateEngine({ id: "x", name: "X", query: "q", container: "#a", main: "#b", matches: [], layouts: [{ name: "a", checked: ["2022"], results: [{}] }], exclude: [] }), [
    "matches must be a non-empty list",
    "each layout needs checked: a list of YYYY-MM-DD dates",
    "each result needs root and link selectors",
  ]);
});
