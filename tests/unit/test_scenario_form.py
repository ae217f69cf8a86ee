"""Unit tests for the scenario builder's form helpers and the "prepare" handover words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import CoachError
from assistant.scenario_builder import (
    DEFAULT_LEVELS,
    FORM_FIELDS,
    describe,
    form_values,
    scenario_from_file,
    scenario_from_form,
    scenario_to_file,
)
from assistant.scenarios import Scenario, ScenarioError
from assistant.store import Turn
from assistant.ui.reflect_tab import prepared_words
from assistant.ui.scenario_panel import export_file_name, read_scenario_upload
from tests.unit.test_scenario_builder import DRAFT

FORM = {
    "title": "Tell Ana her reports are late",
    "situation": "Ana's weekly reports arrive two days late.",
    "user_goal": "Agree one change with Ana.",
    "success_criteria": "- Names one example\n\n* Asks an open question\nAgrees a next step\n",
    "name": "Ana",
    "role": "Analyst",
    "personality": "Careful, a little defensive.",
    "cares_about": "quality\n  getting the numbers right  ",
    "hidden_concerns": "",
    "opening_line": "You wanted to talk?",
}


def drafted() -> Scenario:
    return Scenario.model_validate(DRAFT | {"id": "tell-ana", "lang": "en", "builtin": False})


def test_describe_labels_both_boxes_in_the_language() -> None:
    text = describe(" Ana is late ", "She is defensive", "da")
    assert text == (
        "Situationen med mine egne ord:\nAna is late\n\n"
        "Den anden person med mine egne ord:\nShe is defensive"
    )
    assert describe("Ana is late", "  ", "en") == "The situation, in my own words:\nAna is late"


def test_describe_refuses_two_empty_boxes() -> None:
    with pytest.raises(CoachError) as caught:
        describe(" ", "\n", "en")
    assert caught.value.code == "description_empty"
    assert "Describe the situation" in caught.value.en and "Beskriv" in caught.value.da


def test_a_hand_written_form_becomes_a_scenario_with_default_behaviours() -> None:
    scenario = scenario_from_form(FORM, "en")
    assert scenario.id == "tell-ana-her-reports-are-late"
    assert scenario.builtin is False and scenario.lang == "en"
    assert scenario.success_criteria == [
        "Names one example",
        "Asks an open question",
        "Agrees a next step",
    ]
    assert scenario.counterpart.cares_about == ["quality", "getting the numbers right"]
    assert scenario.counterpart.hidden_concerns == []
    assert scenario.difficulty == DEFAULT_LEVELS["en"]
    assert scenario_from_form(FORM, "da").difficulty == DEFAULT_LEVELS["da"]


def test_edits_keep_what_the_form_does_not_show() -> None:
    base = drafted()
    values = form_values(base) | {"name": "Anna", "opening_line": "Now what?"}
    scenario = scenario_from_form(values, "en", base)
    assert scenario.counterpart.name == "Anna"
    assert scenario.opening_line == "Now what?"
    assert scenario.difficulty == base.difficulty
    assert scenario.counterpart.speaking_style == "Short sentences."
    assert scenario.counterpart.hidden_concerns == ["She covers two teams."]


def test_form_values_round_trip() -> None:
    base = drafted()
    again = scenario_from_form(form_values(base), "en", base)
    assert again.model_dump(exclude={"id"}) == base.model_dump(exclude={"id"})


def test_missing_fields_are_named_in_both_languages() -> None:
    values = FORM | {"title": " ", "opening_line": "", "hidden_concerns": ""}
    with pytest.raises(ScenarioError) as caught:
        scenario_from_form(values, "en")
    assert caught.value.en == "Please fill in: Title, Opening line."
    assert caught.value.da == "Udfyld venligst: Titel, Første replik."


def test_too_long_field_gets_a_specific_message() -> None:
    with pytest.raises(ScenarioError) as caught:
        scenario_from_form(FORM | {"name": "x" * 81}, "en")
    assert "counterpart.name" in caught.value.en and "counterpart.name" in caught.value.da


def test_a_saved_scenario_never_takes_a_built_in_id() -> None:
    reserved = {"tell-ana-her-reports-are-late", "tell-ana-her-reports-are-late-2"}
    assert scenario_from_form(FORM, "en", None, reserved).id == "tell-ana-her-reports-are-late-3"


def test_html_in_fields_is_kept_as_text() -> None:
    values = FORM | {"title": "<script>alert(1)</script> <b>x</b>"}
    scenario = scenario_from_form(values, "en")
    assert scenario.title == "<script>alert(1)</script> <b>x</b>"
    assert scenario_from_file(scenario_to_file(scenario)).title == scenario.title


def test_every_form_field_comes_from_the_scenario() -> None:
    assert set(form_values(drafted())) == set(FORM_FIELDS)


def test_upload_reads_an_exported_file(tmp_path: Path) -> None:
    scenario = scenario_from_form(FORM, "da")
    path = tmp_path / export_file_name(scenario)
    path.write_text(scenario_to_file(scenario), encoding="utf-8")
    assert path.name == "tell-ana-her-reports-are-late.da.md"
    assert read_scenario_upload(path) == scenario


def test_upload_of_a_binary_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "photo.md"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    with pytest.raises(ScenarioError) as caught:
        read_scenario_upload(path)
    assert "not a text file" in caught.value.en and "ikke en tekstfil" in caught.value.da


def test_upload_of_json_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "scenario.md"
    path.write_text(json.dumps(DRAFT), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        read_scenario_upload(path)
    assert "front matter" in caught.value.en


def turn(role: Any, text: str, number: int) -> Turn:
    return Turn(id=number, session_id=1, role=role, text=text, status="complete", created_at="")


def test_prepared_words_are_the_persons_own_lines_in_order() -> None:
    turns = [
        turn("assistant", "Who is the conversation with?", 1),
        turn("user", " My colleague Ana. ", 2),
        turn("assistant", "What makes it hard?", 3),
        turn("user", "She gets defensive about her late reports.", 4),
    ]
    assert prepared_words(turns) == (
        "My colleague Ana.\n\nShe gets defensive about her late reports."
    )
    assert prepared_words(turns[:1]) == ""
