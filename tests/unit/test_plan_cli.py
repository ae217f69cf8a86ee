"""`coach questions` through a tiny typer app built with assistant.plan_cli.register."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from assistant.config import Settings
from assistant.plan_cli import register
from assistant.planner import PLAN_STAGES

runner = CliRunner()
TOPIC = "Giving feedback to a colleague who keeps missing deadlines"


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A stand-in for the `coach` app."""

    register(app, lambda: Settings())
    return app


def run_json(app: typer.Typer, *args: str) -> dict:
    result = runner.invoke(app, ["questions", *args, "--offline", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_shape_is_stages_with_tagged_questions(app):
    data = run_json(app, TOPIC, "--lang", "en", "--minutes", "60")
    assert set(data) == {
        "topic",
        "lang",
        "relationship",
        "minutes",
        "source",
        "model",
        "notice",
        "stages",
        "roleplay",
    }
    assert (data["topic"], data["lang"], data["relationship"]) == (TOPIC, "en", "peers")
    assert (data["source"], data["model"], data["notice"]) == ("question-bank", None, None)
    assert [stage["id"] for stage in data["stages"]] == list(PLAN_STAGES)
    assert sum(stage["minutes"] for stage in data["stages"]) == 60
    for stage in data["stages"]:
        assert set(stage) == {"id", "name", "minutes", "questions"}
        assert 2 <= len(stage["questions"]) <= 5
        for question in stage["questions"]:
            assert set(question) == {"id", "text", "stage", "strategy"}
            assert question["stage"] == stage["id"]
            assert question["strategy"]
    assert data["roleplay"] == {
        "scenario": "missed-deadlines",
        "title": "Feedback to a colleague who keeps missing deadlines",
        "text": data["roleplay"]["text"],
    }


def test_offline_is_deterministic_and_needs_no_model(app):
    # Sockets are disabled in unit tests: --offline must not try to reach Ollama.
    first = runner.invoke(app, ["questions", TOPIC, "--offline", "--relationship", "cross-team"])
    second = runner.invoke(app, ["questions", TOPIC, "--offline", "--relationship", "cross-team"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    assert first.stdout.startswith(f"# Session plan: {TOPIC}\n")
    assert "## 7. Action plan (4 min)" in first.stdout
    assert "*[check-in · " in first.stdout
    assert "Cross-team" in first.stdout


def test_danish_plan(app):
    data = run_json(app, "Feedback til en kollega om deadlines", "--lang", "da", "--minutes", "15")
    assert data["lang"] == "da"
    assert data["stages"][0]["name"] == "Indtjekning"
    assert data["stages"][6]["name"] == "Handlingsplan"
    assert sum(stage["minutes"] for stage in data["stages"]) == 15
    assert data["stages"][0]["questions"][0]["text"].startswith("På en skala")


def test_language_is_guessed_from_the_topic(app):
    data = run_json(app, "Jeg skal give min kollega feedback på hans møder")
    assert data["lang"] == "da"


def test_bad_options_are_refused(app):
    result = runner.invoke(app, ["questions", TOPIC, "--minutes", "5", "--offline"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["questions", TOPIC, "--relationship", "boss", "--offline"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["questions", "x" * 600, "--offline", "--lang", "en"])
    assert result.exit_code == 2
    assert "keep it under 500" in result.stderr
