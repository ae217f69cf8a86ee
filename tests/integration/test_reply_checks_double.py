"""The reply checks through the real ChatOllama against the Ollama double: each failure a
small model showed (echo, assistant voice, ramble, wrong language, a loop) is regenerated once,
the user ends up seeing only the good second reply, and what failed is counted on the turns."""

from __future__ import annotations

import pytest

from assistant.reply_checks import Tally
from assistant.services import build_services

ECHO_LINE = "The reports came in late three sprints in a row, and the client noticed."
FAILURES = [
    ("echo", ECHO_LINE, f"DANIEL: {ECHO_LINE}"),
    (
        "assistant_voice",
        "How are things on your side?",
        "Of course! I'm happy to help. What are the deadlines for the last three months?",
    ),
    (
        "repeated_sentence",
        "Why was it late?",
        "I know. " + "The data team never sends the extract on time. " * 2,
    ),
    ("wrong_language", "Can we talk about it?", "Ja, vi kan godt tale om det, hvis du vil."),
]
GOOD = [
    "Fine. The extract was late, I know.",
    "Busy. Too busy, if I'm honest.",
    "The source data was a mess again.",
    "Sure. Fifteen minutes, like you said.",
]


@pytest.fixture
def services(settings):
    return build_services(settings)


def test_each_failure_is_replaced_and_counted(services, double):
    mode = services.modes["rehearse"]
    session = mode.start(services.store.user_id(), "en", {"scenario": "missed-deadlines"})
    for (kind, line, bad), good in zip(FAILURES, GOOD, strict=True):
        double.script(bad, good)
        snapshots = list(mode.respond(session, line))
        assert snapshots[-1] == good, kind
        assert bad.strip() in [s.strip() for s in snapshots]  # streamed, then replaced
        reminder = double.requests_for("/api/chat")[-1].body["messages"][-1]
        assert reminder["role"] == "system" and "out of character" in reminder["content"]
    turns = services.store.turns(session.id)
    replies = [t for t in turns if t.role == "assistant"][1:]  # after the opening line
    assert [t.text for t in replies] == GOOD
    assert all(t.warning is None for t in replies)
    records = services.store.turn_checks(session.id)
    tally = Tally()
    for reply in replies:
        tally.add(records.get(reply.id))
    assert tally.replies == 4 and tally.regenerated == 4
    assert set(tally.before) >= {"echo", "assistant_voice", "repeated_sentence", "wrong_language"}
    assert tally.after == {}
    # The bad replies never reach a later request: the history holds the kept ones only.
    double.script("Okay.")
    list(mode.respond(session, "Thanks."))
    sent = [m["content"] for m in double.requests_for("/api/chat")[-1].body["messages"]]
    assert all(bad not in sent for _, _, bad in FAILURES)


def test_a_loop_is_cut_off_while_it_streams(services, double):
    mode = services.modes["reflect"]
    session = mode.start(services.store.user_id(), "en")
    loop = "I hear you. " + "What matters most to you here? " * 300
    good = "What would you like to get out of today?"
    double.script(loop, good)
    snapshots = list(mode.respond(session, "Busy week."))
    assert snapshots[-1] == good
    longest = max(len(s) for s in snapshots)
    assert longest < len(loop) // 20  # stopped after the third repeat, not at the end
    record = services.store.turn_checks(session.id)[services.store.turns(session.id)[-1].id]
    assert record["before"][0] == "repetition_loop"


def test_a_danish_qa_question_in_english_is_asked_again_in_danish(services, double):
    mode = services.modes["qa"]
    notes = "# Pilot\nTre teams prøvede en firedagesuge.\n\n# Forslag\nStart med ét team."
    session = mode.start(services.store.user_id(), "da", {"notes": notes, "questions": 2})
    double.script(
        "[§1] Where do these numbers come from, and who collected them?",
        "[§1] Hvor kommer tallene fra, og hvem har indsamlet dem?",
    )
    assert list(mode.opening(session))[-1].startswith("[§1] Hvor kommer")
    reminder = double.requests_for("/api/chat")[-1].body["messages"][-1]["content"]
    assert "ikke skrevet på dansk" in reminder


def test_a_switched_reply_that_fails_is_written_again(services, double):
    """The model playing the person's side (roles switched) is checked in its own voice:
    its assistant-voice first attempt is replaced by the good second one and counted."""
    mode = services.modes["rehearse"]
    session = mode.start(services.store.user_id(), "en", {"scenario": "missed-deadlines"})
    bad = "Of course! I'm happy to help. Here are some tips for your deadlines."
    good = "Daniel, the last three reports were late. What got in the way?"
    double.script(bad, good)
    snapshots = list(mode.switch_roles(session))
    assert snapshots[-1] == good
    assert bad in snapshots  # streamed, then replaced
    reminder = double.requests_for("/api/chat")[-1].body["messages"][-1]
    assert reminder["role"] == "system" and "person practising" in reminder["content"]
    stand_in = services.store.turns(session.id)[-1]
    assert (stand_in.role, stand_in.author, stand_in.text) == ("user", "swap", good)
    assert stand_in.warning is None
    record = services.store.turn_checks(session.id)[stand_in.id]
    assert {p.split(":")[0] for p in record["before"]} == {"assistant_voice"}
    assert record["after"] == []


def test_a_switched_reply_that_echoes_the_person_is_written_again(services, double):
    """The person's line (stored on the model's side) is what the stand-in must not echo."""
    mode = services.modes["rehearse"]
    session = mode.start(services.store.user_id(), "en", {"scenario": "missed-deadlines"})
    double.script("Daniel, can we talk about the reports?")
    list(mode.switch_roles(session))
    line = "The data team never sends the extract on time, so I cannot finish."
    double.script(line, "So the extract is the bottleneck. What would help you most?")
    snapshots = list(mode.respond(session, line))
    assert snapshots[-1].startswith("So the extract")
    record = services.store.turn_checks(session.id)[services.store.turns(session.id)[-1].id]
    assert record["before"] == ["echo: user"]
