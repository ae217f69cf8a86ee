"""Stop ends the model's request and keeps the turn interrupted, whatever the timing (#15
item 7): before the first token, mid-stream, and after the last token (then the reply is
complete and stays so).

The real ChatOllama streams from the Ollama double, which holds each reply at a chosen point
(``pause_after``) until the test releases it, so every stage is reached as a state, not as a
race against the clock.
"""

from __future__ import annotations

import threading

import pytest

from assistant.services import build_services

REPLY = "What would a good outcome look like for you?"


@pytest.fixture
def reflect_session(settings):
    services = build_services(settings)
    reflect = services.modes["reflect"]
    session = reflect.start(services.store.user_id(), "en", {"variant": "open"})
    return services, reflect, session


def reply_in_background(reflect, session, text):
    shown: list[str] = []

    def run() -> None:
        for snapshot in reflect.respond(session, text):
            shown.append(snapshot)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    return worker, shown


def wait_for_request(double, count=1):
    """Until the double has the reply's request (a state: it records it before answering)."""
    waited = threading.Event()
    while len(double.requests_for("/api/chat")) < count:
        waited.wait(0.01)


def last_turn(services, session):
    return services.store.turns(session.id)[-1]


def test_stop_before_the_first_token(double, reflect_session):
    services, reflect, session = reflect_session
    double.script({"content": REPLY, "fault": {"pause_after": 0}})
    worker, shown = reply_in_background(reflect, session, "I need to tell Sam.")
    wait_for_request(double)

    assert services.conversation.stop(session.id)
    double.release()
    worker.join(30)

    assert not worker.is_alive()
    turn = last_turn(services, session)
    assert (turn.role, turn.status, turn.text) == ("assistant", "interrupted", "")
    assert shown == []  # not one word of the reply was shown after the stop
    assert len(double.requests_for("/api/chat")) == 1  # and no second request (no regeneration)


def test_stop_mid_stream_keeps_the_words_so_far_and_no_more(double, reflect_session):
    services, reflect, session = reflect_session
    double.script({"content": REPLY, "fault": {"pause_after": 3}})
    worker, shown = reply_in_background(reflect, session, "I need to tell Sam.")
    wait_for_request(double)
    while not shown:  # the first words have arrived; the double holds the rest
        threading.Event().wait(0.01)

    services.conversation.stop(session.id)
    double.release()
    worker.join(30)

    turn = last_turn(services, session)
    assert turn.status == "interrupted"
    assert turn.text == shown[-1] and REPLY.startswith(turn.text) and turn.text != REPLY


def test_stop_after_the_last_token_leaves_the_complete_reply(double, reflect_session):
    services, reflect, session = reflect_session
    double.script(REPLY)
    assert list(reflect.respond(session, "I need to tell Sam."))[-1] == REPLY

    assert not services.conversation.stop(session.id)  # nothing was running
    turn = last_turn(services, session)
    assert (turn.status, turn.text) == ("complete", REPLY)
