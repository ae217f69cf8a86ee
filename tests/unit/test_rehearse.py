"""The Rehearse mode with a scripted chat model (no sockets): staying in character, the
fixed system prompt, time-outs, switching roles, rewinding and branches."""

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from assistant.config import Settings
from assistant.knowledge import Library
from assistant.modes.base import Conversation
from assistant.modes.history import Budget
from assistant.modes.rehearse import Rehearse
from assistant.prompts import PromptLibrary
from assistant.scenarios import ScenarioBook


@pytest.fixture
def rehearse(model, store, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    conversation = Conversation(
        chat_model=model,
        store=store,
        budget=Budget(num_ctx=8192),
        host="http://127.0.0.1:11434",
        model="gemma3:4b",
        max_message_chars=500,
    )
    return Rehearse(
        conversation=conversation,
        prompts=PromptLibrary(settings.prompts_dir),
        scenarios=ScenarioBook(Library.open(settings), store),
    )


def start(rehearse, store, difficulty="realistic", lang="en", scenario="missed-deadlines"):
    options = {"scenario": scenario, "difficulty": difficulty}
    return rehearse.start(store.user_id(), lang, options)


def test_start_renders_persona_and_difficulty_but_not_the_users_goal(rehearse, store):
    session = start(rehearse, store, "resistant")
    prompt = session.system_prompt
    assert "You play Daniel" in prompt
    assert "counter-complaint" in prompt  # the general resistant rules
    assert "changes requirements at the last minute" in prompt  # the scenario's own behaviour
    # The counterpart reacts to what is said, not to the person's brief (it reaches the
    # model only when the roles are switched, in the switch instruction).
    assert "Give Daniel clear feedback" not in prompt
    assert "second team" in prompt  # hidden concerns are known to the actor
    turns = store.turns(session.id)
    assert [(t.role, t.text) for t in turns] == [
        (
            "assistant",
            "Sure, I've got fifteen minutes. Is this about the report? Because I know it was late.",
        )
    ]
    assert session.title.startswith("Feedback to a colleague")


def test_difficulty_changes_concrete_behaviour_not_just_a_label(rehearse, store):
    cooperative = start(rehearse, store, "cooperative").system_prompt
    resistant = start(rehearse, store, "resistant").system_prompt
    assert "Acknowledges the delay as soon as" in cooperative
    assert "Acknowledges the delay as soon as" not in resistant
    assert "acknowledge nothing until you have felt heard" in resistant
    assert "acknowledge nothing until" not in cooperative


def test_danish_session_and_coachee_scenario(rehearse, store):
    session = start(rehearse, store, lang="da", scenario="cant-delegate")
    assert "Svar altid på dansk" in session.system_prompt
    assert "Du spiller Rasmus" in session.system_prompt
    assert "Du åbner dig, når" in session.system_prompt  # coachee notes


def test_in_character_reply_is_stored_without_warning(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue("Fine. The source data was a mess, though.")
    snapshots = list(rehearse.respond(session, "Last Tuesday the extract came late."))
    assert snapshots[-1] == "Fine. The source data was a mess, though."
    assert len(model.requests) == 1
    reply = store.turns(session.id)[-1]
    assert reply.role == "assistant" and reply.warning is None


@pytest.mark.parametrize(
    ("lang", "bad"),
    [
        ("en", "As an AI, I don't really mind deadlines."),
        ("en", "Great question! You should try asking open questions more often."),
        ("da", "Godt spurgt! Som en sprogmodel har jeg ingen følelser."),
    ],
)
def test_out_of_role_reply_is_regenerated_once_with_reminder_at_the_end(
    rehearse, store, model, lang, bad
):
    session = start(rehearse, store, lang=lang)
    # The good reply is in the session's language (the wrong language is a failure too).
    good = {"en": "I just had too much on my plate.", "da": "Jeg havde bare for meget at lave."}
    model.enqueue(bad, good[lang])
    snapshots = list(rehearse.respond(session, "What got in the way?"))
    assert snapshots[-1] == good[lang]
    first, second = model.requests
    assert second[: len(first)] == first  # the same request, plus two messages at the END
    assert second[len(first)] == AIMessage(bad)
    name = rehearse.scenario(session).counterpart.name
    assert isinstance(second[-1], SystemMessage) and name in second[-1].content
    turns = store.turns(session.id)
    assert turns[-1].text == good[lang] and turns[-1].warning is None
    # The reminder is never stored, so the next request has no trace of it.
    model.enqueue("Okay.")
    list(rehearse.respond(session, "Thanks."))
    third = model.requests[-1]
    assert all("stepped out of character" not in str(m.content) for m in third)
    assert all("faldt ud af rollen" not in str(m.content) for m in third)
    assert bad not in [m.content for m in third]


def test_reply_still_out_of_role_is_shown_with_a_quiet_warning(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue("As an AI I can't say.", "As an AI language model, I still can't.")
    snapshots = list(rehearse.respond(session, "How are you?"))
    assert snapshots[-1] == "As an AI language model, I still can't."
    assert len(model.requests) == 2  # regenerated once, not more
    reply = store.turns(session.id)[-1]
    assert reply.text == "As an AI language model, I still can't."
    assert reply.warning and "ai_disclosure" in reply.warning


def test_time_out_hint_never_enters_the_counterpart_history(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue("Mm.")
    list(rehearse.respond(session, "We need to talk."))
    model.enqueue('Try naming one specific deadline: "Last Tuesday the extract came late."')
    hint = list(rehearse.time_out(session, "He is closing up. What now?"))[-1]
    assert hint.startswith("Try naming")
    hint_request = model.requests[-1]
    # The session's own request (its cached prefix) with the time-out instruction last.
    reply_request = model.requests[-2]
    assert [m.content for m in hint_request[: len(reply_request)]] == [
        m.content for m in reply_request
    ]
    assert hint_request[len(reply_request)].content == "Mm."
    assert "<time-out>" in hint_request[-1].content
    assert "He is closing up. What now?" in hint_request[-1].content
    assert [h["question"] for h in rehearse.time_outs(session)] == ["He is closing up. What now?"]
    assert len(store.turns(session.id)) == 3  # opening, user line, reply: no hint turns
    model.enqueue("Right.")
    list(rehearse.respond(session, "Last Tuesday the extract came late."))
    texts = " ".join(str(m.content) for m in model.requests[-1])
    assert "Try naming" not in texts and "closing up" not in texts


def test_switch_roles_model_plays_the_user_then_switches_back(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue("Daniel, thanks for the time. Can we look at last Tuesday's extract?")
    shown = list(rehearse.switch_roles(session))
    assert shown[-1].startswith("Daniel, thanks")
    request = model.requests[-1]
    # The session's own request goes on: its system prompt, the opening as the counterpart's
    # line, then the switch instruction last (the model's cache holds all before it).
    assert request[0].content == session.system_prompt
    assert isinstance(request[1], AIMessage) and "fifteen minutes" in request[1].content
    assert isinstance(request[-1], HumanMessage)
    assert request[-1].content.startswith("<roles-switched>")
    assert "roles are switched" in request[-1].content and "Daniel" in request[-1].content
    assert "Give Daniel clear feedback" in request[-1].content  # the goal the model now plays
    assert rehearse.is_switched(session)
    model.enqueue("What would help you hit Tuesdays?")
    list(rehearse.respond(session, "The source data was a mess."))  # the human plays Daniel
    turns = store.turns(session.id)
    assert [(t.role, t.author) for t in turns[1:]] == [
        ("user", "swap"),
        ("assistant", "swap"),
        ("user", "swap"),
    ]
    assert rehearse.your_lines(session) == []  # none of these are the user's own words
    stand_in = model.requests[-1]
    # Each request begins with the one before it and its reply: the model's lines for the
    # person are its own, the person's lines for Daniel come from the user's side.
    assert [m.content for m in stand_in[: len(request)]] == [m.content for m in request]
    assert isinstance(stand_in[len(request)], AIMessage)
    assert stand_in[len(request)].content.startswith("Daniel, thanks")
    assert isinstance(stand_in[-1], HumanMessage)
    assert stand_in[-1].content == "The source data was a mess."
    model.enqueue("Honestly, a warning two days ahead would help.")
    back = list(rehearse.switch_roles(session))  # the counterpart answers the model's line
    assert back[-1].startswith("Honestly")
    assert not rehearse.is_switched(session)
    main = model.requests[-1]
    assert main[0].content == session.system_prompt
    assert [m.content for m in main[: len(stand_in)]] == [m.content for m in stand_in]
    assert isinstance(main[len(stand_in)], AIMessage)
    assert main[len(stand_in)].content.startswith("What would help")
    assert isinstance(main[-1], HumanMessage) and "switched back" in main[-1].content
    # Switching twice with no line between sends no instruction at all.
    list(rehearse.switch_roles(session))
    list(rehearse.switch_roles(session))
    options = store.session(session.user_id, session.id).options
    assert str(store.turns(session.id)[-1].id) not in options["inserts"]


def test_rewind_keeps_branches_selectable(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue("Sure.", "Whatever.")
    list(rehearse.respond(session, "You are always late."))
    list(rehearse.respond(session, "And unreliable."))
    first_line = rehearse.your_lines(session)[0]
    assert rehearse.rewind(session, first_line.id) == "You are always late."
    assert [t.role for t in store.turns(session.id)] == ["assistant"]
    model.enqueue("Yes, it was. I'm sorry.")
    list(rehearse.respond(session, "Last Tuesday the extract came two days late."))
    assert [t.text for t in store.turns(session.id)][1:] == [
        "Last Tuesday the extract came two days late.",
        "Yes, it was. I'm sorry.",
    ]
    # The model saw only the new branch.
    assert "unreliable" not in " ".join(str(m.content) for m in model.requests[-1])
    branches = rehearse.branches(session)
    assert [b.label for b in branches] == [
        "And unreliable.",
        "Last Tuesday the extract came two days late.",
    ]
    assert [b.active for b in branches] == [False, True]
    rehearse.select_branch(session, branches[0].leaf_id)
    assert [t.text for t in store.turns(session.id)][-1] == "Whatever."
    assert len(store.all_turns(session.id)) == 7


def test_rewind_refuses_a_turn_that_is_not_the_users(rehearse, store):
    session = start(rehearse, store)
    opening = store.turns(session.id)[0]
    with pytest.raises(ValueError):
        rehearse.rewind(session, opening.id)


def test_retry_after_a_broken_stream_answers_again(rehearse, store, model):
    session = start(rehearse, store)
    model.enqueue(("I know it was late but", 3))
    with pytest.raises(Exception):  # noqa: B017 - the CoachError is checked elsewhere
        list(rehearse.respond(session, "Hi Daniel."))
    model.enqueue("I know. Sorry.")
    assert list(rehearse.retry(session))[-1] == "I know. Sorry."
    assert [t.text for t in store.turns(session.id)][1:] == ["Hi Daniel.", "I know. Sorry."]
