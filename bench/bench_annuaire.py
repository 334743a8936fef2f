"""Relevance of the Annuaire's search (issue 15): MRR@10 and hit@1 on queries generated from the
real 2019 file, ours (tantivy candidates, our ranking) against plain FTS5 (bm25 order) as the
baseline, and our ranking over FTS5 candidates (the other index the issue weighed).

A seeded script draws offices and writes the queries an agent types for them, in five shapes:
the office's name; its type and commune ("gendarmerie sainte anne", with the words agents use,
not the pivot names); postcode and type ("56190 mairie"); a commune alone (its mairie); a commune
written loosely (no accents, no hyphens, "st" for "saint").  A query's relevant offices are all
those it describes (every mairie of a shared postcode, every CIO of Toulouse).  Offices are split
by a hash of their id before any tuning: half "tune", half "held-out"; the held-out half is the
figure to quote.

    python -m bench annuaire            # about two minutes on 2 cores

Then the streamed import: a DILA archive of ``IMPORT_RECORDS`` generated records (about 120 MB
of JSON inside a ``.tar.bz2``) imported in a child process, its peak memory against the
baseline of ``json.load`` on the same JSON (what reading the dump whole would cost).
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from index.office_index import OfficeIndex, build
from index.offices import search
from sources.annuaire import AnnuaireStore, Office, read_offices
from sources.annuaire.text import normalize

SHARED = Path(os.environ.get("SDC_SHARED_DIR", Path(__file__).resolve().parents[2] / "shared" / "data"))
CSV = SHARED / "annuaire" / "annuaire-2019.csv.gz"
SEED = 15
PER_SHAPE = 600
IMPORT_RECORDS = 40_000
RECORD = {  # one office in DILA's format (v4), as dila-local-sample.json holds
    "id": "", "nom": "", "pivot": [{"type_service_local": "mairie", "code_insee_commune": "27115"}],
    "adresse": [{"type_adresse": "Adresse", "complement1": "10 ancienne route du Mans",
                 "code_postal": "27570", "nom_commune": "Breux-sur-Avre", "longitude": "1.08",
                 "latitude": "48.76"}],
    "telephone": [{"valeur": "02 32 32 50 76"}], "site_internet": [{"valeur": "https://www.breux-sur-avre.fr"}],
    "plage_ouverture": [{"nom_jour_debut": "Lundi", "nom_jour_fin": "Vendredi",
                         "valeur_heure_debut_1": "09:00:00", "valeur_heure_fin_1": "12:00:00"}],
    "date_modification": "03/12/2021 07:55:01", "information_complementaire": "x" * 2000,
}
#: the child's own peak (VmHWM starts afresh at exec; ru_maxrss would carry the parent's over)
PEAK = ("print(next(int(line.split()[1]) // 1024 for line in open('/proc/self/status') "
        "if line.startswith('VmHWM')))")
#: how agents name the types (not the pivot names the search's synonyms are keyed on)
SPOKEN = {
    "mairie": ["mairie", "mairie de", "hôtel de ville"], "tresorerie": ["trésorerie", "trésor public"],
    "gendarmerie": ["gendarmerie", "brigade de gendarmerie", "gendarmerie de"],
    "msap": ["maison france services", "france services"], "cio": ["cio", "CIO de"],
    "mission_locale": ["mission locale", "mission locale de"], "cij": ["information jeunesse"],
    "sous_pref": ["sous-préfecture", "sous-préfecture de"], "pmi": ["pmi", "PMI de"],
    "sie": ["service des impôts des entreprises"], "commissariat_police": ["commissariat", "police"],
}


def loosely(commune: str, rng: random.Random) -> str:
    text = normalize(commune) if rng.random() < 0.7 else commune.lower().replace("-", " ")
    return text.replace("saint ", "st ") if rng.random() < 0.3 else text


def generate(offices: Sequence[Office], rng: random.Random) -> list[tuple[str, str, set[str]]]:
    """(shape, query, relevant ids): PER_SHAPE queries of each shape."""
    by_type_commune: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_postcode_type: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_name: dict[str, set[str]] = defaultdict(set)
    for o in offices:
        by_type_commune[o.type, normalize(o.commune)].add(o.id)
        by_postcode_type[o.postcode, o.type].add(o.id)
        by_name[normalize(o.name)].add(o.id)
    spoken = [o for o in offices if o.type in SPOKEN and o.commune]
    mairies = [o for o in offices if o.type == "mairie" and o.commune]
    queries = []
    for o in rng.sample(offices, PER_SHAPE):
        queries.append(("name", o.name, by_name[normalize(o.name)]))
    for o in rng.sample(spoken, PER_SHAPE):
        queries.append(("type+commune", f"{rng.choice(SPOKEN[o.type])} {o.commune}",
                        by_type_commune[o.type, normalize(o.commune)]))
    for o in rng.sample([o for o in spoken if o.postcode], PER_SHAPE):
        queries.append(("postcode+type", f"{o.postcode} {rng.choice(SPOKEN[o.type])}",
                        by_postcode_type[o.postcode, o.type]))
    for o in rng.sample(mairies, PER_SHAPE):
        queries.append(("commune", o.commune, by_type_commune["mairie", normalize(o.commune)]))
    for o in rng.sample(spoken, PER_SHAPE):
        queries.append(("loose", f"{rng.choice(SPOKEN[o.type])} {loosely(o.commune, rng)}",
                        by_type_commune[o.type, normalize(o.commune)]))
    return queries


def held_out(office_ids: set[str]) -> bool:
    return int(hashlib.sha1(min(office_ids).encode()).hexdigest(), 16) % 2 == 1


def plain_fts(store: AnnuaireStore) -> Callable[[str], list[str]]:
    def run(q: str) -> list[str]:
        terms = [f'"{w}"' for w in normalize(q).split()]
        rows = store.match(" OR ".join(terms), 10) if terms else []
        found = store.by_rowids(r for r, _ in rows)
        return [found[r].id for r, _ in rows if r in found]
    return run


def ours(store: Any) -> Callable[[str], list[str]]:
    """Our ranking over the candidates of ``store`` (FTS5, or the tantivy baseline)."""
    return lambda q: [s.office.id for s in search(store, q, limit=10)]


def measure(engine: Callable[[str], list[str]], queries: Sequence[tuple[str, str, set[str]]]
            ) -> dict[str, tuple[float, float, int]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for shape, q, relevant in queries:
        ranked = engine(q)
        rr = next((1 / (i + 1) for i, oid in enumerate(ranked) if oid in relevant), 0.0)
        for key in (shape, "all"):
            sums[key][0] += rr
            sums[key][1] += rr == 1.0
            sums[key][2] += 1
    return {k: (v[0] / v[2], v[1] / v[2], int(v[2])) for k, v in sums.items()}


def main(argv: list[str] | None = None) -> None:
    if not CSV.exists():
        print(f"skipped: {CSV} is absent")
        return
    offices = list(read_offices(str(CSV)))
    queries = generate(offices, random.Random(SEED))
    with tempfile.TemporaryDirectory() as tmp:
        with AnnuaireStore(Path(tmp)) as writer:
            writer.replace(offices, str(CSV))
        with AnnuaireStore(Path(tmp), readonly=True) as store:
            build(store, Path(tmp))
            tantivy_index = OfficeIndex(Path(tmp), store)
            for engine in (ours(tantivy_index), ours(store)):  # warm both (and the page cache they share)
                measure(engine, queries[::5])
            for split in ("tune", "held-out"):
                part = [x for x in queries if held_out(x[2]) == (split == "held-out")]
                print(f"\n{split}: {len(part)} queries (seed {SEED})")
                print(f"{'shape':<15} {'ours MRR@10':>12} {'hit@1':>7} {'FTS5 MRR@10':>12} {'hit@1':>7}"
                      f" {'ratio':>6}")
                started = time.perf_counter()
                mine = measure(ours(tantivy_index), part)  # what the service runs
                took = time.perf_counter() - started
                base = measure(plain_fts(store), part)
                for shape in ("name", "type+commune", "postcode+type", "commune", "loose", "all"):
                    m, b = mine.get(shape), base.get(shape)
                    if m and b:
                        print(f"{shape:<15} {m[0]:>12.3f} {m[1]:>7.3f} {b[0]:>12.3f} {b[1]:>7.3f} "
                              f"{m[0] / b[0] if b[0] else float('inf'):>6.2f}")
                print(f"ours: {1000 * took / len(part):.2f} ms per query")
                started = time.perf_counter()
                other = measure(ours(store), part)
                other_took = time.perf_counter() - started
                print(f"the same ranking over SQLite FTS5 candidates: MRR@10 {other['all'][0]:.3f}, hit@1 "
                      f"{other['all'][1]:.3f}, {1000 * other_took / len(part):.2f} ms per query "
                      f"(tantivy {mine['all'][0]:.3f}, {1000 * took / len(part):.2f} ms)")
    import_figures()


def dila_archive(path: Path, records: int) -> int:
    """A DILA-format archive of ``records`` offices; returns the size of its JSON."""
    parts = [b'{"service": [']
    for i in range(records):
        record = copy.deepcopy(RECORD)
        record["id"], record["nom"] = f"id-{i:07d}", f"Mairie - Commune {i}"
        parts.append((b"," if i else b"") + json.dumps(record).encode())
    parts.append(b"]}")
    data = b"".join(parts)
    (path.parent / "dump.json").write_bytes(data)
    with tarfile.open(path, "w:bz2") as tar:
        info = tarfile.TarInfo("data.gouv_local.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return len(data)


def peak_mb(code: str) -> tuple[int, float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", f"{code}\n{PEAK}"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout.split()[-1]), time.perf_counter() - started


def import_figures() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "all_latest.tar.bz2"
        size = dila_archive(archive, IMPORT_RECORDS)
        ours, took = peak_mb("from pathlib import Path; from sources.annuaire import import_annuaire; "
                             f"import_annuaire(Path({tmp!r}) / 'data', {str(archive)!r})")
        whole, _ = peak_mb(f"import json; json.load(open({str(Path(tmp) / 'dump.json')!r}, 'rb'))")
        print(f"\nstreamed import of {IMPORT_RECORDS} offices ({size / 1e6:.0f} MB of JSON in .tar.bz2): "
              f"{took:.0f} s, peak {ours} MB; json.load of the same JSON alone: peak {whole} MB "
              f"(ratio {whole / ours:.1f})")


if __name__ == "__main__":
    main()
