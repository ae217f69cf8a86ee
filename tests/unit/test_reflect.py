"""The Reflect mode's turn flow with a scripted chat model (no sockets)."""

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.modes.base import Conversation
from assistant.modes.history import Budget
from assistant.modes.reflect import Reflect
from assistant.prompts import PromptLibrary


@pytest.fixture
def reflect(model, store):
    conversation = Conversation(
        chat_model=model,
        store=store,
        budget=Budget(num_ctx=8192),
        host="http://127.0.0.1:11434",
        model="gemma3:4b",
        max_message_chars=200,
    )
    return Reflect(conversation=conversation, prompts=PromptLibrary(Settings().prompts_dir))


def test_start_fixes_the_system_prompt_in_the_session_language(reflect, store):
    session = reflect.start(store.user_id(), "da")
    assert "Svar altid på dansk" in session.system_prompt
    turns = store.turns(session.id)
    assert [t.role for t in turns] == ["assistant"]
    assert turns[0].text.startswith("Hej")


def test_reply_streams_growing_snapshots_and_is_stored(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    model.enqueue("What would make tomorrow's talk a success for you?")
    snapshots = list(reflect.respond(session, "I have to give Sam feedback tomorrow."))
    assert len(snapshots) > 3
    assert all(b.startswith(a) for a, b in zip(snapshots, snapshots[1:], strict=False))
    turns = store.turns(session.id)
    assert [(t.role, t.status) for t in turns][-2:] == [
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    assert turns[-1].text == snapshots[-1]
    assert turns[-1].completion_tokens is not None
    assert store.sessions(store.user_id())[0].title.startswith("I have to give Sam")


def test_user_words_are_stored_before_the_model_fails(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    model.enqueue(("This reply never starts", 0))
    with pytest.raises(CoachError) as caught:
        list(reflect.respond(session, "My words matter"))
    assert caught.value.code == "stream_broken"
    turns = store.turns(session.id)
    assert turns[1].text == "My words matter"
    assert turns[2].status == "interrupted"


def test_stream_cut_keeps_partial_reply_and_retry_replaces_it(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    model.enqueue(("So what I'm hearing is that you feel stuck", 4))
    seen = []
    with pytest.raises(CoachError):
        for snapshot in reflect.respond(session, "I'm stuck with my project"):
            seen.append(snapshot)
    partial = store.turns(session.id)[-1]
    assert partial.status == "interrupted"
    assert partial.text == seen[-1] == "So what I'm hearing"
    model.enqueue("What does stuck look like for you right now?")
    list(reflect.retry(session))
    turns = store.turns(session.id)
    assert [t.text for t in turns[1:]] == [
        "I'm stuck with my project",
        "What does stuck look like for you right now?",
    ]
    assert len(store.turns(session.id, include_superseded=True)) == len(turns) + 1
    # The retried request answers the same user message and does not contain the broken reply.
    assert isinstance(model.requests[-1][-1], HumanMessage)
    newest = model.requests[-1][-1].content  # the stage note leads the person's words
    assert newest.startswith("<session-stage>")
    assert newest.endswith("</session-stage>\n\nI'm stuck with my project")


def test_stopping_the_stream_marks_the_reply_interrupted(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    model.enqueue("What matters most to you in this conversation with your team?")
    replies = reflect.respond(session, "Team trouble")
    next(replies)
    next(replies)
    replies.close()  # what Gradio's Stop does to the generator
    last = store.turns(session.id)[-1]
    assert last.status == "interrupted"
    assert last.text and "team?" not in last.text


@pytest.mark.parametrize(
    ("text", "code"), [("   \n ", "empty_message"), ("x" * 201, "message_too_long")]
)
def test_bad_messages_are_refused_without_storing_or_calling_the_model(
    reflect, store, model, text, code
):
    session = reflect.start(store.user_id(), "en")
    with pytest.raises(CoachError) as caught:
        list(reflect.respond(session, text))
    assert caught.value.code == code
    assert caught.value.da and caught.value.en
    assert len(store.turns(session.id)) == 1
    assert model.requests == []


def test_unasked_advice_is_regenerated_once_with_a_reminder(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    model.enqueue(
        "You should just tell him directly. Try writing it down first.",
        "What would you want him to understand after the talk?",
    )
    list(reflect.respond(session, "My colleague keeps interrupting me in meetings."))
    assert len(model.requests) == 2
    reminder = model.requests[1][-1]
    assert isinstance(reminder, SystemMessage) and "advice" in reminder.content
    assert isinstance(model.requests[1][-2], AIMessage)
    assert (
        store.turns(session.id)[-1].text == "What would you want him to understand after the talk?"
    )
    # The reminder is not part of the stored history, so the next request does not carry it.
    model.enqueue("What else?")
    list(reflect.respond(session, "That he should let me finish."))
    assert not any(
        isinstance(m, SystemMessage) and "Reminder" in m.content for m in model.requests[-1]
    )


def test_advice_is_allowed_when_the_user_asks_for_it(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    model.enqueue("You could try one of these: talk to him, or agree on meeting rules. Which fits?")
    list(reflect.respond(session, "What should I do? Any tips?"))
    assert len(model.requests) == 1


def test_each_request_is_the_previous_one_and_its_reply_then_the_new_line(reflect, store, model):
    """The prefix rule (#16): what the model's cache holds after a reply (the request and the
    reply it generated) begins the next request, stage notes included."""
    session = reflect.start(store.user_id(), "en")
    replies = ["What comes to mind?", "What else?", "What matters most?", "And then?"]
    for text, reply in zip(["First", "Second", "Third", "Fourth"], replies, strict=True):
        model.enqueue(reply)
        list(reflect.respond(session, text))
    for index, (before, after) in enumerate(zip(model.requests, model.requests[1:], strict=False)):
        assert [m.content for m in after[: len(before)]] == [m.content for m in before]
        assert isinstance(after[len(before)], AIMessage)
        assert after[len(before)].content == replies[index]
        assert len(after) == len(before) + 2  # the reply, then the new line
    assert model.requests[0][0].content == session.system_prompt


def test_the_stage_note_comes_when_a_stage_begins_and_every_few_messages(reflect, store, model):
    """The coach keeps its stage guidance: the note of the current stage leads the message a
    stage begins with, again every NOTE_EVERY messages, and right away after a stage change."""
    from assistant.modes.reflect import NOTE_EVERY

    session = reflect.start(store.user_id(), "en")
    noted = []
    for n in range(NOTE_EVERY + 1):
        list(reflect.respond(session, f"Line {n}"))
        noted.append("<session-stage>" in model.requests[-1][-1].content)
    assert noted == [True] + [False] * (NOTE_EVERY - 1) + [True]
    assert "stage 1 of 5" in model.requests[-1][-1].content

    reflect.set_stage(session, "goal")
    list(reflect.respond(session, "Now the goal"))
    newest = model.requests[-1][-1].content
    assert newest.startswith("<session-stage>") and newest.endswith("\n\nNow the goal")
    assert "stage 2 of 5" in newest
    # Earlier notes stay on the messages they were sent with (the cached prefix).
    kept = model.requests[-1][2 + 2 * NOTE_EVERY].content
    assert kept.startswith("<session-stage>") and kept.endswith(f"\n\nLine {NOTE_EVERY}")


@pytest.mark.parametrize(
    "text",
    [
        "Feedback til Søren på mødet i Århus – æøå ÆØÅ",
        "Emoji are fine 🙂👍🏽",
        "שלום, right-to-left text مرحبا",
        "NUL\x00 and bell\x07 control characters",
        "tabs\tand\nnew lines\r\n kept",
    ],
)
def test_unusual_text_is_stored_and_sent_unchanged(reflect, store, model, text):
    session = reflect.start(store.user_id(), "en")
    list(reflect.respond(session, text))
    assert store.turns(session.id)[1].text == text
    sent = model.requests[-1][-1].content
    assert sent.startswith("<session-stage>") and sent.endswith("</session-stage>\n\n" + text)
