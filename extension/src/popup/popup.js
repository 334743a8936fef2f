// The popup: the counts of the current page, asked to its content script.
import { api } from "../shared/api.js";
import { MSG, ask } from "../shared/messages.js";
import { counterText } from "../content/ui.js";
import { reportUrl } from "../shared/report.js";

document.getElementById("options").addEventListener("click", (event) => {
  event.preventDefault();
  api.runtime.openOptionsPage();
});

// "Signaler une erreur": the service's report form (it files POST /api/reports)
const { serviceUrl } = await ask(api, MSG.settings).catch(() => ({ serviceUrl: "" }));
const report = reportUrl(serviceUrl);
if (report) {
  document.getElementById("report-line").hidden = false;
  document.getElementById("report").addEventListener("click", (event) => {
    event.preventDefault();
    api.tabs.create({ url: report });
  });
}

// `popup.html?tab=ID` shows another tab's counts (the popup opened in a tab, as tests do)
const requested = Number(new URLSearchParams(location.search).get("tab"));
const tabId = requested || (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
try {
  const stats = await api.tabs.sendMessage(tabId, { type: MSG.pageStats });
  if (stats) {
    const counts = document.getElementById("counts");
    counts.textContent = `${stats.engine} : ${counterText(stats.trusted, stats.total)}`;
    if (stats.fallback) counts.textContent += " (mode de secours)";
  }
} catch {
  // no content script on this page: not a supported results page
}
