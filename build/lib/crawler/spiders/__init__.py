"""Spiders: one per crawl policy."""
