// Content scripts cannot be ES modules: this classic script only loads the module.
(async () => {
  const api = globalThis.browser ?? globalThis.chrome;
  const { main } = await import(api.runtime.getURL("content/index.js"));
  await main();
})().catch((error) => console.warn("Sources de confiance:", error));
