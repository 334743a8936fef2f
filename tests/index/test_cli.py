"""``sdc index ...`` and ``sdc search`` run as a user runs them (a subprocess per command)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def sdc(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sdc", *args], input=stdin, capture_output=True, text=True,
        env={**os.environ, "SDC_DATA_DIR": str(data_dir)}, timeout=120,
    )


LINES = [
    {"url": "https://travail-emploi.gouv.fr/conge", "title": "Le congé parental",
     "body": "Le congé parental d'éducation.", "date": "2024-01-02", "category": "commune",
     "domain": "evil.example"},
    "not json",
    {"url": "https://www.example.com/x", "title": "Ailleurs", "body": "non officiel"},
    {"title": "sans url", "body": "x"},
    {"url": "https://www.ain.gouv.fr/elections", "title": "Élections", "body": "Les élections en préfecture",
     "description": "Vote"},
    {"url": "https://travail-emploi.gouv.fr/conge", "title": "Le congé parental (mis à jour)",
     "body": "Le congé parental d'éducation, mis à jour."},
]


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    file = tmp_path / "pages.jsonl.gz"
    with gzip.open(file, "wt", encoding="utf-8") as out:
        for line in LINES:
            out.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    done = sdc(path, "index", "add", str(file), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["added"], summary["replaced"], summary["refused_untrusted"]) == (2, 1, 1)
    assert [i["line"] for i in summary["invalid_lines"]] == [2, 4]
    return path


def test_add_prints_a_summary_with_invalid_line_numbers(tmp_path: Path) -> None:
    file = tmp_path / "pages.jsonl"
    file.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in LINES))
    done = sdc(tmp_path / "data", "index", "add", str(file))
    assert done.returncode == 0, done.stderr
    assert "2 added, 1 replaced, 1 refused as untrusted, 2 invalid lines" in done.stdout
    assert "line 2: invalid JSON" in done.stdout and "line 4: missing or non-text 'url'" in done.stdout


def test_unreadable_file_is_exit_2_with_one_line(tmp_path: Path) -> None:
    done = sdc(tmp_path / "data", "index", "add", str(tmp_path / "absent.jsonl"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "absent.jsonl" in done.stderr
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    done = sdc(tmp_path / "data", "index", "add", str(broken))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert not (tmp_path / "data" / "index").exists()  # nothing was created


def test_category_and_domain_come_from_the_registry(data_dir: Path) -> None:
    done = sdc(data_dir, "search", "congé", "--json")
    result = json.loads(done.stdout)["results"][0]
    assert (result["domain"], result["category"]) == ("travail-emploi.gouv.fr", "etat")
    assert result["title"] == "Le congé parental (mis à jour)"


def test_search_reads_queries_from_stdin_as_json_lines(data_dir: Path) -> None:
    done = sdc(data_dir, "search", stdin="préfecture\n\ncongé -parental\nsite:ain.gouv.fr\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["préfecture", "congé -parental", "site:ain.gouv.fr"]
    for line in lines:
        assert set(line) == {"query", "total", "took_ms", "results"}
        for result in line["results"]:
            assert set(result) == {"url", "title", "snippet", "domain", "category", "score"}
    assert [line["total"] for line in lines] == [1, 0, 1]
    assert "<mark>préfecture</mark>" in lines[0]["results"][0]["snippet"]


def test_search_options_and_text_output(data_dir: Path) -> None:
    done = sdc(data_dir, "search", "élections", "--category", "etat", "--site", "gouv.fr",
               "--limit", "5")
    assert done.returncode == 0, done.stderr
    assert "1 results" in done.stdout and "https://www.ain.gouv.fr/elections" in done.stdout
    assert "0 results" in sdc(data_dir, "search", "élections", "--category", "commune").stdout


def test_stats_and_delete(data_dir: Path) -> None:
    stats = json.loads(sdc(data_dir, "index", "stats", "--json").stdout)
    assert stats["documents"] == 2 and stats["by_category"] == {"etat": 2}
    assert stats["size_bytes"] > 0 and stats["segments"] >= 1
    assert "documents: 2" in sdc(data_dir, "index", "stats").stdout
    done = sdc(data_dir, "index", "delete", "--domain", "ain.gouv.fr", "--url",
               "https://travail-emploi.gouv.fr/conge")
    assert done.returncode == 0, done.stderr
    assert json.loads(sdc(data_dir, "index", "stats", "--json").stdout)["documents"] == 0


def test_search_or_delete_without_index_is_exit_2(tmp_path: Path) -> None:
    for args in (("search", "x"), ("index", "stats"), ("index", "delete", "--domain", "a.fr")):
        done = sdc(tmp_path / "empty", *args)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, (args, done.stderr)
    assert sdc(tmp_path / "empty", "index", "delete").returncode == 2


def test_reshard_migrates_an_index_built_before_shards(data_dir: Path) -> None:
    index_dir = data_dir / "index"
    assert (index_dir / "meta.json").is_file()  # one unsharded index, as before issue 18
    before = sdc(data_dir, "search", "congé parental", "--json")
    done = sdc(data_dir, "index", "reshard", "--shards", "3")
    assert done.returncode == 0, done.stderr
    assert "3 shard(s), 2 pages copied" in done.stdout
    assert (index_dir / "shards.json").is_file() and not (index_dir / "meta.json").exists()
    assert not list(data_dir.glob("index.*"))  # the old index removed, nothing half-built left
    after = sdc(data_dir, "search", "congé parental", "--json")
    def pages(out: str) -> list[dict[str, object]]:  # BM25 scores move: each shard has its own statistics
        return [{k: v for k, v in hit.items() if k != "score"} for hit in json.loads(out)["results"]]

    assert pages(after.stdout) == pages(before.stdout)
    stats = sdc(data_dir, "index", "stats", "--json")
    data = json.loads(stats.stdout)
    assert data["documents"] == 2 and len(data["shards"]) == 3
    assert "shards: 3" in sdc(data_dir, "index", "stats").stdout
    deleted = sdc(data_dir, "index", "delete", "--url", "https://www.ain.gouv.fr/elections")
    assert deleted.returncode == 0 and "1 deleted" in deleted.stdout
    back = sdc(data_dir, "index", "reshard", "--shards", "1", "--keep-old")
    assert back.returncode == 0, back.stderr
    assert (index_dir / "meta.json").is_file() and len(list(data_dir.glob("index.before-*"))) == 1
    assert json.loads(sdc(data_dir, "index", "stats", "--json").stdout)["documents"] == 1


def test_reshard_without_an_index_is_exit_2(tmp_path: Path) -> None:
    done = sdc(tmp_path / "data", "index", "reshard", "--shards", "2")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "no index" in done.stderr
