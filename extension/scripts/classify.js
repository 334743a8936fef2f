#!/usr/bin/env node
// Classify URLs (one JSON string per input line) with a trust list file and
// print one JSON result per line: the Python test suite compares this output
// with sources.Classifier on real data (tests/extension/test_equivalence.py).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Classifier } from "../src/shared/classifier.js";
import { verifyTrustList } from "../src/shared/trustlist.js";

const [listPath] = process.argv.slice(2);
if (!listPath) {
  console.error("usage: classify.js TRUSTLIST.json < urls.jsonl");
  process.exit(2);
}
const classifier = new Classifier(await verifyTrustList(JSON.parse(readFileSync(listPath, "utf-8"))));
const out = [];
for await (const line of createInterface({ input: process.stdin })) {
  if (line) out.push(JSON.stringify(classifier.classify(JSON.parse(line))));
}
process.stdout.write(out.length ? out.join("\n") + "\n" : "");
