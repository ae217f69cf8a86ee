"""Unit tests for the scenario builder (fake chat model, no sockets)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import CoachError
from assistant.prompts import PromptLibrary
from assistant.scenario_builder import (
    MAX_DESCRIPTION_CHARS,
    draft_scenario,
    scenario_from_file,
    scenario_to_file,
)
from assistant.scenarios import ScenarioError

ROOT = Path(__file__).resolve().parents[2]

DRAFT = {
    "title": "Tell Ana <b>her</b> reports are late",
    "situation": "You and Ana share a team; her reports arrive late.",
    "user_goal": "Agree one change with Ana.",
    "success_criteria": ["Names one example", "Asks an open question", "Agrees a next step"],
    "counterpart": {
        "name": "Ana",
        "role": "Analyst",
        "personality": "Careful, a little defensive.",
        "cares_about": ["quality"],
        "hidden_concerns": ["She covers two teams."],
        "speaking_style": "Short sentences.",
    },
    "opening_line": "You wanted to talk?",
    "difficulty": {
        "cooperative": ["Agrees quickly."],
        "realistic": ["Explains first."],
        "resistant": ["Pushes back."],
    },
}


class Reply:
    def __init__(self, content: str) -> None:
        self.content = content


class FakeModel:
    """Returns scripted replies and records what it was bound with and asked."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.calls: list[Any] = []
        self.bound: dict[str, Any] = {}

    def bind(self, **kwargs: Any) -> FakeModel:
        self.bound = kwargs
        return self

    def stream(self, messages: Any) -> Any:
        self.calls.append(messages)
        reply = self.replies.pop(0)
        # In a few chunks, as a streamed answer arrives.
        for start in range(0, len(reply), 40):
            yield Reply(reply[start : start + 40])


@pytest.fixture
def prompts() -> PromptLibrary:
    return PromptLibrary(ROOT / "prompts")


def test_valid_draft(prompts: PromptLibrary) -> None:
    model = FakeModel([json.dumps(DRAFT)])
    scenario = draft_scenario("Ana is late", "en", model, prompts)
    assert scenario.counterpart.name == "Ana"
    assert scenario.builtin is False
    assert scenario.id.startswith("tell-ana")
    assert "properties" in model.bound["format"]
    assert "<description>\nAna is late\n</description>" in model.calls[0][1].content


def test_invalid_then_valid(prompts: PromptLibrary) -> None:
    model = FakeModel(["{not json", json.dumps(DRAFT)])
    scenario = draft_scenario("Ana is late", "da", model, prompts)
    assert scenario.lang == "da"
    assert len(model.calls) == 2
    assert "kunne ikke bruges" in model.calls[1][-1].content


def test_twice_invalid_raises(prompts: PromptLibrary) -> None:
    bad = json.dumps({**DRAFT, "success_criteria": ["only one"]})
    with pytest.raises(CoachError) as info:
        draft_scenario("x", "en", FakeModel([bad, bad]), prompts)
    assert "could not draft" in info.value.en
    assert "Modellen" in info.value.da


def test_round_trip(prompts: PromptLibrary) -> None:
    scenario = draft_scenario("x", "en", FakeModel([json.dumps(DRAFT)]), prompts)
    again = scenario_from_file(scenario_to_file(scenario))
    assert again == scenario
    assert again.title == "Tell Ana <b>her</b> reports are late"


def test_builtin_file_imports() -> None:
    text = (ROOT / "knowledge/scenarios/missed-deadlines.en.md").read_text(encoding="utf-8")
    assert scenario_from_file(text).counterpart.name == "Daniel"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("no front matter", "front matter"),
        ("---\ntitle: [unclosed\n---\n", "YAML"),
        ("---\ntitle: Only a title\n---\n", "situation"),
        ("---\n" + "x" * 70_000, "too large"),
    ],
)
def test_broken_files(text: str, fragment: str) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_file(text)
    assert fragment in info.value.en
    assert info.value.da


def test_a_too_long_description_is_refused_not_cut():
    with pytest.raises(CoachError) as caught:
        draft_scenario("x" * (MAX_DESCRIPTION_CHARS + 1), "en", None, None)
    assert caught.value.code == "description_too_long" and caught.value.da
