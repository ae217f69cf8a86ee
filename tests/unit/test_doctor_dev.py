"""`coach doctor --dev` says before a test run whether the test suite can run here (#15 item 13)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant import cli

runner = CliRunner()


def test_doctor_dev_names_a_missing_chromium_and_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "CHROMIUM", str(tmp_path / "no-chromium"))
    result = runner.invoke(cli.app, ["doctor", "--dev"])
    assert result.exit_code == 1
    assert f"[FAIL] {tmp_path / 'no-chromium'}" in result.output
    assert "apt-get install chromium" in result.output


def test_doctor_dev_passes_when_every_tool_is_there(monkeypatch, tmp_path):
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setattr(cli, "CHROMIUM", str(browser))
    result = runner.invoke(cli.app, ["doctor", "--dev", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == dict.fromkeys([*cli.DEV_MODULES, "chromium"], True)
