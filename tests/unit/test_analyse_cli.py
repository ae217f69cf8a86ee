"""`coach analyse FILE`: the --json shape and counts, --me and --lang, the refusals, and the
conversation kept in (or, with --no-keep, left out of) the user's sessions."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.store import Store
from tests.unit.test_analysis import DA, EN


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def conversation(tmp_path):
    path = tmp_path / "tuesday.md"
    path.write_text(EN, encoding="utf-8")
    return path


def stored_sessions() -> list:
    store = Store(Settings().database_path)
    store.migrate()
    return store.sessions(store.user_id("local"))


def test_json_has_the_documented_shape_and_the_counts(runner, conversation):
    result = runner.invoke(app, ["analyse", str(conversation), "--me", "Anna", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"me", "lang", "counts", "lines", "verdict"} <= set(data)
    assert (data["me"], data["lang"]) == ("Anna", "en")
    assert data["counts"] == {
        "open_question": 1,
        "closed_question": 1,
        "reflection_simple": 0,
        "reflection_complex": 1,
        "advice": 0,
        "affirmation": 0,
        "other": 0,
        "requested_advice": 1,
    }
    assert [set(line) >= {"speaker", "text", "labels"} for line in data["lines"]] == [True] * 7
    assert [line["labels"] for line in data["lines"] if line["speaker"] == "Anna"] == [
        ["open_question"],
        ["reflection_complex"],
        ["closed_question"],
        ["requested_advice"],
    ]
    assert data["miti"]["reflection_to_question_ratio"] == "below fair"
    assert data["debrief"]["try_next_time"]["text"] == "Did you tell your manager?"
    assert "0.5:1" in data["verdict"]
    (session,) = stored_sessions()
    assert session.mode == "analyse"
    assert f"session #{session.id}" in result.stderr


def test_without_me_the_first_speaker_is_you_and_no_keep_stores_nothing(runner, conversation):
    result = runner.invoke(app, ["analyse", str(conversation), "--json", "--no-keep"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["me"] == "Anna"
    assert "--me Anna" in result.stderr
    assert stored_sessions() == []


def test_text_output_lists_your_labelled_lines_and_the_debrief(runner, conversation):
    result = runner.invoke(app, ["analyse", str(conversation), "--me", "ben", "--no-keep"])
    assert result.exit_code == 0, result.output
    assert "Ben: No. What should I do?\n      [Other, Open questions]" in result.stdout
    assert "Debrief" in result.stdout and "What worked" in result.stdout


def test_the_language_is_guessed_and_a_wrong_lang_is_refused(runner, tmp_path):
    danish = tmp_path / "samtale.txt"
    danish.write_text(DA, encoding="utf-8")
    result = runner.invoke(app, ["analyse", str(danish), "--json", "--no-keep"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lang"] == "da"
    refused = runner.invoke(app, ["analyse", str(danish), "--lang", "en"])
    assert refused.exit_code == 1
    assert "looks Danish" in refused.stderr and "--lang da" in refused.stderr
    assert stored_sessions() == []


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "The conversation is empty"),
        ("notes.txt", b"just notes\nno speakers", "No speaker lines found"),
        ("solo.md", b"Anna: one\nAnna: two", "Only one speaker (Anna)"),
        ("talk.docx", b"PK\x03\x04", "is not a .txt or .md file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "not plain text"),
    ],
)
def test_bad_files_get_their_message_and_nothing_is_stored(runner, tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["analyse", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert expected in result.stderr
    assert stored_sessions() == []


def test_an_unknown_me_names_the_speakers(runner, conversation):
    result = runner.invoke(app, ["analyse", str(conversation), "--me", "Carla"])
    assert result.exit_code == 1
    assert "'Carla' is not one of the speakers (Anna, Ben)." in result.stderr
    assert stored_sessions() == []


def test_a_missing_file_says_so(runner, tmp_path):
    result = runner.invoke(app, ["analyse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "Cannot read" in result.stderr
