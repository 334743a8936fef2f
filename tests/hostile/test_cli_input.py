"""The CLI's contract for bad input, command by command: exit 2, one line on stderr, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(data_dir: Path, *args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    environ = {**os.environ, "SDC_DATA_DIR": str(data_dir), "SDC_SHARED_DIR": str(data_dir / "none"), **env}
    environ.pop("SDC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "sdc", *args], env=environ, input=stdin,
                          capture_output=True, timeout=120, check=False)


CASES = {
    "unknown command": ["frobnicate"],
    "search without an index": ["search", "carte grise"],
    "search page 0": ["search", "--page", "0", "carte"],
    "index add of a missing file": ["index", "add", "/nonexistent/pages.jsonl"],
    "index add of a directory": ["index", "add", "/tmp"],
    "index add of a device": ["index", "add", "/dev/null", "--threads", "0"],
    "index stats without an index": ["index", "stats"],
    "index delete without a target": ["index", "delete"],
    "index consume, Redis unreachable": ["index", "consume", "--redis-url", "redis://127.0.0.1:1/0"],
    "index consume, not a Redis URL": ["index", "consume", "--redis-url", "http://example.com"],
    "serve on an impossible port": ["serve", "--port", "99999"],
    "sources import of a missing list": ["sources", "import", "list", "/nonexistent.txt", "--category",
                                         "commune", "--origin", "x"],
}


@pytest.mark.parametrize("args", CASES.values(), ids=CASES.keys())
def test_bad_input_is_exit_2_and_one_line(tmp_path: Path, args: list[str]) -> None:
    done = run(tmp_path, *args)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, (done.returncode, err)
    assert "Traceback" not in err and len([line for line in err.splitlines() if line.strip()]) == 1, err


def test_an_invalid_setting_is_exit_2_for_any_command(tmp_path: Path) -> None:
    done = run(tmp_path, "check", "https://www.paris.fr/", SDC_REDIS_URL="ftp://nowhere")
    assert done.returncode == 2 and done.stderr.decode().startswith("sdc: error: invalid setting")
