import assert from "node:assert/strict";
import { test } from "node:test";
import { unwrap } from "./unwrap.js";

const b64 = (url) => "a1" + Buffer.from(url).toString("base64url");

test("Google /url?q= and /url?url= redirects give their target", () => {
  const page = "https://www.google.fr/search?q=x";
  assert.equal(unwrap("/url?q=https://www.paris.fr/a%3Fb&sa=U&ved=2ah", page), "https://www.paris.fr/a?b");
  assert.equal(unwrap("https://www.google.com/url?sa=t&url=https://www.caf.fr/&rct=j", page), "https://www.caf.fr/");
});

test("Bing /ck/a links decode their base64url u=a1 parameter", () => {
  const target = "https://www.service-public.fr/particuliers/vosdroits/F358?é=1";
  const href = `https://www.bing.com/ck/a?!&&p=abc&ptn=3&u=${b64(target)}&ntb=1`;
  assert.equal(unwrap(href, "https://www.bing.com/search?q=x"), target);
});

test("DuckDuckGo //duckduckgo.com/l/?uddg= links give their target", () => {
  const href = "//duckduckgo.com/l/?uddg=https%3A%2F%2Fwww.service-public.fr%2Fparticuliers%2Fvosdroits%2FN360&rut=3b";
  assert.equal(unwrap(href, "https://html.duckduckgo.com/html/?q=x"), "https://www.service-public.fr/particuliers/vosdroits/N360");
});

test("Yahoo /RU=.../RK= links give their target", () => {
  const href = "https://r.search.yahoo.com/_ylt=A/RV=2/RE=1/RO=10/RU=https%3a%2f%2fwww.caf.fr%2f/RK=2/RS=x";
  assert.equal(unwrap(href, "https://search.yahoo.com/search?p=x"), "https://www.caf.fr/");
});

test("direct links are resolved against the page, other schemes in redirects refused", () => {
  assert.equal(unwrap("https://www.caf.fr/x", "https://www.qwant.com/?q=x"), "https://www.caf.fr/x");
  assert.equal(unwrap("/search?q=y", "https://www.google.fr/search?q=x"), "https://www.google.fr/search?q=y");
  assert.equal(unwrap("/url?q=javascript:alert(1)", "https://www.google.fr/"), null);
  assert.equal(unwrap("https://www.bing.com/ck/a?u=a1%%%", "https://www.bing.com/"), "https://www.bing.com/ck/a?u=a1%%%");
  assert.equal(unwrap("http://[bad", "https://www.google.fr/"), null);
});
