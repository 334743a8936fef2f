"""Fixtures of the scale-out tests: a real redis-server on loopback (skipped when not installed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.scale.redis_server import RedisServer


@pytest.fixture
def redis_url(redis_server: RedisServer) -> Iterator[str]:
    if redis_server.process is None:  # a test stopped it and failed before restarting it
        redis_server.start()
    client = redis_server.client()
    client.flushall()
    client.close()
    yield redis_server.url
    if redis_server.process is None:
        redis_server.start()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, socket_timeout=10)
    yield client
    client.close()


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    return tmp_path
