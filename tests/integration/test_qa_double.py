"""Presentation Q&A through the real ChatOllama against the Ollama double: the stable prompt
prefix over several turns (the per-turn note lives only on the newest message) and the
section citation arriving intact."""

import pytest

from assistant.modes.qa import cited_sections
from assistant.services import build_services

NOTES = """# Why
Manual order entry takes 12 hours a week per person.

# Cost
The tool costs 180,000 euros; payback in eighteen months.

# Plan
A three-month pilot in one team, then a decision."""


@pytest.fixture
def services(settings):
    return build_services(settings)


def chat_bodies(double):
    return [r.body for r in double.requests_for("/api/chat")]


def test_several_turns_keep_a_stable_prefix_and_the_citation(services, double):
    mode = services.modes["qa"]
    options = {"notes": NOTES, "audience": "technical-expert", "questions": 4}
    session = mode.start(services.store.user_id(), "en", options)
    replies = [
        "[§2] How did you arrive at eighteen months?",
        "[§1] Who measured the 12 hours?",
        "[§3] What decides whether the pilot continues?",
        "[§2] What is in the 180,000 euros?",
        "Thanks, that's all from me.",
    ]
    double.script(*replies)
    first = list(mode.opening(session))[-1]
    assert first == replies[0] and cited_sections(first) == [2]
    answers = [
        "Eighteen months comes from the 12 hours saved times the team's hourly cost.",
        "The 12 hours were measured by the team leads over two weeks.",
        "The pilot continues if we save at least twenty percent.",
        "The 180,000 euros cover licences, setup and training.",
    ]
    shown = [list(mode.respond(session, answer))[-1] for answer in answers]
    assert shown == replies[1:]
    assert [cited_sections(text) for text in shown[:3]] == [[1], [3], [2]]
    bodies = chat_bodies(double)
    assert len(bodies) == 5
    for previous, current in zip(bodies, bodies[1:], strict=False):
        before, now = previous["messages"], current["messages"]
        assert now[0] == before[0] and now[0]["content"] == session.system_prompt
        # The previous request is repeated exactly, its note included (what the model's
        # cache holds), then the reply it got, then the new answer with its own note (#16).
        assert now[: len(before)] == before
        assert "<turn-note>" in before[-1]["content"]
        assert now[len(before)]["role"] == "assistant"
        assert "<turn-note>" in now[-1]["content"] and len(now) == len(before) + 2
    assert "<presentation-notes>\n[§1] # Why" in bodies[0]["messages"][0]["content"]
    progress = mode.progress(session)
    assert progress["done"] and progress["asked"] == 4
    stored = [t.text for t in services.store.turns(session.id) if t.role == "assistant"]
    assert stored == replies
