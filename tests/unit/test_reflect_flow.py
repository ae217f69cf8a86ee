"""Reflect's session flow: stages, the [[next]] marker, jumping, variants and the action plan."""

import json

import pytest

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.modes.base import Conversation
from assistant.modes.history import Budget
from assistant.modes.reflect import ActionPlan, Reflect
from assistant.modes.session_flow import STAGES, strip_marker, user_wants_to_move_on
from assistant.prompts import PromptLibrary


@pytest.fixture
def reflect(model, store):
    conversation = Conversation(
        chat_model=model, store=store, budget=Budget(num_ctx=8192), host="h", model="m"
    )
    return Reflect(conversation=conversation, prompts=PromptLibrary(Settings().prompts_dir))


def newest_user_text(model) -> str:
    return model.requests[-1][-1].content


def test_sessions_start_at_check_in_and_the_note_names_the_stage(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    assert reflect.stage(session) == "check-in"
    list(reflect.respond(session, "Busy week."))
    assert '"Check-in"' in newest_user_text(model) and "stage 1 of 5" in newest_user_text(model)


def test_marker_moves_to_next_stage_and_is_never_shown_or_stored(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    model.enqueue("Good to hear about the win. What would you like from today? [[next]]")
    snapshots = list(reflect.respond(session, "I shipped the release."))
    assert all("[[" not in s and "[" not in s[-2:] for s in snapshots)
    assert store.turns(session.id)[-1].text.endswith("from today?")
    assert reflect.stage(session) == "goal"
    list(reflect.respond(session, "I want to handle a conflict."))
    assert '"Goal"' in newest_user_text(model)


def test_partial_marker_is_hidden_while_streaming():
    assert strip_marker("What now? [") == "What now?"
    assert strip_marker("What now? [[ne") == "What now?"
    assert strip_marker("What now? [[next]]") == "What now?"
    assert strip_marker("Use [brackets] freely") == "Use [brackets] freely"


def test_person_can_say_move_on_in_either_language(reflect, store, model):
    assert user_wants_to_move_on("I think I'm ready to make a plan")
    assert user_wants_to_move_on("Lad os gå videre")
    assert not user_wants_to_move_on("I keep moving things around")
    session = reflect.start(store.user_id(), "en")
    list(reflect.respond(session, "Let's move on"))
    assert reflect.stage(session) == "goal"
    assert '"Goal"' in newest_user_text(model)
    list(reflect.respond(session, "OK, let's make a plan"))
    assert reflect.stage(session) == "action"
    assert '"Action plan"' in newest_user_text(model)


def test_jump_back_to_an_earlier_stage(reflect, store, model):
    session = reflect.start(store.user_id(), "da")
    reflect.set_stage(session, "action")
    model.enqueue("Hvad vil du sige først?", "Hvad er målet nu?")  # Danish, as the session
    list(reflect.respond(session, "Jeg vil tale med Mette på fredag."))
    assert '"Handlingsplan"' in newest_user_text(model)
    reflect.set_stage(session, "goal")
    list(reflect.respond(session, "Egentlig er målet noget andet."))
    assert '"Mål"' in newest_user_text(model)
    with pytest.raises(ValueError):
        reflect.set_stage(session, "nowhere")


def test_the_last_stage_stays_last(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    reflect.set_stage(session, STAGES[-1])
    model.enqueue("Thank you for today. [[next]]")
    list(reflect.respond(session, "Thanks"))
    assert reflect.stage(session) == "close"


@pytest.mark.parametrize("variant", ["open", "after-event", "prepare"])
def test_variants_change_opening_and_focus(reflect, store, variant):
    session = reflect.start(store.user_id(), "en", {"variant": variant})
    focus = PromptLibrary(Settings().prompts_dir).render("reflect", f"variant-{variant}", "en")
    assert focus in session.system_prompt
    opening = store.turns(session.id)[0].text
    assert opening == PromptLibrary(Settings().prompts_dir).render(
        "reflect", f"opening-{variant}", "en"
    )
    assert session.options["variant"] == variant


def test_action_plan_is_drafted_from_the_conversation_and_saved(reflect, store, model):
    session = reflect.start(store.user_id(), "en")
    list(reflect.respond(session, "I will ask Sam for a 1:1 by Friday."))
    plan = {"what": "Ask Sam for a 1:1", "by_when": "Friday", "how_to_know": "It is booked"}
    model.enqueue("not json", json.dumps(plan))
    drafted = reflect.draft_action_plan(session)
    assert drafted == ActionPlan(**plan)
    retry = model.requests[-1]  # the plan request, the answer that did not parse, the note
    assert "<plan-request>" in retry[-3].content and retry[-2].content == "not json"
    assert "valid JSON" in retry[-1].content and "1:1 by Friday" in retry[-5].content
    assert reflect.action_plan(session).empty  # drafting does not save
    reflect.save_action_plan(session, drafted)
    assert reflect.action_plan(session) == drafted
    assert store.session(store.user_id(), session.id).options["action_plan"]["by_when"] == "Friday"


def test_unreadable_plan_twice_gives_a_clear_error(reflect, store, model):
    session = reflect.start(store.user_id(), "da")
    model.enqueue("nope", "{broken")
    with pytest.raises(CoachError) as caught:
        reflect.draft_action_plan(session)
    assert caught.value.code == "plan_unreadable" and "selv" in caught.value.da


@pytest.mark.parametrize("lang", ["en", "da"])
def test_the_plan_request_continues_the_sessions_request(reflect, store, model, lang):
    """The plan is asked for after the conversation as it was sent (system prompt, the
    history, the stage notes on the messages that carried them, the last reply), so the
    model's cache holds everything but the plan request itself (#16)."""
    session = reflect.start(store.user_id(), lang)
    questions = {
        "en": ("What matters most to you here?", "What would a first step be?"),
        "da": ("Hvad betyder mest for dig her?", "Hvad kunne et første skridt være?"),
    }[lang]
    model.enqueue(*questions)
    list(reflect.respond(session, "I want to talk to Sam about the deadlines."))
    list(reflect.respond(session, "I will ask Sam for a 1:1 by Friday."))
    assert len(model.requests) == 2  # both replies passed their checks: no regeneration
    last, reply = model.requests[-1], store.turns(session.id)[-1].text
    model.enqueue(json.dumps({"what": "Ask Sam for a 1:1", "by_when": "Friday", "how_to_know": ""}))
    reflect.draft_action_plan(session)
    request = model.requests[-1]
    assert [m.content for m in request[: len(last)]] == [m.content for m in last]
    assert request[len(last)].type == "ai" and request[len(last)].content == reply
    assert len(request) == len(last) + 2 and request[-1].type == "human"
    plan_request = PromptLibrary(Settings().prompts_dir).render("reflect", "draft-plan", lang)
    assert request[-1].content == plan_request
    assert "<session-stage>" in request[1].content or "<session-stage>" in request[2].content
