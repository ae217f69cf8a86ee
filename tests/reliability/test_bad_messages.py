"""Bad and unusual messages in every chat mode, against the Ollama double (the only test
double; no Ollama server runs here): refusals are specific and bilingual and store nothing;
unusual text goes through the store, the request to Ollama and both export formats unchanged;
and the app keeps serving afterwards."""

from __future__ import annotations

import json

import pytest

from assistant.errors import CoachError
from assistant.export import render, session_export
from assistant.services import build_services

UNUSUAL = [
    ("danish", "Feedback til Søren på mødet i Århus – æøå ÆØÅ"),
    ("emoji", "Emoji are fine 🙂👍🏽 and a family 👨‍👩‍👧"),
    ("right-to-left", "שלום, right-to-left text مرحبا"),
    ("control characters", "NUL\x00, bell\x07 and escape\x1b[31m kept as typed"),
    ("line breaks", "tabs\tand\nnew lines\r\n kept"),
    ("markup", "<script>alert(1)</script> **not bold** [§9]"),
]

REFUSED = [
    ("empty", "", "empty_message", "Your message is empty", "Din besked er tom"),
    ("whitespace", " \n\t ", "empty_message", "Your message is empty", "Din besked er tom"),
    ("over the limit", "x" * 8001, "message_too_long", "8,001", "8.001"),
]

NOTES = "# Plan\nA three-month pilot in one team.\n\n# Cost\nPayback in eighteen months."


@pytest.fixture
def services(settings):
    return build_services(settings)


def start(services, mode: str):
    """A fresh session of a mode, ready for the user's next line (openings streamed)."""
    user = services.store.user_id()
    if mode == "reflect":
        return services.modes[mode].start(user, "en")
    if mode == "qa":
        qa = services.modes["qa"]
        session = qa.start(user, "en", {"notes": NOTES, "questions": 3})
        list(qa.opening(session))
        return session
    scenario = "missed-deadlines" if mode == "rehearse" else "cant-delegate"
    return services.modes[mode].start(user, "en", {"scenario": scenario})


@pytest.mark.parametrize("mode", ["reflect", "rehearse", "practice", "qa"])
@pytest.mark.parametrize(("name", "text"), UNUSUAL, ids=[name for name, _ in UNUSUAL])
def test_unusual_text_round_trips_through_store_request_and_export(
    services, double, mode, name, text
):
    double.script("[§1] What decides whether the pilot goes on?", "Go on.")
    session = start(services, mode)
    list(services.modes[mode].respond(session, text))
    stored = [t.text for t in services.store.turns(session.id) if t.role == "user"]
    assert stored[-1] == text
    sent = double.requests_for("/api/chat")[-1].body["messages"][-1]["content"]
    assert sent.endswith(text)  # a per-turn note may lead it, never replace or escape it
    data = session_export(services.store, services.store.user_id(), session.id)
    assert data is not None
    assert text in [turn["text"] for turn in json.loads(render(data, "json"))["turns"]]
    assert text in render(data, "md")


@pytest.mark.parametrize("mode", ["reflect", "rehearse", "practice", "qa"])
@pytest.mark.parametrize(
    ("name", "text", "code", "en", "da"), REFUSED, ids=[row[0] for row in REFUSED]
)
def test_refused_messages_are_explained_store_nothing_and_the_next_one_works(
    services, double, mode, name, text, code, en, da
):
    double.script("[§1] What decides whether the pilot goes on?", "I see.")
    session = start(services, mode)
    before = services.store.turns(session.id)
    with pytest.raises(CoachError) as caught:
        list(services.modes[mode].respond(session, text))
    assert caught.value.code == code
    assert en in caught.value.message("en") and da in caught.value.message("da")
    assert services.store.turns(session.id) == before  # nothing stored, nothing cut
    list(services.modes[mode].respond(session, "A normal line."))
    assert services.store.turns(session.id)[-2].text == "A normal line."
