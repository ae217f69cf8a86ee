"""`coach questions` prints each question as soon as the model has tailored it (issue #16),
against the Ollama double (no Ollama server can run here), which holds the answer after
the chunk that finishes the first question until the test releases it."""

from __future__ import annotations

import threading

import typer
from typer.testing import CliRunner

from assistant import plan_cli
from assistant.config import PROJECT_ROOT
from assistant.planner import build_plan, load_question_bank
from tests.integration.test_planner_model import tailored_json
from tests.integration.test_structured_items import chunks_until

TOPIC = "Giving feedback to a colleague who keeps missing deadlines"


def test_each_question_is_printed_as_it_is_tailored(double, settings, monkeypatch):
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A stand-in for the `coach` app."""

    plan_cli.register(app, lambda: settings)
    plan = build_plan(TOPIC, "en", "peers", 30, load_question_bank(PROJECT_ROOT / "knowledge"))
    text = tailored_json(plan)
    double.script({"content": text, "fault": {"pause_after": chunks_until(text, ', "2":')}})

    printed: list[str] = []
    first_printed = threading.Event()
    echo = typer.echo

    def recording(message: object = None, *args: object, **kwargs: object) -> None:
        printed.append(str(message))
        if str(message).startswith("1/"):
            first_printed.set()
        echo(message, *args, **kwargs)

    monkeypatch.setattr(plan_cli.typer, "echo", recording)
    results = []
    worker = threading.Thread(
        target=lambda: results.append(
            CliRunner().invoke(app, ["questions", TOPIC, "--lang", "en"])
        ),
        daemon=True,
    )
    worker.start()
    # The double still holds every question after the first: this is printed ahead of them.
    assert first_printed.wait(30)
    assert printed == [f"1/{len(plan.questions)} For Sam: {plan.questions[0].text}"]
    double.release()
    worker.join(30)
    (result,) = results
    assert result.exit_code == 0, result.output
    lines = [line for line in printed if "/" in line.split(" ")[0]]
    assert len(lines) == len(plan.questions)
    assert lines[-1].startswith(f"{len(plan.questions)}/{len(plan.questions)} For Sam: ")
    assert result.stdout.startswith("# Session plan:")  # stdout: the plan alone
    assert "1/" in result.stderr
    assert f"For Sam: {plan.questions[-1].text}" in result.stdout
