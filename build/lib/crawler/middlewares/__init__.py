"""Downloader middlewares of the crawler, one job each (their order is in :mod:`crawler.settings`)."""
