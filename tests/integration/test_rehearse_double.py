"""Rehearse through the real ChatOllama against the Ollama double: the stable prompt prefix,
the in-character check and a time-out (the debrief: test_debrief_double.py)."""

import random

import pytest

from assistant.services import build_services


@pytest.fixture
def services(settings):
    return build_services(settings)


def start(services, difficulty="realistic", lang="en"):
    mode = services.modes["rehearse"]
    options = {"scenario": "missed-deadlines", "difficulty": difficulty}
    return mode, mode.start(services.store.user_id(), lang, options)


def chat_bodies(double):
    return [r.body for r in double.requests_for("/api/chat")]


def test_fifteen_turns_keep_a_stable_prefix(services, double):
    mode, session = start(services, "resistant")
    replies = [f"Reply number {i}, and the data was a mess." for i in range(15)]
    double.script(*replies)
    for i in range(15):
        assert list(mode.respond(session, f"Line {i}: what got in the way?"))[-1] == replies[i]
    bodies = chat_bodies(double)
    assert len(bodies) == 15
    for previous, current in zip(bodies, bodies[1:], strict=False):
        expected = [*previous["messages"], {"role": "assistant", "content": ""}]
        reply = current["messages"][len(previous["messages"])]
        expected[-1]["content"] = reply["content"]
        assert reply["role"] == "assistant"
        assert current["messages"][: len(expected)] == expected
        assert current["messages"][0]["content"] == session.system_prompt
    # The reply seen by the next request is exactly what the double sent.
    assert bodies[1]["messages"][3]["content"] == replies[0]


def test_prefix_is_stable_again_after_a_deliberate_trim(settings, double):
    services = build_services(settings.model_copy(update={"num_ctx": 3072}))
    mode, session = start(services)
    long_line = "I want to talk about the report and the deadlines again. " * 8
    # Long replies that differ (a reply repeating an earlier one is an echo, regenerated).
    words = [
        "data",
        "extract",
        "late",
        "source",
        "system",
        "manager",
        "team",
        "report",
        "client",
        "week",
        "sprint",
    ]
    double.script(
        *[f"Reply {i}. " + " ".join(random.Random(i).choices(words, k=38)) for i in range(20)]
    )
    for i in range(20):
        list(mode.respond(session, f"{i}: {long_line}"))
    bodies = chat_bodies(double)
    trims = 0
    for previous, current in zip(bodies, bodies[1:], strict=False):
        assert current["messages"][0] == previous["messages"][0]  # the system prompt never moves
        n = len(previous["messages"])
        if current["messages"][:n] != previous["messages"]:
            trims += 1  # history dropped in a block
            assert len(current["messages"]) < n
    assert 1 <= trims <= len(bodies) // 3  # dropped in blocks, not one turn per request


def test_out_of_role_reply_is_regenerated_with_a_reminder_at_the_end(services, double):
    mode, session = start(services)
    double.script("Great question! As an AI I'd say...", "Fine. The extract was late.")
    assert list(mode.respond(session, "How are things?"))[-1] == "Fine. The extract was late."
    first, second = chat_bodies(double)
    assert second["messages"][: len(first["messages"])] == first["messages"]
    assert second["messages"][-2]["role"] == "assistant"
    assert second["messages"][-1]["role"] == "system"
    assert "out of character" in second["messages"][-1]["content"]
    double.script("Okay.", "As an AI, sure.", "As an AI, still.")
    list(mode.respond(session, "Thanks."))
    list(mode.respond(session, "And?"))
    third = chat_bodies(double)[2]
    assert all("out of character" not in m["content"] for m in third["messages"])
    turns = services.store.turns(session.id)
    assert turns[-1].warning and "ai_disclosure" in turns[-1].warning


def test_time_out_is_a_separate_request(services, double):
    mode, session = start(services)
    double.script("Mm.", 'Try: "What got in the way?"', "Right.")
    list(mode.respond(session, "Hi."))
    list(mode.time_out(session, "Help?"))
    list(mode.respond(session, "What got in the way?"))
    main1, hint, main2 = chat_bodies(double)
    assert main2["messages"][: len(main1["messages"])] == main1["messages"]
    assert "Help?" in hint["messages"][-1]["content"]
    assert all("Help?" not in m["content"] for m in main2["messages"])
