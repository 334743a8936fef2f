"""``sdc annuaire`` and ``sdc sources coverage``: summaries, JSON, exit code 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def sdc(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SDC_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "sdc", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_import_search_status_and_coverage(tmp_path: Path, sample_csv: Path) -> None:
    done = sdc(tmp_path, "annuaire", "import", str(sample_csv), "--version", "2019-10-22")
    assert done.returncode == 0, done.stderr
    assert "8 offices" in done.stdout and "8 added, 0 changed, 0 removed" in done.stdout
    assert "registry origin annuaire" in done.stdout
    assert (tmp_path / "annuaire-index" / "built-from").is_file()  # the search's tantivy index
    again = json.loads(sdc(tmp_path, "annuaire", "import", str(sample_csv), "--json").stdout)
    assert (again["added"], again["changed"], again["removed"], again["registry"]["added"]) == (0, 0, 0, 0)
    found = [json.loads(line) for line in sdc(tmp_path, "annuaire", "search", "cio", "toulouse").stdout
             .splitlines()]
    assert found[0]["id"] == "cio-31555-01"
    assert json.loads(sdc(tmp_path, "annuaire", "status").stdout)["offices"] == "8"
    check = json.loads(sdc(tmp_path, "check", "http://www.billiers.fr/").stdout)
    assert check["trusted"] and check["name"] == "Mairie - Billiers"
    coverage = sdc(tmp_path, "sources", "coverage", "--list")
    assert coverage.returncode == 0, coverage.stderr
    assert "mairie: 5 offices, 5 with a website, 4 of them trusted" in coverage.stdout
    assert "sites.google.com/foix" in coverage.stdout


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,here\n", "utf-8")
    for args in (("annuaire", "import", str(bad)), ("annuaire", "import", str(tmp_path / "absent")),
                 ("annuaire", "search", "mairie"), ("sources", "coverage")):
        done = sdc(tmp_path, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
