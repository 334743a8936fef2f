"""A broken subcommand import fails loudly: never "No such command"."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from sdc import cli


def test_a_broken_import_is_not_an_unknown_command(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(cli.COMMANDS, "crawl", "sdc.cli._no_such_module_for_tests:crawl")
    monkeypatch.delenv("SDC_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["crawl", "--help"])
    assert stopped.value.code == 1  # a bug of ours, not a user error (2)
    err = capsys.readouterr().err
    assert "ModuleNotFoundError" in err and "_no_such_module_for_tests" in err
    assert "No such command" not in err
    monkeypatch.setenv("SDC_DEBUG", "1")
    with pytest.raises(ModuleNotFoundError, match="_no_such_module_for_tests"):
        cli.main(["crawl", "--help"])
    result = CliRunner().invoke(cli.cli, ["crawl", "--help"])
    assert isinstance(result.exception, ModuleNotFoundError)
    assert "No such command" not in result.output


def test_an_unknown_command_is_still_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["no-such-command"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == ["sdc: error: No such command 'no-such-command'."]


def test_sdc_check_imports_only_what_classifying_needs(tmp_path: Path) -> None:
    """With the compiled registry cached, ``sdc check URL`` imports neither pydantic-settings, nor
    the registry's importers and store, nor the service's models (what made it slow to start)."""
    import json
    import subprocess
    import sys

    env = {**os.environ, "SDC_DATA_DIR": str(tmp_path)}
    code = ("import sys, runpy; sys.argv = ['sdc', 'check', 'https://www.paris.fr/'];"
            "\ntry:\n    runpy.run_module('sdc', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules), file=sys.stderr)")
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(first.stdout)["url"] == "https://www.paris.fr/"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["trusted"] is True  # the national table, even without lists
    loaded = set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))
    assert "sources.compiled" in loaded
    for heavy in ("pydantic_settings", "sources.registry", "sources.store", "sources.importers",
                  "service.models", "httpx", "tantivy"):
        assert heavy not in loaded, heavy
