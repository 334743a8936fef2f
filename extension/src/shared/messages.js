/**
 * Every message between the extension's scripts, in one map.  Classification
 * requests only ever travel inside the extension (content script -> background);
 * no result URL leaves the browser unless the user chose the service mode.
 *
 *   classify   {urls: string[]}          -> {results: Result[], labels: {category: label}}
 *   settings   {now?}                    -> Settings (see settings.js); `now`: without waiting for policies
 *   status     {}                        -> {version, entries, lastCheck, lastError, fallbacks}
 *   updateNow  {}                        -> status, after fetching the list from the service
 *   fallback   {engine}                  -> {}   (the engine's selectors found nothing)
 *   read       {keys}                    -> those of the extension's storage.local keys (`sdc:...`)
 *   pageStats  {}  (popup -> content)    -> {engine, trusted, total, fallback}
 */
export const MSG = Object.freeze({
  classify: "sdc:classify",
  settings: "sdc:settings",
  status: "sdc:status",
  updateNow: "sdc:update-now",
  fallback: "sdc:fallback",
  read: "sdc:read",
  pageStats: "sdc:page-stats",
});

/** storage.local key where the background publishes the settings for the content scripts. */
export const SETTINGS_KEY = "sdc:settings";

/** Send a message to the background and unwrap `{error}` answers into exceptions. */
export async function ask(api, type, body = {}) {
  const answer = await api.runtime.sendMessage({ type, ...body });
  if (answer && answer.error) throw new Error(answer.error);
  return answer;
}

/** Route messages to async handlers; works with Chrome's sendResponse and Firefox's promises. */
export function serve(api, handlers) {
  api.runtime.onMessage.addListener((message, sender, sendResponse) => {
    const handler = message && handlers[message.type];
    if (!handler) return false;
    Promise.resolve()
      .then(() => handler(message, sender))
      .then(sendResponse, (error) => sendResponse({ error: String(error?.message ?? error) }));
    return true;
  });
}
