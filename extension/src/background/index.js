/**
 * The background: keeps the trust list (compiled in storage.local, where the
 * content scripts read it) up to date (at most daily), publishes the settings
 * there too, classifies for a content script that cannot (service mode, or no
 * list stored yet) and remembers which engines ran on the generic fallback
 * (shown on the options page).
 */
import { api } from "../shared/api.js";
import { MSG, SETTINGS_KEY, serve } from "../shared/messages.js";
import { mergeSettings } from "../shared/settings.js";
import { classifyRemotely } from "./remote.js";
import { TrustStore } from "./store.js";

const ALARM = "sdc-update";
const store = new TrustStore(api);

// read once per service-worker life and again after any change (user, policy): every page
// asks for them, and classifying asks again; published in storage.local for the content scripts
let cachedSettings = null;
let resolvedSettings = null;
let provisionalSettings = null;
let provisionalPublished = Promise.resolve();
// counts the changes: a read started before the latest one answers late (storage.managed waits for
// the policies at browser start) and must not overwrite the newer settings, here or in storage.local
let generation = 0;
api.storage.onChanged.addListener((_changes, area) => {
  if (area === "local") return;
  generation += 1;
  cachedSettings = null;
  resolvedSettings = null;
  provisionalSettings = null;
  settings().catch(() => {});
});

function settings() {
  if (cachedSettings !== null) return cachedSettings;
  const asked = generation;
  cachedSettings = readSettings(true).then(
    async (merged) => {
      if (asked !== generation) return settings(); // changed meanwhile: the newer read answers
      resolvedSettings = merged;
      await provisionalPublished; // never overwritten by the provisional ones
      if (asked !== generation) return settings();
      await api.storage.local.set({ [SETTINGS_KEY]: merged }).catch(() => {});
      return merged;
    },
    (error) => {
      if (asked === generation) cachedSettings = null;
      throw error;
    },
  );
  return cachedSettings;
}

/**
 * The settings without waiting for `storage.managed`: in a freshly started Chromium it answers
 * only once the policies are loaded (seconds after the first page, measured 2.8 s), and a page
 * is not kept unmarked that long.  Until then the policy's keys are not applied (the local mode,
 * the default, sends nothing out).
 */
function settingsNow() {
  if (resolvedSettings !== null) return Promise.resolve(resolvedSettings);
  return Promise.race([settings(), provisional()]);
}

function provisional() {
  provisionalSettings ??= readSettings(false);
  return provisionalSettings;
}

/** Right after install nothing is published: the settings without the policy's keys, until then. */
async function publishProvisional() {
  const { [SETTINGS_KEY]: published = null } = await api.storage.local.get(SETTINGS_KEY);
  if (published !== null) return;
  const asked = generation;
  const merged = await provisional();
  if (resolvedSettings === null && asked === generation) await api.storage.local.set({ [SETTINGS_KEY]: merged });
}

async function readSettings(withManaged) {
  const [packed, sync, managed] = await Promise.all([
    fetch(api.runtime.getURL("data/defaults.json")).then((r) => (r.ok ? r.json() : {})).catch(() => ({})),
    api.storage.sync.get(null).catch(() => ({})),
    withManaged ? api.storage.managed.get(null).catch(() => ({})) : {},
  ]);
  return { ...mergeSettings(packed, sync, managed), managed: Object.keys(managed ?? {}) };
}

async function classify({ urls }) {
  const config = await settingsNow();
  if (config.classification === "service" && config.serviceUrl) {
    try {
      return { results: await classifyRemotely(config.serviceUrl, urls), labels: (await store.classify([])).labels };
    } catch (error) {
      console.warn("Sources de confiance: service unavailable, classifying locally", error);
    }
  }
  return store.classify(urls);
}

/** The list from the store (in memory while it is written) and the settings known here. */
async function readForPage(keys) {
  const got = await store.read(keys);
  if (keys.includes(SETTINGS_KEY) && got[SETTINGS_KEY] === undefined) got[SETTINGS_KEY] = await settingsNow();
  return got;
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
  // content scripts ask for `now` only when storage.local has no settings yet (first page after install)
  [MSG.settings]: ({ now }) => (now ? settingsNow() : settings()),
  [MSG.status]: () => store.status(),
  [MSG.updateNow]: () => update(true),
  [MSG.fallback]: noteFallback,
  // a content script's read in Firefox, raced with its own (content/index.js listArea)
  [MSG.read]: ({ keys }) => readForPage(Array.isArray(keys) ? keys.filter((key) => typeof key === "string" && key.startsWith("sdc:")) : []),
});

api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) update(false);
});
api.runtime.onInstalled.addListener(() => {
  api.alarms.create(ALARM, { periodInMinutes: 60, delayInMinutes: 1 });
  // an update of the extension may pack a newer list than the stored one
  store.prepare({ installing: true }).catch((error) => console.warn("Sources de confiance:", error));
  update(false);
});
api.runtime.onStartup.addListener(() => update(false));

// at every start: the content scripts find the settings and the list in storage.local (the small
// settings first: the list, 4 MB for a full registry, takes longer to write)
provisionalPublished = publishProvisional().catch((error) => console.warn("Sources de confiance:", error));
settings().catch((error) => console.warn("Sources de confiance:", error));
store.prepare().catch((error) => console.warn("Sources de confiance:", error));
