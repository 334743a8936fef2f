"""``sdc check`` and ``sdc sources``: output contract and exit code 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def sdc(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SDC_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "sdc", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120)


def test_check_prints_one_json_object_per_url(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "communes.txt").write_text("paris.fr\n", "utf-8")
    assert sdc(tmp_path, "sources", "import", "etalab", str(lists)).returncode == 0
    done = sdc(tmp_path, "check", "https://www.paris.fr/x", "javascript:alert(1)")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [list(obj) for obj in lines] == [["url", "trusted", "domain", "category", "name", "rule",
                                             "reason"]] * 2
    assert lines[0]["trusted"] and lines[0]["category"] == "commune"
    assert not lines[1]["trusted"] and "javascript" in lines[1]["reason"]
    piped = sdc(tmp_path, "check", stdin="https://paris.fr\n\nhttps://evil.com\nnot a url\n")
    assert [json.loads(x)["trusted"] for x in piped.stdout.splitlines()] == [True, False, False]


def test_stats_json(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "communes.txt").write_text("paris.fr\nwww.paris.fr\nlyon.fr\n", "utf-8")
    sdc(tmp_path, "sources", "import", "etalab", str(lists))
    done = sdc(tmp_path, "sources", "stats", "--json")
    stats = json.loads(done.stdout)
    assert {"hosts", "domains", "by_category", "by_origin"} <= set(stats)
    assert stats["hosts"] == 3 and stats["domains"] == 2
    assert stats["by_category"] == {"commune": 3} and stats["by_origin"] == {"etalab": 3}
    assert "3 trusted hosts over 2 registrable domains" in sdc(tmp_path, "sources", "stats").stdout


def test_curator_commands(tmp_path: Path) -> None:
    assert sdc(tmp_path, "sources", "deny", "evil.gouv.fr", "--reason", "phishing").returncode == 0
    out = json.loads(sdc(tmp_path, "check", "https://www.evil.gouv.fr/").stdout)
    assert out["trusted"] is False and out["rule"] == "curator:deny"
    assert sdc(tmp_path, "sources", "allow", "mairie.example", "--reason", "x").returncode == 0
    assert json.loads(sdc(tmp_path, "check", "mairie.example").stdout)["trusted"] is True


@pytest.mark.parametrize(
    "args",
    [
        ("sources", "import", "etalab", "/nonexistent/dir"),
        ("sources", "import", "universities", "/nonexistent.json"),
        ("sources", "import", "list", "/etc/hostname", "--category", "mairie", "--origin", "x"),
        ("sources", "import", "list", "/etc/hostname", "--category", "commune"),
        ("sources", "deny", "1.2.3.4", "--reason", "x"),
        ("sources", "allow", "paris.fr"),
        ("sources", "frobnicate"),
        ("no-such-command",),
    ],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = sdc(tmp_path, *args)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("sdc: error: ")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("name", "value"), [("SDC_REDIS_URL", "localhost:6379"),
                                             ("SDC_CRAWL_TARGET", "moon"), ("SDC_PORT", "abc")])
def test_invalid_settings_exit_2_with_one_line(tmp_path: Path, name: str, value: str) -> None:
    env = {**os.environ, "SDC_DATA_DIR": str(tmp_path), name: value}
    done = subprocess.run([sys.executable, "-m", "sdc", "check", "https://paris.fr/"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and name in done.stderr


def test_check_on_binary_input_is_exit_2_and_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "SDC_DATA_DIR": str(tmp_path)}
    for data in (b"https://www.paris.fr/\n\xff\xfe\x00binary\n", b"https://a.fr/\n\x00\x01\x02\n"):
        done = subprocess.run([sys.executable, "-m", "sdc", "check"], input=data, capture_output=True,
                              env=env, timeout=120)
        assert done.returncode == 2
        assert len(done.stderr.decode().strip().splitlines()) == 1 and b"Traceback" not in done.stderr


def test_universities_nested_100000_deep_is_exit_2(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    done = sdc(tmp_path, "sources", "import", "universities", str(deep))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_imports_that_cannot_hurt_from_the_command_line(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "communes.txt").write_text("".join(f"commune{i}.fr\n" for i in range(100)), "utf-8")
    (lists / "epci.txt").write_text("cc-exemple.fr\n", "utf-8")
    assert sdc(tmp_path, "sources", "import", "etalab", str(lists)).returncode == 0
    (lists / "epci.txt").unlink()
    missing = sdc(tmp_path, "sources", "import", "etalab", str(lists))
    assert missing.returncode == 2 and "epci.txt" in missing.stderr
    (lists / "epci.txt").write_text("cc-exemple.fr\n", "utf-8")
    (lists / "communes.txt").write_text("".join(f"commune{i}.fr\n" for i in range(90)), "utf-8")
    shrink = sdc(tmp_path, "sources", "import", "etalab", str(lists))
    assert shrink.returncode == 2 and "10 of 101" in shrink.stderr
    assert len(shrink.stderr.strip().splitlines()) == 1
    dry = sdc(tmp_path, "sources", "import", "etalab", str(lists), "--dry-run")
    assert dry.returncode == 0 and "- commune95.fr" in dry.stdout and "nothing changed" in dry.stdout
    assert json.loads(sdc(tmp_path, "check", "https://commune95.fr/").stdout)["trusted"]
    done = sdc(tmp_path, "sources", "import", "etalab", str(lists), "--allow-shrink")
    assert done.returncode == 0, done.stderr
    assert not json.loads(sdc(tmp_path, "check", "https://commune95.fr/").stdout)["trusted"]
    history = [json.loads(line) for line in
               sdc(tmp_path, "sources", "history", "--hosts").stdout.splitlines()]
    assert "commune95.fr" in history[0]["removed"] and history[0]["removed"] == sorted(history[0]["removed"])
    log = [json.loads(line) for line in sdc(tmp_path, "sources", "log").stdout.splitlines()]
    assert log[0]["action"] == "import" and log[0]["detail"]["allow_shrink"] is True


def test_curators_get_a_token_once(tmp_path: Path) -> None:
    added = sdc(tmp_path, "curators", "add", "alice")
    assert added.returncode == 0 and added.stdout.startswith("sdc_")
    token = added.stdout.strip()
    assert token not in (tmp_path / "registry.sqlite3").read_bytes().decode("latin-1")
    assert sdc(tmp_path, "curators", "add", "alice").returncode == 2
    listed = sdc(tmp_path, "curators", "list")
    assert "alice" in listed.stdout and token not in listed.stdout
    assert sdc(tmp_path, "curators", "revoke", "alice").returncode == 0


def test_audit_prints_platforms_with_evidence(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    communes = ["gibles", "herleville", "ouerre", "bras", "chameyrat"]
    (lists / "communes.txt").write_text("".join(f"{c}.fr\n" for c in communes), "utf-8")
    (lists / "collectivites.txt").write_text(
        "hebergeur-communes.fr\n" + "".join(f"{c}.hebergeur-communes.fr\n" for c in communes), "utf-8")
    sdc(tmp_path, "sources", "import", "etalab", str(lists))
    audit = sdc(tmp_path, "sources", "audit", "--json")
    findings = {f["host"]: f for f in json.loads(audit.stdout)}
    platform = findings["hebergeur-communes.fr"]
    assert platform["kind"] == "platform" and platform["applied"] and "gibles" in platform["tenants"]
    checked = [json.loads(x) for x in sdc(tmp_path, "check", "https://gibles.hebergeur-communes.fr/",
                                           "https://inconnu.hebergeur-communes.fr/",
                                           "https://hebergeur-communes.fr/").stdout.splitlines()]
    assert [c["trusted"] for c in checked] == [True, False, False]
