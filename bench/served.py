"""The service under a benchmark: its data, its process, the bodies it is sent.

``prepare_data`` imports the registry and indexes the corpus into a data
directory; ``kept_index_data`` serves an index built by ``bench.scale_build``
instead; ``start_server`` runs ``sdc serve`` (or uvicorn) in its own session and
waits until it answers, ``stop_server`` stops it and its workers.  ``classify_body`` (one body,
posted again and again), ``varied_bodies`` (no URL twice) and ``rerank_body`` are what it is sent.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.corpus_pages import SYNTHETIC_HOSTS

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data"))
URLS_PER_REQUEST = 50
QUERIES = ["carte grise", "allocations familiales", "permis de conduire", "impôt sur le revenu",
           "passeport", "retraite progressive", "inscription crèche", "RSA conditions",
           "déclaration de naissance", "élections municipales", "aide au logement", "chômage partiel"]
UNTRUSTED = ["https://www.example.com/page", "https://news.example.org/a?utm_source=x",
             "https://blog.wordpress.com/", "https://www.facebook.com/mairie", "https://evil.test/x"]
#: classify bodies when the corpus is absent
FALLBACK_URLS = ["https://www.service-public.fr/particuliers/vosdroits/F1", "https://www.paris.fr/"]
SDC = [sys.executable, "-m", "sdc"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(base: str, process: subprocess.Popen[bytes], path: str = "/healthz") -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(base + path, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not start")


def start_server(command: list[str], env: dict[str, str], port: int, path: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    _wait(f"http://127.0.0.1:{port}", process, path)
    return process


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)  # the server's own session: it and its workers
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def prepare_data(data_dir: Path, documents: int | None, env: dict[str, str]) -> list[str]:
    """Import the registry, index the corpus; returns corpus URLs for the classify bodies."""
    _import_etalab(env)
    corpus = SHARED / "corpus" / "documents.jsonl.gz"
    urls: list[str] = []
    if corpus.is_file():
        part = data_dir / "corpus.jsonl"
        with gzip.open(corpus, "rt", encoding="utf-8") as source, part.open("w", encoding="utf-8") as out:
            for line in itertools.islice(source, documents):
                out.write(line)
                urls.append(json.loads(line)["url"])
        subprocess.run([*SDC, "index", "add", str(part)], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return urls or list(FALLBACK_URLS)


def kept_index_data(data_dir: Path, index: Path, env: dict[str, str]) -> list[str]:
    """The registry (Etalab lists and the synthetic hosts ``site0.fr``...) and ``index`` (kept by
    ``bench.scale_build``) linked as the data's index, never written; returns corpus URLs for the
    classify bodies.  The hosts are imported so that no page of the index is purged as off the list."""
    if not (index / "meta.json").is_file() and not (index / "shards.json").is_file():
        raise SystemExit(f"no index at {index}")
    _import_etalab(env)
    hosts = data_dir / "synthetic-hosts.txt"
    hosts.write_text("".join(f"site{k}.fr\n" for k in range(SYNTHETIC_HOSTS)), encoding="ascii")
    subprocess.run([*SDC, "sources", "import", "list", str(hosts), "--category", "etat", "--origin",
                    "bench-synthetic"], env=env, check=True, stdout=subprocess.DEVNULL)
    (data_dir / "index").symlink_to(index, target_is_directory=True)
    corpus = SHARED / "corpus" / "documents.jsonl.gz"
    urls: list[str] = []
    if corpus.is_file():
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            urls = [json.loads(line)["url"] for line in itertools.islice(lines, 2000)]
    return urls or list(FALLBACK_URLS)


def _import_etalab(env: dict[str, str]) -> None:
    etalab = SHARED / "sources" / "etalab"
    if etalab.is_dir():
        subprocess.run([*SDC, "sources", "import", "etalab", str(etalab)], env=env, check=True,
                       stdout=subprocess.DEVNULL)


def classify_body(urls: list[str]) -> bytes:
    mixed = [u for pair in zip(urls[::7], itertools.cycle(UNTRUSTED)) for u in pair]  # ~half trusted
    return json.dumps({"urls": list(itertools.islice(itertools.cycle(mixed), URLS_PER_REQUEST))}).encode()


def rerank_body(urls: list[str]) -> bytes:
    foreign = ["https://fr.wikipedia.org/wiki/Carte_grise", "https://www.example.com/aide",
               "https://forum.example.org/t/1", "https://www.lemonde.fr/article"]
    picked = [u for pair in zip(urls[::11], foreign * 10, strict=False) for u in pair][:20]
    return json.dumps({"query": "carte grise", "mode": "boost", "results": [
        {"url": u, "title": f"Résultat {i}", "snippet": "Démarches et formulaires", "engine": "google",
         "position": i + 1} for i, u in enumerate(picked)]}, ensure_ascii=False).encode()


#: the varied stream: this many different bodies, posted in turn
VARIED_BODIES = 400


def varied_bodies(data_dir: Path, urls: list[str], count: int = VARIED_BODIES,
                   seed: int = 11) -> list[bytes]:
    """Bodies whose 20,000 URLs are all different, on about 10,000 hosts.

    Unlike the one repeated body, this lets no cache of ours see the same URL
    twice and few hosts more than twice: half the URLs are on hosts of the
    registry (listed or below a listed domain), a quarter on made-up untrusted hosts that
    are all new, a quarter are corpus pages; one in fifty is written so that only
    the WHATWG parser can read it (uppercase, port, userinfo).
    """
    from sources import Registry

    rng = random.Random(seed)
    with Registry(data_dir) as registry:
        hosts = [row[0] for row in registry.store.iter_entries()]
    hosts = hosts or ["www.service-public.fr", "www.paris.fr"]
    pages = urls or ["https://www.service-public.fr/particuliers/vosdroits/F1"]
    drawn: list[str] = []
    for n in range(count * URLS_PER_REQUEST):
        kind = rng.random()
        if kind < 0.5:
            host = rng.choice(hosts)
            url = f"https://{rng.choice(['', 'www.', 'demarches.'])}{host}/page/{n}?id={rng.randrange(10**6)}"
        elif kind < 0.75:
            url = f"https://{rng.choice(['blog', 'www', 'news'])}.site{n}-{rng.randrange(10**6)}.com/a/{n}"
        else:
            url = f"{rng.choice(pages)}?from={n}"
        if n % 50 == 49:
            url = url.replace("https://", "HTTPS://User@", 1)
        drawn.append(url)
    return [json.dumps({"urls": drawn[i:i + URLS_PER_REQUEST]}).encode()
            for i in range(0, len(drawn), URLS_PER_REQUEST)]
