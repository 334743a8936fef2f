"""``python -m bench [--quick] [NAME...]``: run every ``bench/bench_*.py`` (or the named ones).

Each module exposes ``main(argv: list[str] | None) -> None``; figures go to
stdout and are copied, with the machine and the date, into docs/benchmarks.md.
"""

from __future__ import annotations

import importlib
import pkgutil
import platform
import sys
import time
from datetime import UTC, datetime

import bench


def main() -> None:
    args = sys.argv[1:]
    flags = [a for a in args if a.startswith("-")]
    names = [a for a in args if not a.startswith("-")]
    found = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    chosen = [n for n in found if not names or n in names or n.removeprefix("bench_") in names]
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{platform.python_implementation()} {platform.python_version()}")
    for name in chosen:
        print(f"\n## {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").main(flags)
        print(f"({name} took {time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
