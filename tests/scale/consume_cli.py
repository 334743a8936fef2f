"""Run ``sdc index consume`` in a subprocess (the real CLI entry point and error handling)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def consume_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "sdc", "index", "consume", *args]


def consume_env(data_dir: Path, redis_url: str | None) -> dict[str, str]:
    env = {**os.environ, "SDC_DATA_DIR": str(data_dir), "SDC_SHARED_DIR": str(data_dir / "none")}
    env.pop("SDC_REDIS_URL", None)
    if redis_url:
        env["SDC_REDIS_URL"] = redis_url
    return env


def run_consume(data_dir: Path, redis_url: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(consume_command(*args), env=consume_env(data_dir, redis_url),
                          capture_output=True, text=True, timeout=300)


def start_consume(data_dir: Path, redis_url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(consume_command(*args), env=consume_env(data_dir, redis_url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
