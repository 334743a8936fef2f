"""HostRotationQueue: hosts in turn, idle hosts first, FIFO within a host."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request

from crawler.queues import HostRotationQueue


class Downloader:
    """The two things the queue asks Scrapy's downloader: a request's slot, and a slot's activity."""

    def __init__(self) -> None:
        self.slots: dict[str, SimpleNamespace] = {}

    def get_slot_key(self, request: Request) -> str:
        return request.url.split("/")[2]

    def busy(self, host: str, count: int) -> None:
        self.slots[host] = SimpleNamespace(active=set(range(count)))


def _queue() -> tuple[HostRotationQueue, Downloader]:
    downloader = Downloader()
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader))
    return HostRotationQueue.from_crawler(crawler, None, ""), downloader


def test_hosts_take_turns_and_each_host_is_fifo() -> None:
    queue, _ = _queue()
    for url in ["https://a.fr/1", "https://a.fr/2", "https://a.fr/3", "https://b.fr/1", "https://c.fr/1"]:
        queue.push(Request(url))
    assert len(queue) == 5
    popped = [queue.pop().url for _ in range(5)]
    assert popped == ["https://a.fr/1", "https://b.fr/1", "https://c.fr/1", "https://a.fr/2", "https://a.fr/3"]
    assert queue.pop() is None and len(queue) == 0


def test_idle_hosts_first_and_priorities_first() -> None:
    queue, downloader = _queue()
    queue.push(Request("https://a.fr/1"))
    queue.push(Request("https://b.fr/1"))
    queue.push(Request("https://b.fr/sitemap.xml", priority=10))
    downloader.busy("a.fr", 1)
    assert queue.pop().url == "https://b.fr/sitemap.xml"
    downloader.busy("b.fr", 2)
    assert queue.pop().url == "https://a.fr/1"  # the least busy when none is idle
    queue.push(Request("https://a.fr/2"))  # a host that emptied comes back in the ring once
    assert [queue.pop().url, queue.pop().url] == ["https://a.fr/2", "https://b.fr/1"]  # a: 1 active, b: 2


def test_no_disk_queues() -> None:
    with pytest.raises(ValueError, match="JOBDIR"):
        HostRotationQueue.from_crawler(SimpleNamespace(engine=SimpleNamespace(downloader=Downloader())),
                                       None, "/tmp/job")
