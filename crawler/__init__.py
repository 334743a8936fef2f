"""The crawler: Scrapy walks every trusted site politely into the index, and never leaves the list.

Modules (see docs/crawler.md):

* ``extract``, ``urls``: pure functions (page extraction with selectolax, URL canonicalisation
  and trap shapes);
* ``scope``: which hosts a crawl may visit, decided by the registry's classifier;
* ``spiders/allowlist``: the spider; ``middlewares/*``: one downloader middleware per job;
  ``downloader``: per-host concurrency that holds without a download delay;
* ``pipelines``, ``items``: pages to the crawl state and the index writer;
* ``state``, ``frontier``: what survives a crawl (validators) and a stop (the frontier);
* ``config``, ``settings``, ``run``, ``progress``: one crawl's parameters, Scrapy settings,
  running it, and showing it;
* ``farm``: the loopback site farm used by tests, benchmarks and ``make run``.

Dependencies flow one way: ``sources`` -> ``crawler`` -> ``index``.
"""
