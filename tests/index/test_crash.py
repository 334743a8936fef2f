"""kill -9 in the middle of indexing: the index opens and holds every committed document."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from index.searcher import Searcher

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from index.documents import PageDocument
    from index.writer import IndexWriter
    from sources import Classifier

    writer = IndexWriter(Path(sys.argv[1]), Classifier(), batch_size=50, commit_seconds=0)
    n = 0
    while True:
        writer.add(PageDocument(f"https://www.ain.gouv.fr/p{n}", f"page {n}", "texte " * 200))
        n += 1
        if n % 50 == 0:  # add() committed this batch: report it
            print(n, flush=True)
""")


def test_kill_during_indexing_keeps_committed_documents(tmp_path: Path) -> None:
    path = tmp_path / "index"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    committed = 0
    try:
        while committed < 300:
            line = child.stdout.readline()
            assert line, "the indexing process died"
            committed = int(line)
        time.sleep(0.05)  # let it be in the middle of the next batch
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    searcher = Searcher(path)
    count = searcher.count()
    assert count >= committed and count % 50 == 0
    for n in (0, committed // 2, committed - 1):
        assert searcher.search(f'"page {n}"').total >= 1, json.dumps(n)
