"""``sdc extension build``: the list and both browsers' zips, from the registry."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from sdc.cli import main
from sources import Registry


def run(args: list[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> int:
    monkeypatch.setenv("SDC_DATA_DIR", str(data_dir))
    try:
        main(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_build_writes_list_and_both_zips(node: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with Registry(tmp_path / "data") as registry:
        registry.allow("asso.example.fr", "agréée")
    out = tmp_path / "out"
    code = run(["extension", "build", "--out", str(out), "--service-url", "https://sdc.example.fr/"],
               monkeypatch, tmp_path / "data")
    assert code == 0
    printed = capsys.readouterr().out
    assert "/extension/trustlist.json" in printed
    listing = json.loads((out / "trustlist.json").read_text("utf-8"))
    assert '"asso.example.fr"' in listing["payload"]
    zips = sorted(out.glob("*.zip"))
    assert [z.name.split("-")[3] for z in zips] == ["chromium", "firefox"]
    for archive, background in zip(zips, ("service_worker", "scripts"), strict=True):
        with zipfile.ZipFile(archive) as zf:
            manifest = json.loads(zf.read("manifest.json"))
            assert background in manifest["background"]
            assert manifest["host_permissions"] == ["https://sdc.example.fr/*"]
            assert json.loads(zf.read("data/trustlist.json")) == listing
            assert json.loads(zf.read("data/defaults.json")) == {"serviceUrl": "https://sdc.example.fr"}
            assert not [n for n in zf.namelist() if n.endswith(".test.js")]


def test_firefox_build_passes_web_ext_lint(node: str, extension_dir: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    web_ext = extension_dir / "node_modules" / ".bin" / "web-ext"
    if not web_ext.exists():
        pytest.skip("run `npm ci` in extension/ first (npm test lints too)")
    assert run(["extension", "build", "--out", str(tmp_path / "out")], monkeypatch, tmp_path / "data") == 0
    folder = tmp_path / "out" / "firefox"
    done = subprocess.run([str(web_ext), "lint", "--source-dir", str(folder), "--output", "json",
                           "--no-config-discovery"], capture_output=True, text=True, check=False)
    assert json.loads(done.stdout)["summary"]["errors"] == 0, done.stdout


def test_bad_service_url_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["extension", "build", "--service-url", "ftp://x"], monkeypatch, tmp_path / "data") == 2
    err = capsys.readouterr().err
    assert err.startswith("sdc: error:") and err.count("\n") == 1
