"""The page's "send it now" offer (Ollama back) in Q&A and Rehearse streams the kept words'
reply through the tab's own turn loop: the reply is shown and stored once, the words are not
stored again, and a second click sends nothing.

The page is built with the real services; the real ChatOllama streams from the Ollama double,
whose first reply fails with a server error before its first word.
"""

from __future__ import annotations

import pytest

from assistant.errors import CoachError
from assistant.services import build_services
from assistant.ui import build_app

ANSWER = "It comes from twelve hours saved a week, checked with finance."
LINE = "The last three reports came late, and I want to understand why."
REPLY = "Thank you. How sure are you of that number?"


def resend_handler(demo, chat_id: str):
    """The offer's button handler of the tab whose chat has this element id."""
    return next(
        fn.fn
        for fn in demo.fns.values()
        if getattr(fn.fn, "__name__", "") == "send_kept"
        and any(getattr(block, "elem_id", None) == chat_id for block in fn.outputs)
    )


def fail_first_reply(double, reply) -> None:
    """Run ``reply`` against a server error before its first word (the words are kept)."""
    double.script({"content": "", "fault": {"server_error": True}})
    with pytest.raises(CoachError):
        list(reply)


@pytest.mark.parametrize("tab", ["qa", "rehearse"])
def test_the_kept_words_are_answered_once_through_the_tabs_loop(double, settings, tab):
    services = build_services(settings)
    store, user = services.store, services.store.user_id()
    mode = services.modes[tab]
    if tab == "qa":
        session = mode.start(user, "en", {"notes": "# Plan\nWe ship in May.", "questions": 2})
        double.script("Where does the saving come from?")
        list(mode.opening(session))
        words = ANSWER
    else:
        session = mode.start(user, "en", {"scenario": "missed-deadlines"})
        words = LINE
    fail_first_reply(double, mode.respond(session, words))
    assert store.turns(session.id)[-1].status == "interrupted"

    send_kept = resend_handler(build_app(services), f"{tab}-chat")
    double.script(REPLY)
    steps = list(send_kept(session.id, "en"))

    chat = steps[-1][0]
    assert REPLY in str(chat[-1]["content"])
    texts = [turn.text for turn in store.turns(session.id)]
    assert texts.count(words) == 1 and texts[-1] == REPLY
    assert sum(str(m["content"]).startswith(words) for m in chat) == 1
    # A second click finds nothing waiting: no request, nothing stored.
    requests = len(double.requests_for("/api/chat"))
    list(send_kept(session.id, "en"))
    assert len(double.requests_for("/api/chat")) == requests
    assert len(store.turns(session.id)) == len(texts)
