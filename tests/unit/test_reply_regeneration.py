"""What the conversation does with a reply that fails the reply checks: one regeneration, the
better of two failed attempts, no empty reply, a loop stopped while it streams, and the
record of what failed on the turn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.knowledge import Library
from assistant.modes.base import Conversation
from assistant.modes.history import Budget
from assistant.modes.reflect import Reflect
from assistant.modes.rehearse import Rehearse
from assistant.prompts import PromptLibrary
from assistant.scenarios import ScenarioBook
from tests.fixtures.fake_models import ScriptedChatModel


class CountingModel(ScriptedChatModel):
    """The scripted model, counting the chunks the caller actually took from its streams."""

    taken: int = 0

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for chunk in super()._stream(*args, **kwargs):
            self.taken += 1
            yield chunk


@pytest.fixture
def model():
    return CountingModel()


@pytest.fixture
def conversation(model, store):
    return Conversation(
        chat_model=model, store=store, budget=Budget(num_ctx=8192), host="h", model="m"
    )


@pytest.fixture
def rehearse(conversation, store, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    return Rehearse(
        conversation=conversation,
        prompts=PromptLibrary(settings.prompts_dir),
        scenarios=ScenarioBook(Library.open(settings), store),
    )


@pytest.fixture
def reflect(conversation):
    return Reflect(conversation=conversation, prompts=PromptLibrary(Settings().prompts_dir))


def start(rehearse, store, lang="en"):
    options = {"scenario": "missed-deadlines", "difficulty": "realistic"}
    return rehearse.start(store.user_id(), lang, options)


ASSISTANT = "Of course! I'm happy to help. What are the deadlines for the last three months?"
GOOD = "Honestly? The data team sent the extract late, again."


def test_a_failed_reply_is_replaced_by_the_good_second_and_the_failure_is_recorded(
    rehearse, store, model
):
    session = start(rehearse, store)
    model.enqueue(ASSISTANT, GOOD)
    snapshots = list(rehearse.respond(session, "What got in the way?"))
    assert snapshots[-1] == GOOD
    assert ASSISTANT in snapshots  # the user saw the first attempt stream, then disappear
    reminder = model.requests[-1][-1].content
    assert "sounded like a helpful assistant" in reminder
    reply = store.turns(session.id)[-1]
    assert reply.text == GOOD and reply.warning is None
    record = store.turn_checks(session.id)[reply.id]
    assert record["after"] == [] and record["before"][0].startswith("assistant_voice")


def test_when_both_attempts_fail_the_better_one_is_kept_and_shown_last(rehearse, store, model):
    session = start(rehearse, store)
    user_line = "The reports came in late three sprints in a row, and the client noticed."
    rambling = "I was busy. " + "The data team never sends the extract on time. " * 2
    model.enqueue(rambling, f"DANIEL: {user_line}")  # repeated sentence, then an echo
    snapshots = list(rehearse.respond(session, user_line))
    assert snapshots[-1] == rambling  # repeated_sentence (10) weighs less than echo (20)
    reply = store.turns(session.id)[-1]
    assert reply.text == snapshots[-1]
    record = store.turn_checks(session.id)[reply.id]
    assert [p.split(":")[0] for p in record["before"]] == ["repeated_sentence"]
    assert record["after"] == record["before"]  # what the kept one still broke
    assert reply.warning and "repeated_sentence" in reply.warning


def test_a_second_attempt_reading_the_reminder_back_is_not_kept(rehearse, store, model):
    session = start(rehearse, store)
    read_back = (
        "Short spoken sentences, no advice or praise for the other person's technique, no "
        "mention of AI or role-play."
    )
    model.enqueue("Of course! I'm happy to help.", read_back)
    snapshots = list(rehearse.respond(session, "What got in the way?"))
    # The reminder read back (25) weighs more than the assistant voice (15).
    assert snapshots[-1] == "Of course! I'm happy to help."
    record = store.turn_checks(session.id)[store.turns(session.id)[-1].id]
    assert [p.split(":")[0] for p in record["after"]] == ["assistant_voice"]


def test_a_reply_that_passes_leaves_no_record(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue(GOOD)
    list(rehearse.respond(session, "What got in the way?"))
    assert len(model.requests) == 1
    assert store.turn_checks(session.id) == {}


def test_an_empty_reply_is_never_shown(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue("", GOOD)
    assert list(rehearse.respond(session, "Hello?"))[-1] == GOOD
    model.enqueue("", " ")
    with pytest.raises(CoachError) as caught:
        list(rehearse.respond(session, "Hello again?"))
    assert caught.value.code == "empty_reply"
    assert "tomt svar" in caught.value.da and "empty reply" in caught.value.en
    reply = store.turns(session.id)[-1]
    assert reply.status == "interrupted" and reply.error == "empty_reply"
    user_lines = [t.text for t in store.turns(session.id) if t.role == "user"]
    assert user_lines[-1] == "Hello again?"  # the user's words are kept


def test_a_loop_is_stopped_while_it_streams_and_regenerated(rehearse, store, model):
    session = start(rehearse, store)
    loop = "I just need the data on time. " * 200
    model.enqueue(loop, GOOD)
    snapshots = list(rehearse.respond(session, "What do you need?"))
    assert snapshots[-1] == GOOD
    words_in_loop = len(loop.split(" "))
    # Stopped at the third repeat (7 words a sentence), not at the end of 1,400 words.
    assert model.taken < 30 + len(GOOD.split(" ")) + 2 < words_in_loop
    record = store.turn_checks(session.id)[store.turns(session.id)[-1].id]
    assert record["before"][0] == "repetition_loop"


def test_a_loop_kept_after_two_failures_is_cut_back(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue("Well. " + "I just need the data on time. " * 50, ASSISTANT)
    snapshots = list(rehearse.respond(session, "What do you need?"))
    # A loop (50) weighs more than the assistant voice (15): the second is kept.
    assert snapshots[-1] == ASSISTANT
    model.enqueue("Well. " + "I just need the data on time. " * 50, "")
    snapshots = list(rehearse.respond(session, "And?"))
    assert snapshots[-1] == "Well. I just need the data on time."


def test_next_marker_counts_only_in_a_reply_that_passes(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    read_back = (
        "Okay, let's go through this stage. When the work of this stage is done, end your "
        "reply with [[next]]."
    )
    model.enqueue(read_back, read_back)
    snapshots = list(reflect.respond(session, "I had a busy week."))
    assert reflect.stage(session) == "check-in"
    assert "[[next]]" not in snapshots[-1]
    model.enqueue(read_back, "Sounds full. What would you like from today? [[next]]")
    assert list(reflect.respond(session, "Very busy."))[-1].endswith("from today?")
    assert reflect.stage(session) == "goal"


def test_reflect_still_regenerates_stacked_questions_and_unasked_advice(reflect, store, model):
    session = reflect.start(store.user_id(), "da")
    model.enqueue(
        "Du burde tale med din chef. Hvad vil du sige til hende?",
        "Hvad er vigtigst for dig lige nu?",
    )
    assert list(reflect.respond(session, "Min chef giver mig for meget."))[-1].startswith("Hvad")
    record = store.turn_checks(session.id)[store.turns(session.id)[-1].id]
    assert "unasked_advice" in record["before"] and record["after"] == []


def test_a_hint_in_the_counterpart_voice_is_rewritten_by_the_coach(rehearse, store, model):
    session = start(rehearse, store)
    coach_hint = 'Daniel sounds stressed. Try: "What got in the way this sprint?"'
    model.enqueue("DANIEL: I would try asking me about the extract.", coach_hint)
    assert list(rehearse.time_out(session))[-1] == coach_hint
    assert "written as the other person" in model.requests[-1][-1].content
    hint = rehearse.time_outs(session)[-1]
    assert hint["hint"] == coach_hint
    assert hint["checks"]["before"][0].startswith("hint_voice") and not hint["checks"]["after"]
