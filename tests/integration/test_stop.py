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


def page_stop(services):
    """The Reflect tab's Stop handler as the page wires it (ui/turn.py's shared stop_turn)."""
    from assistant.ui import build_app

    demo = build_app(services)
    return next(fn.fn for fn in demo.fns.values() if fn.api_name == "stop")


def test_the_pages_stop_ends_a_reply_whose_session_id_the_page_does_not_hold_yet(
    double, reflect_session
):
    # Send started the session and its reply streams, but the page's state still holds None
    # (the update carrying the id can arrive after the click): Stop stops the newest one.
    services, reflect, session = reflect_session
    stop = page_stop(services)
    double.script({"content": REPLY, "fault": {"pause_after": 0}})
    worker, shown = reply_in_background(reflect, session, "I need to tell Sam.")
    wait_for_request(double)

    chat, notice = stop(None, "en")
    double.release()
    worker.join(30)

    assert "stopped" in notice
    assert any("I need to tell Sam." in str(message["content"]) for message in chat)
    turn = last_turn(services, session)
    assert (turn.role, turn.status, turn.text) == ("assistant", "interrupted", "")
    assert shown == []


def test_the_pages_stop_with_no_session_changes_nothing(settings):
    services = build_services(settings)
    chat, notice = page_stop(services)(None, "en")
    assert notice == "" and not isinstance(chat, list)  # a skip: the chat is left alone
