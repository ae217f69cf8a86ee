"""The debrief: valid, invalid-then-valid and twice-invalid model output (scripted model)."""

import json

import pytest
from langchain_core.messages import HumanMessage

from assistant.config import Settings
from assistant.feedback import DebriefResult, Passage, library_passages, render_html
from assistant.knowledge import Library
from assistant.modes.base import Conversation
from assistant.modes.history import Budget
from assistant.modes.rehearse import Rehearse
from assistant.prompts import PromptLibrary
from assistant.scenarios import ScenarioBook

PASSAGES = [
    Passage("sbi-feedback", "SBI feedback", "How to do it", "Name the situation, ..."),
    Passage("active-listening", "Active listening", "What it is", "Reflect back ..."),
]


@pytest.fixture
def rehearse(model, store, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    conversation = Conversation(model, store, Budget(8192), "http://127.0.0.1:11434", "gemma3:4b")
    return Rehearse(
        conversation=conversation,
        prompts=PromptLibrary(settings.prompts_dir),
        scenarios=ScenarioBook(Library.open(settings), store),
        grounding=lambda scenario: PASSAGES,
    )


@pytest.fixture
def session(rehearse, store, model):
    session = rehearse.start(store.user_id(), "en", {"scenario": "missed-deadlines"})
    model.enqueue("It was late, yes.", "The second team, mostly.")
    list(rehearse.respond(session, "Last Tuesday the extract came two days late."))
    list(rehearse.respond(session, "What has been getting in the way?"))
    return session


def debrief_json(**changes):
    data = {
        "strengths": [
            {"quote": "Last Tuesday the extract came", "why_it_worked": "Specific."},
            {"quote": "what has been getting in the way", "why_it_worked": "Open and curious."},
        ],
        "growth_areas": [
            {
                "suggestion": "One thing you could try next time is reflecting his frustration.",
                "alternative_line": "It sounds like you're pulled between two teams.",
            }
        ],
        "ratings": [
            {"criterion": f"c{i}", "rating": 3 + (i % 2), "evidence": "Said so."} for i in range(4)
        ],
        "counterpart_perspective": {"how_they_felt": "Relieved.", "what_landed": "The question."},
        "knowledge_ids": ["sbi-feedback", "made-up-id"],
    }
    data.update(changes)
    return json.dumps(data)


def test_valid_debrief_is_parsed_grounded_and_stored(rehearse, store, model, session):
    model.enqueue(debrief_json())
    result = rehearse.debrief(session)
    assert result.kind == "structured" and result.debrief is not None
    assert result.debrief.strengths[0].quote == "Last Tuesday the extract came"
    assert [p.id for p in result.passages] == ["sbi-feedback"]  # unknown ids are dropped
    assert result.rating == 3.5
    request = model.requests[-1]
    assert "<transcript>" in request[1].content and "<reference>" in request[1].content
    assert 'id="sbi-feedback"' in request[1].content
    assert "Give Daniel clear feedback" in request[0].content
    stored = store.debriefs(session.id)
    assert [(d.kind, d.rating) for d in stored] == [("structured", 3.5)]
    assert stored[0].data["debrief"]["strengths"][1]["quote"].startswith("what has")
    page = render_html(result, "en", "Daniel")
    assert page.index("What worked") < page.index("To try next time")
    assert "<details" in page and "SBI feedback" in page


def test_invalid_then_valid_retries_with_the_validation_error(rehearse, model, session):
    invented = debrief_json(
        strengths=[
            {"quote": "You are a great analyst", "why_it_worked": "Kind."},
            {"quote": "what has been getting in the way", "why_it_worked": "Open."},
        ]
    )
    model.enqueue(invented, debrief_json())
    result = rehearse.debrief(session)
    assert result.kind == "structured"
    retry = model.requests[-1]
    assert isinstance(retry[-1], HumanMessage)
    assert "strengths[1].quote is not the user's own words" in retry[-1].content


def test_twice_invalid_falls_back_to_plain_text(rehearse, store, model, session):
    model.enqueue("not json at all", debrief_json(ratings=[]), "You named a specific deadline.")
    result = rehearse.debrief(session)
    assert result.kind == "plain" and result.debrief is None
    assert result.text == "You named a specific deadline."
    assert len(model.requests) - 2 == 3  # two structured attempts, one plain request
    assert "Expecting value" in model.requests[-2][-1].content  # the first error went back
    assert store.debriefs(session.id)[-1].kind == "plain"
    assert "A simpler debrief" in render_html(result, "en", "Daniel")


def test_growth_area_must_be_phrased_as_an_invitation(rehearse, model, session):
    bad = debrief_json(
        growth_areas=[{"suggestion": "You failed to reflect.", "alternative_line": "x"}]
    )
    model.enqueue(bad, bad, "Plain.")
    assert rehearse.debrief(session).kind == "plain"


def test_danish_debrief_needs_the_danish_phrase(rehearse, store, model):
    session = rehearse.start(store.user_id(), "da", {"scenario": "missed-deadlines"})
    model.enqueue("Ja.")
    list(rehearse.respond(session, "I tirsdags kom udtrækket to dage for sent."))
    data = json.loads(debrief_json())
    data["strengths"] = [
        {"quote": "I tirsdags kom udtrækket", "why_it_worked": "Konkret."},
        {"quote": "to dage for sent", "why_it_worked": "Fakta."},
    ]
    data["growth_areas"] = [
        {"suggestion": "Én ting, du kunne prøve næste gang, er at spejle.", "alternative_line": "x"}
    ]
    data["ratings"] = data["ratings"][: len(rehearse.scenario(session).success_criteria)]
    model.enqueue(json.dumps(data))
    result = rehearse.debrief(session)
    assert result.kind == "structured"
    assert "Det, der virkede" in render_html(result, "da", "Lars")


def test_library_passages_use_the_named_entries_when_search_fails(tmp_path):
    library = Library.open(Settings(data_dir=tmp_path / "data"))

    def broken(*args, **kwargs):
        raise RuntimeError("no index")

    library.search = broken  # type: ignore[method-assign]
    passages = library_passages(library, "feedback", "en", ["sbi-feedback", "nope"])
    assert [p.id for p in passages] == ["sbi-feedback"]
    assert passages[0].title and passages[0].text


def test_a_stored_debrief_renders_again_as_it_was_shown(rehearse, store, model, session):
    model.enqueue(debrief_json())
    shown = render_html(rehearse.debrief(session), "en", "Daniel")
    stored = store.debriefs(session.id)[-1].data
    again = DebriefResult.from_data(stored)
    assert again.kind == "structured" and again.rating == 3.5
    assert render_html(again, "en", "Daniel") == shown
    broken = DebriefResult.from_data({**stored, "debrief": {"strengths": []}, "text": "Plain."})
    assert broken.kind == "plain" and broken.text == "Plain." and broken.passages
