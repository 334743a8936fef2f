/**
 * The extension's settings, from weakest to strongest: built-in defaults, the
 * build's defaults (`data/defaults.json`, written by `sdc extension build
 * --service-url`), the user's choices (`storage.sync`), and the administration's
 * (`storage.managed`, set through browser policies; see managed_schema.json).
 * A managed key cannot be changed on the options page.
 */
import { ENGINE_IDS } from "../engines/index.js";

export const DEFAULTS = Object.freeze({
  /** service publishing /extension/trustlist.json (and /api/classify) */
  serviceUrl: "",
  /** "local" (private: the compact list, in the browser) or "service" (POST /api/classify) */
  classification: "local",
  /** "full" (icon and category) or "icon" (icon only, category in the tooltip) */
  badgeStyle: "full",
  /** engine id -> enabled */
  engines: Object.fromEntries(ENGINE_IDS.map((id) => [id, true])),
});

export const KEYS = Object.keys(DEFAULTS);

/** Merge layers of partial settings, keeping only known keys of the right type. */
export function mergeSettings(...layers) {
  const merged = { ...DEFAULTS, engines: { ...DEFAULTS.engines } };
  for (const layer of layers) {
    if (!layer || typeof layer !== "object") continue;
    for (const key of KEYS) {
      const value = layer[key];
      if (value === undefined || value === null) continue;
      if (key === "engines" && typeof value === "object") {
        for (const id of ENGINE_IDS) if (typeof value[id] === "boolean") merged.engines[id] = value[id];
      } else if (typeof value === typeof DEFAULTS[key]) {
        merged[key] = value;
      }
    }
  }
  if (!["local", "service"].includes(merged.classification)) merged.classification = "local";
  if (!["full", "icon"].includes(merged.badgeStyle)) merged.badgeStyle = "full";
  return merged;
}

/** Keys an administration set (the options page shows them locked). */
export function managedKeys(managed) {
  return managed && typeof managed === "object" ? KEYS.filter((key) => managed[key] !== undefined) : [];
}
