// Every engine definition, for the content script's bundle (the JSON files stay the one source).
import bing from "./bing.json" with { type: "json" };
import brave from "./brave.json" with { type: "json" };
import duckduckgo from "./duckduckgo.json" with { type: "json" };
import ecosia from "./ecosia.json" with { type: "json" };
import google from "./google.json" with { type: "json" };
import qwant from "./qwant.json" with { type: "json" };
import startpage from "./startpage.json" with { type: "json" };
import yahoo from "./yahoo.json" with { type: "json" };

export const ENGINES = [google, bing, qwant, duckduckgo, ecosia, startpage, brave, yahoo];
