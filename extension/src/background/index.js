/**
 * The background: holds the trust list, classifies for the content scripts,
 * keeps the list up to date (at most daily) and remembers which engines ran
 * on the generic fallback (shown on the options page).
 */
import { api } from "../shared/api.js";
import { MSG, serve } from "../shared/messages.js";
import { mergeSettings } from "../shared/settings.js";
import { classifyRemotely } from "./remote.js";
import { TrustStore } from "./store.js";

const ALARM = "sdc-update";
const store = new TrustStore(api);

// read once per service-worker life and again after any change (user, policy): every page
// asks for them, and classifying asks again
let cachedSettings = null;
api.storage.onChanged.addListener((_changes, area) => {
  if (area !== "local") cachedSettings = null;
});

function settings() {
  cachedSettings ??= readSettings().catch((error) => {
    cachedSettings = null;
    throw error;
  });
  return cachedSettings;
}

async function readSettings() {
  const [packed, sync, managed] = await Promise.all([
    fetch(api.runtime.getURL("data/defaults.json")).then((r) => (r.ok ? r.json() : {})).catch(() => ({})),
    api.storage.sync.get(null).catch(() => ({})),
    api.storage.managed.get(null).catch(() => ({})),
  ]);
  return { ...mergeSettings(packed, sync, managed), managed: Object.keys(managed ?? {}) };
}

async function classify({ urls }) {
  const config = await settings();
  if (config.classification === "service" && config.serviceUrl) {
    try {
      return { results: await classifyRemotely(config.serviceUrl, urls), labels: await labels() };
    } catch (error) {
      console.warn("Sources de confiance: service unavailable, classifying locally", error);
    }
  }
  const classifier = await store.current();
  if (classifier === null) return { results: urls.map(() => ({ trusted: false, reason: "no trust list" })), labels: {} };
  return { results: urls.map((url) => classifier.classify(url)), labels: classifier.labels };
}

async function labels() {
  return (await store.current())?.labels ?? {};
}

async function update(force) {
  const { serviceUrl } = await settings();
  await store.update(serviceUrl, { force });
  return store.status();
}

async function noteFallback({ engine }) {
  const { fallbacks = {} } = await api.storage.local.get("fallbacks");
  fallbacks[engine] = new Date().toISOString();
  await api.storage.local.set({ fallbacks });
  return {};
}

serve(api, {
  [MSG.classify]: classify,
  [MSG.settings]: settings,
  [MSG.status]: () => store.status(),
  [MSG.updateNow]: () => update(true),
  [MSG.fallback]: noteFallback,
});

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) update(false);
});
api.runtime.onInstalled.addListener(() => {
  api.alarms.create(ALARM, { periodInMinutes: 60, delayInMinutes: 1 });
  update(false);
});
api.runtime.onStartup.addListener(() => update(false));
