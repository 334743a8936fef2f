import assert from "node:assert/strict";
import { test } from "node:test";
import { ICONS, counterText } from "./ui.js";

test("the counter says the two numbers in French", () => {
  assert.equal(counterText(12, 59), "12 sources de confiance parmi les 59 résultats");
  assert.equal(counterText(1, 1), "1 source de confiance parmi les 1 résultat");
  assert.equal(counterText(0, 10), "0 sources de confiance parmi les 10 résultats");
});

test("every category of the registry has an icon", () => {
  const categories = ["commune", "intercommunalite", "departement", "region", "collectivite", "etat", "prefecture", "ambassade",
    "enseignement-superieur", "etablissement-scolaire", "academie", "sante", "autre-public", "institution-internationale", "etat-etranger"];
  for (const category of categories) assert.ok(ICONS[category], category);
});
