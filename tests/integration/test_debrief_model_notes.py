"""The debrief counts what the reply checks recorded on the model's replies, through the real
ChatOllama against the Ollama double: a sentence about the model (kept apart from the user's
counts and never sent to the model's sections) when replies failed, nothing when none did.
Rehearse (with a switched-role line), Q&A in Danish and Practice."""

from __future__ import annotations

import pytest

from assistant.feedback import render_html, render_text
from assistant.services import build_services

ASSISTANT = "Of course! I'm happy to help. Here are some tips for the report."
STILL_ASSISTANT = "Happy to help! Feel free to ask me anything about the deadlines."


@pytest.fixture
def services(settings):
    return build_services(settings)


def sent_to_model(double) -> str:
    return "\n".join(
        str(m["content"]) for r in double.requests_for("/api/chat") for m in r.body["messages"]
    )


def test_a_rehearsal_debrief_counts_the_model_failures(services, double):
    mode = services.modes["rehearse"]
    session = mode.start(services.store.user_id(), "en", {"scenario": "missed-deadlines"})
    double.script(ASSISTANT, "Fine. The extract was late, I know.")  # failed, then good
    list(mode.respond(session, "The report was late three times. What happened?"))
    double.script("The second team, mostly.")  # good at once
    list(mode.respond(session, "What has been getting in the way?"))
    double.script(ASSISTANT, STILL_ASSISTANT)  # the stand-in fails twice: a flaw kept
    list(mode.switch_roles(session))
    result = mode.debrief(session)

    note = (
        "About the model, not your lines: 2 of 3 of its replies failed the app's reply "
        "checks and were written again. 1 still had a flaw when shown (sounded like an "
        "assistant)."
    )
    d = result.debrief
    assert d.model_notes == [note]
    assert all("model" not in fact for fact in d.facts)  # the user's counts stand alone
    assert note in render_text(result, "en", "Daniel")
    assert "About the model, not your lines" in render_html(result, "en", "Daniel")
    assert "About the model" not in sent_to_model(double)  # not part of any rating
    stored = services.store.debriefs(session.id)[-1]
    assert note in str(stored.data)


def test_a_danish_qa_debrief_counts_the_question_asked_again(services, double):
    mode = services.modes["qa"]
    notes = "# Pilot\nTre teams prøvede en firedagesuge.\n\n# Forslag\nStart med ét team."
    session = mode.start(services.store.user_id(), "da", {"notes": notes, "questions": 2})
    double.script(
        "[§1] Where do these numbers come from, and who collected them?",
        "[§1] Hvor kommer tallene fra, og hvem har indsamlet dem?",
    )
    list(mode.opening(session))
    double.script("[§2] Hvorfor starte med kun ét team?")
    list(mode.respond(session, "Tallene kommer fra de tre teams' egne registreringer."))
    d = mode.debrief(session).debrief
    assert d is not None
    assert d.model_notes == [
        "Om modellen, ikke dine replikker: 1 af 2 af dens svar faldt igennem appens svartjek "
        "og blev skrevet igen."
    ]


def test_a_debrief_without_failures_says_nothing_about_the_model(services, double):
    practice = services.modes["practice"]
    session = practice.start(services.store.user_id(), "en", {"scenario": "cant-delegate"})
    double.script("I don't know. It's easiest if I just do it myself.")
    list(practice.respond(session, "What makes it hard to hand tasks over?"))
    result = practice.debrief(session)
    assert result.debrief is not None and result.debrief.model_notes == []
    assert "coach-model-note" not in render_html(result, "en", "Mads")
    assert "About the model" not in render_text(result, "en", "Mads")
