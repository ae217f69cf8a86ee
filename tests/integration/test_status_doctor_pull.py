"""Ollama status, `coach doctor` and `coach pull` against the Ollama double."""

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from assistant.cli import app, doctor_report
from assistant.llm import OllamaService
from assistant.store import MIGRATIONS

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


def test_doctor_says_the_model_is_unknown_when_ollama_cannot_be_asked(settings, double):
    """With Ollama down nobody knows whether the model is installed: not a FAIL, a "?"."""
    double.stop()
    result = runner.invoke(app, ["doctor", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["model"] == {"name": "gemma3:4b", "installed": None}
    assert report["ready"] is False
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 1
    assert "[ ?  ] model gemma3:4b installed: unknown, Ollama is not reachable" in result.output
    assert "[FAIL] model" not in result.output and "coach pull" not in result.output


def shape(value: Any) -> Any:
    """The keys of a JSON value, nested, with the type of each leaf (not its value)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return type(value).__name__


def test_the_readme_doctor_example_has_the_shape_of_a_real_report(settings, double):
    """The README's `coach doctor --json` example: the keys and value types of a real report
    from a ready setup, and the values the defaults fix (model, collection, embeddings,
    schema version); file and chunk counts change with the library, so they are not compared."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### `coach doctor --json`\s+```json\n(.*?)```", readme, re.DOTALL)
    assert block is not None, "the README lost its coach doctor --json example"
    example = json.loads(block.group(1))
    report = doctor_report(settings)
    assert report["ready"] is True
    assert shape(example) == shape(report)
    assert example["model"] == report["model"]
    assert example["schema_version"] == report["schema_version"] == len(MIGRATIONS)
    assert example["knowledge"]["collection"] == report["knowledge"]["collection"]
    assert example["embeddings"] == report["embeddings"]


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
