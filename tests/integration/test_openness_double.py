"""The counterpart's openness through the real ChatOllama against the Ollama double (issue #18):
a blunt rehearsal keeps the hidden concern locked, a reflective one unlocks it, and the state
note goes with the line it is due on (the first, a change of stance, every 4th) and stays there,
so every request begins with the one before it."""

import pytest

from assistant.services import build_services
from assistant.turn_labels import session_labels

SHARE = "share one of the things on your mind"
NOTE = "<counterpart-state>"

BLUNT = [
    "You always deliver late.",
    "You should write a plan and stick to it.",
    "Is it going to happen again? Do you even care?",
    "It's your fault the client is angry.",
    "You never tell anyone anything.",
]
REFLECTIVE = [
    "It sounds like the priorities keep shifting under you.",
    "What has the last month been like for you?",
    "So you have been carrying more than anyone could see.",
    "I noticed that the reports came late in the last two sprints. How did that look from your "
    "side?",
]


@pytest.fixture
def services(settings):
    return build_services(settings)


def rehearse(services, double, lines):
    mode = services.modes["rehearse"]
    options = {"scenario": "missed-deadlines", "difficulty": "realistic"}
    session = mode.start(services.store.user_id(), "en", options)
    double.script(*[f"Reply {i}." for i in range(len(lines))])
    for line in lines:
        list(mode.respond(session, line))
    bodies = [r.body for r in double.requests_for("/api/chat")]
    assert len(bodies) == len(lines)
    return session, bodies


def newest(body):
    return body["messages"][-1]["content"]


def everything(body):
    return " ".join(m["content"] for m in body["messages"])


def assert_prefix_kept(bodies):
    for previous, current in zip(bodies, bodies[1:], strict=False):
        assert current["messages"][: len(previous["messages"])] == previous["messages"]


def test_a_blunt_script_keeps_the_hidden_concern_locked(services, double):
    session, bodies = rehearse(services, double, BLUNT)
    assert all(SHARE not in everything(body) for body in bodies)
    # A note tells the state as the line is heard (known before it is typed, so it is read
    # ahead): cautious on the first line, closed from the second on (after the blame).
    assert [NOTE in newest(body) for body in bodies] == [True, True, False, False, False]
    assert "closed" in newest(bodies[1]) and "closed" not in newest(bodies[0])
    assert_prefix_kept(bodies)
    labels = session_labels(services.store, session)
    assert [step.after for step in labels.openness] == [2, 1, 0, 0, 0]
    assert "blame" in labels.lines[0].labels and labels.lines[0].tip == "live_tip_blame"


def test_a_reflective_script_unlocks_it_and_the_note_is_sent_when_the_stance_changes(
    services, double
):
    session, bodies = rehearse(services, double, REFLECTIVE)
    assert SHARE not in everything(bodies[0])
    assert SHARE in everything(bodies[-1])
    # Heard at 4, 5, 6 (cautious), then at 7 (open): the note on the first line and on the
    # first line heard in the new stance only.
    assert [NOTE in newest(body) for body in bodies] == [True, False, False, True]
    for body in bodies:
        assert body["messages"][0]["content"] == session.system_prompt
        assert NOTE not in body["messages"][0]["content"]
    assert_prefix_kept(bodies)
    stored = services.store.turn_labels(session.id)
    assert len(stored) == len(REFLECTIVE)
    levels = [step.after for step in session_labels(services.store, session).openness]
    assert levels == sorted(levels) and levels[-1] >= 7
