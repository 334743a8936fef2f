// The content script, bundled by scripts/build.js into one classic script (content/content.js):
// content scripts cannot be ES modules, and importing the modules at run time cost a round trip
// to the extension per level of imports (measured 70-640 ms before the first scan could start).
import { main } from "./index.js";

main().catch((error) => console.warn("Sources de confiance:", error));
