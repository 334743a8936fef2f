/**
 * What the page shows: badges on trusted results, the counter bar and its
 * "Sources de confiance uniquement" filter.  The DOM contract is stable, for
 * tests and other tools:
 *
 *   result root   data-sdc-trusted="true" | "false"
 *   badge         data-sdc-badge="<category>"  (trusted results only)
 *   counter bar   data-sdc-counter="<trusted>/<total>", text "12 sources de confiance parmi les 59 résultats"
 *   filter        <html data-sdc-filter="trusted"> hides data-sdc-trusted="false"
 */

export const ICONS = {
  commune: "🏛️",
  intercommunalite: "🏘️",
  departement: "🗺️",
  region: "🗺️",
  collectivite: "🏛️",
  etat: "🇫🇷",
  prefecture: "🏢",
  ambassade: "🌐",
  "enseignement-superieur": "🎓",
  "etablissement-scolaire": "🏫",
  academie: "📚",
  sante: "⚕️",
  "autre-public": "🏢",
  "institution-internationale": "🌍",
  "etat-etranger": "🌐",
};

const FILTER_ON = "Sources de confiance uniquement";
const FILTER_OFF = "Afficher tous les résultats";

export function counterText(trusted, total) {
  const sources = trusted === 1 ? "source de confiance" : "sources de confiance";
  const results = total === 1 ? "résultat" : "résultats";
  return `${trusted} ${sources} parmi les ${total} ${results}`;
}

export function makeBadge(doc, result, label, style) {
  const category = result.category ?? "autre-public";
  const badge = doc.createElement("span");
  badge.className = `sdc-badge sdc-badge--${style}`;
  badge.dataset.sdcBadge = category;
  const tooltip = `Source de confiance : ${result.name ? `${result.name} — ` : ""}${label}`;
  badge.title = tooltip;
  badge.setAttribute("role", "img");
  badge.setAttribute("aria-label", tooltip);
  const icon = doc.createElement("span");
  icon.className = "sdc-badge__icon";
  icon.setAttribute("aria-hidden", "true");
  icon.textContent = ICONS[category] ?? "✔";
  badge.append(icon);
  if (style === "full") {
    const text = doc.createElement("span");
    text.className = "sdc-badge__text";
    text.setAttribute("aria-hidden", "true");
    text.textContent = label;
    badge.append(text);
  }
  return badge;
}

/** Create the counter bar before `anchor` (once) and return it. */
export function ensureCounter(doc, anchor) {
  let bar = doc.querySelector("[data-sdc-counter]");
  if (bar) return bar;
  bar = doc.createElement("div");
  bar.className = "sdc-counter";
  bar.setAttribute("role", "status");
  bar.dataset.sdcCounter = "0/0";
  const text = doc.createElement("span");
  text.className = "sdc-counter__text";
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "sdc-counter__filter";
  button.dataset.sdcFilter = "";
  button.setAttribute("aria-pressed", "false");
  button.textContent = FILTER_ON;
  button.addEventListener("click", () => setFilter(doc, button.getAttribute("aria-pressed") !== "true"));
  bar.append(text, " ", button);
  anchor.before(bar);
  return bar;
}

export function setFilter(doc, on) {
  const button = doc.querySelector("[data-sdc-counter] [data-sdc-filter]");
  if (on) doc.documentElement.dataset.sdcFilter = "trusted";
  else delete doc.documentElement.dataset.sdcFilter;
  if (button) {
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? FILTER_OFF : FILTER_ON;
  }
}

export function updateCounter(bar, trusted, total) {
  const value = `${trusted}/${total}`;
  if (bar.dataset.sdcCounter === value) return; // our own change must not wake the observer again
  bar.dataset.sdcCounter = value;
  bar.querySelector(".sdc-counter__text").textContent = `✔ ${counterText(trusted, total)}`;
}
