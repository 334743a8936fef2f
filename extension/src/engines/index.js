// The supported engines, in one place: each one's selectors are data in its JSON file.
export const ENGINE_IDS = ["google", "bing", "qwant", "duckduckgo", "ecosia", "startpage", "brave", "yahoo"];
