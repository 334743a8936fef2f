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


def test_keygen_then_a_signed_build_and_its_policies(node: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import plistlib

    from service import extension_packages as packages

    key = tmp_path / "keys" / "extension.pem"
    assert run(["extension", "keygen", "--out", str(key)], monkeypatch, tmp_path / "data") == 0
    assert key.stat().st_mode & 0o077 == 0  # the deployer's secret: readable by its owner only
    ident = packages.extension_id(packages.load_key(key))
    assert f"chromium extension id: {ident}" in capsys.readouterr().out
    assert run(["extension", "keygen", "--out", str(key)], monkeypatch, tmp_path / "data") == 2  # kept
    out = tmp_path / "data" / "extension"
    assert run(["extension", "build", "--key", str(key), "--service-url", "https://sdc.example.fr"],
               monkeypatch, tmp_path / "data") == 0
    crx = out / "releases" / "sources-de-confiance-chromium-0.1.0.1.crx"
    assert crx.read_bytes()[:4] == b"Cr24"
    with zipfile.ZipFile(out / "releases" / "sources-de-confiance-firefox-0.1.0.1.xpi") as zf:
        gecko = json.loads(zf.read("manifest.json"))["browser_specific_settings"]["gecko"]
        assert gecko["update_url"] == "https://sdc.example.fr/extension/updates.json"
    chromium = json.loads((out / "chromium" / "manifest.json").read_text())
    assert chromium["key"] == packages.manifest_key(packages.load_key(key))

    policies = tmp_path / "policies"
    assert run(["policies", "--base-url", "https://sdc.example.fr", "--out", str(policies)],
               monkeypatch, tmp_path / "data") == 0
    chrome = json.loads((policies / "chrome/linux/sources-de-confiance-extension.json").read_text())
    assert chrome["ExtensionSettings"][ident]["update_url"] == "https://sdc.example.fr/extension/updates.xml"
    assert chrome["3rdparty"]["extensions"][ident] == {"serviceUrl": "https://sdc.example.fr",
                                                       "classification": "local"}
    search = json.loads((policies / "chrome/linux/sources-de-confiance-site-search.json").read_text())
    assert search["SiteSearchSettings"][0]["shortcut"] == "confiance"
    firefox = json.loads((policies / "firefox/extension/policies.json").read_text())["policies"]
    assert firefox["ExtensionSettings"][packages.GECKO_ID]["install_url"].endswith("firefox.xpi")
    reg = (policies / "chrome/windows/sources-de-confiance-extension.reg").read_text()
    assert f"\\3rdparty\\extensions\\{ident}\\policy]" in reg and '"ExtensionSettings"="{' in reg
    profile = plistlib.loads((policies / "macos/sources-de-confiance-extension.mobileconfig").read_bytes())
    domains = [p["PayloadType"] for p in profile["PayloadContent"]]
    assert f"com.google.Chrome.extensions.{ident}" in domains and "org.mozilla.firefox" in domains


@pytest.mark.parametrize("args", [
    ["extension", "keygen", "--out", str(Path(__file__).resolve().parent / "key.pem")],
    ["extension", "build", "--key", "/nonexistent/key.pem", "--service-url", "https://x.fr"],
    ["policies", "--base-url", "https://x.fr", "--extension-id", "not-an-id"],
])
def test_deployment_mistakes_are_one_line_errors(args: list[str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(args, monkeypatch, tmp_path / "data") == 2
    err = capsys.readouterr().err
    assert err.startswith("sdc: error:") and err.count("\n") == 1, err
