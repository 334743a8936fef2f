"""A broken subcommand import fails loudly: never "No such command"."""

from __future__ import annotations

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
