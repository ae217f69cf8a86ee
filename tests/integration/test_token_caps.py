"""Token caps (#16): every request carries a num_predict fitting its purpose; a reply cut at
its cap is shown and stored up to its last full sentence and marked as cut. The hint reuses
the session's cached prefix and ends its request when the person stops it.

Against the Ollama double through the real ChatOllama; a reply "cut at the cap" is scripted
with ``done_reason: length`` (what Ollama reports when num_predict ended the generation).
"""

from __future__ import annotations

import threading

import pytest

from assistant.services import build_services
from assistant.token_caps import CUT, end_at_sentence

CUT_REPLY = "I hear you. The deadlines slipped because the data came late, and the oth"


@pytest.fixture
def services(settings):
    return build_services(settings)


def chat_bodies(double):
    return [r.body for r in double.requests_for("/api/chat")]


def start_rehearsal(services):
    rehearse = services.modes["rehearse"]
    session = rehearse.start(services.store.user_id(), "en", {"scenario": "missed-deadlines"})
    return rehearse, session


def test_each_kind_of_request_carries_its_own_cap(services, double):
    settings = services.settings
    rehearse, session = start_rehearsal(services)
    list(rehearse.respond(session, "Sam, about the deadlines."))
    list(rehearse.time_out(session, "What now?"))
    reflect = services.modes["reflect"]
    reflection = reflect.start(services.store.user_id(), "en")
    list(reflect.respond(reflection, "I keep postponing a talk."))
    caps = [body["options"].get("num_predict") for body in chat_bodies(double)]
    assert caps == [settings.persona_tokens, settings.hint_tokens, settings.coach_tokens]
    # The cap is the only option that differs: num_ctx stays (no model reload).
    assert {body["options"]["num_ctx"] for body in chat_bodies(double)} == {settings.num_ctx}


def test_a_reply_cut_at_its_cap_ends_at_its_last_sentence_and_is_marked(services, double):
    rehearse, session = start_rehearsal(services)
    double.script({"content": CUT_REPLY, "done_reason": "length"})
    shown = list(rehearse.respond(session, "Sam, about the deadlines."))
    assert shown[-1] == "I hear you."
    reply = services.store.turns(session.id)[-1]
    assert (reply.text, reply.status, reply.error) == ("I hear you.", "complete", CUT)


def test_a_reply_that_ends_by_itself_is_not_marked(services, double):
    rehearse, session = start_rehearsal(services)
    double.script("Fine. What about them?")
    list(rehearse.respond(session, "Sam, about the deadlines."))
    reply = services.store.turns(session.id)[-1]
    assert (reply.text, reply.error) == ("Fine. What about them?", None)


def test_a_hint_cut_at_its_cap_ends_at_a_sentence(services, double):
    rehearse, session = start_rehearsal(services)
    double.script({"content": 'Name one date. Try: "Last Tuesday the rep', "done_reason": "length"})
    assert list(rehearse.time_out(session))[-1] == "Name one date."
    assert rehearse.time_outs(session)[-1]["hint"] == "Name one date."


def test_stopping_a_hint_ends_its_request_and_keeps_nothing(services, double):
    rehearse, session = start_rehearsal(services)
    double.script(
        {
            "content": "Name one specific date and ask what got in the way.",
            "fault": {"pause_after": 2},
        }
    )
    shown: list[str] = []
    worker = threading.Thread(
        target=lambda: shown.extend(rehearse.time_out(session, "What now?")), daemon=True
    )
    worker.start()
    # Both words the double sends before it holds the rest have arrived (a state: it sends no
    # more until released). Waiting for the first alone let the second arrive after the stop.
    while not shown or shown[-1] != "Name one ":
        threading.Event().wait(0.01)

    services.conversation.stop(session.id)
    double.release()
    worker.join(10)
    assert not worker.is_alive()
    assert shown[-1] == "Name one "  # not one word after the stop
    assert rehearse.time_outs(session) == []


def test_leaving_during_a_hint_closes_its_request(services, double):
    rehearse, session = start_rehearsal(services)
    double.script({"content": "Name one specific date.", "fault": {"pause_after": 2}})
    hint = rehearse.time_out(session)
    assert next(hint) == "Name "
    hint.close()  # the page went away: Gradio closes the handler's generator
    double.release()
    assert rehearse.time_outs(session) == []
    # The session is free again: no stop signal left registered for it.
    assert not services.conversation.busy()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CUT_REPLY, "I hear you."),
        ("Really? You think so! And th", "Really? You think so!"),
        ('He said "no." And then he', 'He said "no."'),
        ("No sentence end at all in this repl", "No sentence end at all in this…"),
        ("Complete.", "Complete."),
    ],
)
def test_end_at_sentence_never_leaves_half_a_word(text, expected):
    assert end_at_sentence(text) == expected
