"""One crawl shared by many ``sdc crawl --worker`` processes through Redis.

* :mod:`crawler.distributed.frontier`: the shared frontier (per-host queues, seen-set, per-host
  leases, in-flight requests per worker, heartbeats and the reaper), each step one Lua script
  (:mod:`crawler.distributed.frontier_scripts`);
* :mod:`crawler.distributed.scheduler`: a Scrapy scheduler over it;
* :mod:`crawler.distributed.pipeline`: pages to the index's :class:`index.stream.PageStream`.
"""
