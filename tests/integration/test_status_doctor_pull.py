"""Ollama status, `coach doctor` and `coach pull` against the Ollama double."""

import json

from typer.testing import CliRunner

from assistant.cli import app
from assistant.llm import OllamaService

runner = CliRunner()


def test_status_reports_version_and_model(settings, double):
    status = OllamaService(settings).status()
    assert status.reachable and status.version == double.version
    assert status.model_installed and status.ready


def test_status_when_ollama_is_down(settings, double):
    double.stop()
    status = OllamaService(settings).status()
    assert not status.reachable and not status.ready
    assert status.error is not None and settings.ollama_host in status.error.en


def test_doctor_json_shape_and_exit_code_when_ready(settings, double, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(settings.data_dir))
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ollama"] == {
        "reachable": True,
        "host": double.url,
        "version": double.version,
        "error": None,
    }
    assert report["model"] == {"name": "gemma3:4b", "installed": True}
    assert report["data_dir"] == str(settings.data_dir)
    assert report["schema_version"] >= 1


def test_doctor_fails_when_model_missing_or_ollama_down(settings, double):
    double.set_models(["llama3.2:1b"])
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["model"]["installed"] is False
    double.stop()
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "ollama serve" in result.output and "Not ready" in result.output


def test_pull_reports_progress_to_completion_and_installs(settings, double):
    double.set_models([])
    steps = list(OllamaService(settings).pull())
    byte_steps = [s for s in steps if s.total]
    assert byte_steps and byte_steps[-1].completed == byte_steps[-1].total
    assert steps[-1].done and steps[-1].fraction == 1.0
    assert OllamaService(settings).status().model_installed


def test_pull_command_shows_progress_and_succeeds(settings, double):
    double.set_models([])
    result = runner.invoke(app, ["pull"])
    assert result.exit_code == 0, result.output
    assert "gemma3:4b is ready" in result.output
    assert "gemma3:4b" in double.models


def test_pull_command_fails_clearly_for_unknown_model(settings, double):
    double.set_pull_unknown(["nope:1b"])
    result = runner.invoke(app, ["pull", "nope:1b"])
    assert result.exit_code == 1
    assert "cannot find a model called 'nope:1b'" in result.output
