"""`coach skills` through a tiny typer app built with assistant.skills_cli.register."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from assistant.skills import LABELS
from assistant.skills_cli import parse_transcript, register

runner = CliRunner()


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """A stand-in for the `coach` app."""

    register(app)
    return app


def test_single_utterance_prints_one_label_per_unit(app: typer.Typer) -> None:
    result = runner.invoke(app, ["skills", "Can you tell me more? Have you considered HR?"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["open_question", "Can", "you", "tell", "me", "more?"]
    assert lines[1].startswith("advice ")
    assert lines[1].endswith("Have you considered HR?")


def test_single_utterance_json(app: typer.Typer) -> None:
    result = runner.invoke(app, ["skills", "Så du har haft travlt. Hvad skete der?", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "lang": "da",
        "units": [
            {"line": 1, "text": "Så du har haft travlt.", "label": "reflection_simple"},
            {"line": 1, "text": "Hvad skete der?", "label": "open_question"},
        ],
    }


def test_lang_option_overrides_detection(app: typer.Typer) -> None:
    result = runner.invoke(app, ["skills", "Okay.", "--lang", "da", "--json"])
    assert json.loads(result.output)["lang"] == "da"
    bad = runner.invoke(app, ["skills", "Okay.", "--lang", "de"])
    assert bad.exit_code == 2


def test_needs_exactly_one_of_utterance_and_file(app: typer.Typer, tmp_path: Path) -> None:
    assert runner.invoke(app, ["skills"]).exit_code == 2
    path = tmp_path / "t.txt"
    path.write_text("What happened?\n", encoding="utf-8")
    assert runner.invoke(app, ["skills", "Hi.", "--file", str(path)]).exit_code == 2
    assert runner.invoke(app, ["skills", "--file", str(tmp_path / "missing.txt")]).exit_code == 2


PLAIN = """What brings you here today?
So you've been busy. Did you talk to her?

# a comment line
It sounds like you're worn out.
You should take a day off.
"""


def test_plain_file_counts_and_ratios(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "session.txt"
    path.write_text(PLAIN, encoding="utf-8")
    result = runner.invoke(app, ["skills", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "4 coach lines, 5 units (en)" in result.output
    assert "reflections:questions 1:1" in result.output
    assert "MITI: fair" in result.output
    assert "talk share            n/a" in result.output
    assert "reflection-to-question ratio is 1:1 — at the MITI 'fair' level" in result.output


def test_plain_file_json_lists_every_unit_with_its_line(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "session.txt"
    path.write_text(PLAIN, encoding="utf-8")
    result = runner.invoke(app, ["skills", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "plain"
    assert data["lang"] == "en"
    assert data["coach_lines"] == 4
    assert data["units"] == [
        {"line": 1, "text": "What brings you here today?", "label": "open_question"},
        {"line": 2, "text": "So you've been busy.", "label": "reflection_simple"},
        {"line": 2, "text": "Did you talk to her?", "label": "closed_question"},
        {"line": 5, "text": "It sounds like you're worn out.", "label": "reflection_complex"},
        {"line": 6, "text": "You should take a day off.", "label": "advice"},
    ]
    assert list(data["counts"]) == [*LABELS, "requested_advice"]
    assert data["counts"]["advice"] == 1
    assert data["metrics"]["reflection_to_question_ratio"] == 1.0
    assert data["metrics"]["percent_complex_reflections"] == 50.0
    assert data["metrics"]["talk_share"] is None
    assert data["miti"] == {
        "reflection_to_question_ratio": "fair",
        "percent_complex_reflections": "good",
    }
    assert data["verdict"].startswith("Open questions: 1")


def test_prefixed_file_counts_only_coach_lines(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "session.txt"
    path.write_text(
        "coach: Hvad vil du gerne tale om?\n"
        "coachee: Min leder ændrer hele tiden prioriteterne. Hvad skal jeg gøre?\n"
        "COACH: Du kunne bede om et fast ugentligt møde.\n"
        "Fokusperson: Måske.\n"
        "Jeg ved ikke, om hun vil lytte.\n"
        "coach: Du er i tvivl om, hvorvidt hun tager dig alvorligt.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["skills", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "prefixed"
    assert data["lang"] == "da"
    assert [u["line"] for u in data["units"]] == [1, 3, 6]
    assert [u["label"] for u in data["units"]] == [
        "open_question",
        "advice",
        "reflection_complex",
    ]
    # The coachee asked for advice just before line 3, so it is not counted as unasked.
    assert data["counts"]["advice"] == 0
    assert data["counts"]["requested_advice"] == 1
    coach_words, other_words = 6 + 8 + 10, 10 + 1 + 7
    assert data["metrics"]["coach_words"] == coach_words
    assert data["metrics"]["other_party_words"] == other_words
    assert data["metrics"]["talk_share"] == round(coach_words / (coach_words + other_words), 3)
    assert "Du sagde" in data["verdict"]


EXPORT = {
    "mode": "practice",
    "turns": [
        {"role": "system", "text": "You play a colleague."},
        {"role": "assistant", "text": "I don't see why we need to talk about this."},
        {"role": "user", "text": "It sounds like this feels unfair to you. What happened?"},
        {"role": "assistant", "text": "Nobody asked me before the change."},
        {"role": "user", "text": "Okay."},
    ],
}


def test_export_json_with_default_coach_role(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(EXPORT), encoding="utf-8")
    result = runner.invoke(app, ["skills", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "json"
    assert data["coach_lines"] == 2
    assert data["units"] == [
        {
            "line": 3,
            "text": "It sounds like this feels unfair to you.",
            "label": "reflection_complex",
        },
        {"line": 3, "text": "What happened?", "label": "open_question"},
        {"line": 5, "text": "Okay.", "label": "other"},
    ]
    assert data["metrics"]["other_party_words"] == 10 + 6


def test_export_json_with_assistant_as_coach(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(EXPORT), encoding="utf-8")
    result = runner.invoke(
        app, ["skills", "--file", str(path), "--json", "--coach-role", "assistant"]
    )
    data = json.loads(result.output)
    assert [u["line"] for u in data["units"]] == [2, 4]


def test_empty_and_broken_files(app: typer.Typer, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(app, ["skills", "--file", str(empty), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["units"] == [] and data["metrics"]["units"] == 0
    assert data["verdict"] == "No coach utterances to assess yet."
    broken = tmp_path / "broken.json"
    broken.write_text('{"turns": 3}', encoding="utf-8")
    result = runner.invoke(app, ["skills", "--file", str(broken)])
    assert result.exit_code == 2
    assert "Could not read" in result.output


def test_parse_transcript_continuation_lines() -> None:
    transcript = parse_transcript("Hello.\ncoachee: I'm stuck.\nReally stuck.\ncoach: Stuck how?")
    assert [(t.line, t.coach, t.text) for t in transcript.turns] == [
        (1, True, "Hello."),
        (2, False, "I'm stuck."),
        (3, False, "Really stuck."),
        (4, True, "Stuck how?"),
    ]
