// The options page: service URL, update now, badge style, engines on/off, and
// which engines ran on the generic fallback.  Keys set by policy are locked.
import { api } from "../shared/api.js";
import { MSG, ask } from "../shared/messages.js";
import { DEFAULTS } from "../shared/settings.js";

const form = document.getElementById("options");

async function originPermission(serviceUrl) {
  if (!serviceUrl) return true;
  const origins = [`${new URL(serviceUrl).origin}/*`];
  // without it the service must answer with CORS headers; asking is friendlier
  return api.permissions.request({ origins }).catch(() => false);
}

function renderEngines(settings) {
  const box = document.getElementById("engines");
  for (const id of Object.keys(DEFAULTS.engines)) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = `engine:${id}`;
    input.checked = settings.engines[id];
    label.append(input, ` ${id}`);
    box.append(label);
  }
}

function fill(settings) {
  form.serviceUrl.value = settings.serviceUrl;
  form.classification.value = settings.classification;
  form.badgeStyle.value = settings.badgeStyle;
  for (const key of settings.managed) {
    for (const input of form.querySelectorAll(key === "engines" ? "[name^='engine:']" : `[name='${key}']`)) {
      input.disabled = true;
      input.title = "Réglé par votre administration";
    }
  }
}

async function renderStatus() {
  const status = await ask(api, MSG.status);
  const rows = [
    ["Version", status.version ?? "aucune liste"],
    ["Sources", String(status.entries)],
    ["Dernière vérification", status.lastCheck ? new Date(status.lastCheck).toLocaleString("fr-FR") : "jamais"],
    ["Dernière erreur", status.lastError ?? "aucune"],
  ];
  document.getElementById("status").replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement("dt");
      const dd = document.createElement("dd");
      dt.textContent = term;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  const list = document.getElementById("fallbacks");
  const entries = Object.entries(status.fallbacks);
  list.replaceChildren(
    ...(entries.length ? entries : [["aucun", null]]).map(([engine, when]) => {
      const li = document.createElement("li");
      li.dataset.sdcFallback = engine;
      li.textContent = when ? `${engine} (dernière fois : ${new Date(when).toLocaleString("fr-FR")})` : engine;
      return li;
    }),
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const serviceUrl = form.serviceUrl.value.trim();
  await originPermission(serviceUrl);
  const engines = Object.fromEntries(Object.keys(DEFAULTS.engines).map((id) => [id, form[`engine:${id}`].checked]));
  await api.storage.sync.set({ serviceUrl, classification: form.classification.value, badgeStyle: form.badgeStyle.value, engines });
  document.getElementById("saved").textContent = "Enregistré.";
});

document.getElementById("updateNow").addEventListener("click", async () => {
  await ask(api, MSG.updateNow);
  await renderStatus();
});

const settings = await ask(api, MSG.settings);
renderEngines(settings);
fill(settings);
await renderStatus();

// an update that lands while the page is open (the check runs in the background, storage is
// written last) shows at once, not on the next visit
api.storage.onChanged.addListener((_changes, area) => {
  if (area === "local") renderStatus().catch(() => {});
});
