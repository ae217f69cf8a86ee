"""Warm-ups for plan tailoring and scenario drafts (issue #16, cheap extras), through the real
HTTP path against the Ollama double (no Ollama server can run here): the request is read
while the person fills in the Plan tab or describes a scenario, under the warm-up's rules
(the session's model; none behind a real reply; another request abandons it)."""

from __future__ import annotations

import json

import pytest

from assistant.config import Settings
from assistant.planner import build_plan, plan_messages, tailor_plan_steps, tailoring_head
from assistant.planner.bank import QuestionBank
from assistant.scenario_builder import draft_messages, draft_scenario_steps
from assistant.services import build_services
from assistant.warm_up import warm_drafting, warm_tailoring
from tests.fixtures.ollama_double import OllamaDouble
from tests.integration.test_planner_model import tailored_json
from tests.integration.test_warm_up import chats, in_background, wait_for_chats
from tests.unit.test_scenario_builder import DRAFT

MODEL = "coach-small:1b"


@pytest.fixture
def double():
    with OllamaDouble(models=("gemma3:4b", MODEL)) as server:
        yield server


@pytest.fixture
def services(double, tmp_path):
    settings = Settings(
        data_dir=tmp_path / "data",
        ollama_host=double.url,
        model=MODEL,
        warm_up=True,
        first_token_timeout=10,
        idle_timeout=10,
    )
    built = build_services(settings)
    yield built
    built.conversation.warm_up.close()


def a_plan(services):
    bank = QuestionBank.from_entries(services.library.entries())
    return build_plan("Sam keeps missing deadlines", "en", "peers", 30, bank)


def drain(steps):
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def test_filled_plan_inputs_read_the_whole_tailoring_request(services, double):
    plan, owner = a_plan(services), services.store.user_id()
    warm_up = services.conversation.warm_up
    assert warm_tailoring(warm_up, plan_messages(plan, services.prompts), owner)
    assert warm_up.wait(owner, 10).phase == "ready"
    # Read once: the same inputs again send nothing.
    assert not warm_tailoring(warm_up, plan_messages(plan, services.prompts), owner)

    double.script(tailored_json(plan))
    steps = tailor_plan_steps(
        plan, services.conversation.chat_model, services.prompts, warm_up=warm_up
    )
    assert drain(steps).tailored == len(plan.questions)
    warm, real = chats(double)
    assert warm.body["model"] == real.body["model"] == MODEL
    assert warm.body["options"]["num_predict"] == 1
    assert warm.body["options"]["num_ctx"] == real.body["options"]["num_ctx"]
    # The tailoring reads nothing the warm-up did not: its messages are the warm-up's.
    assert real.body["messages"] == warm.body["messages"]


def test_opening_the_plan_tab_reads_the_fixed_instructions(services, double):
    owner = services.store.user_id()
    warm_up = services.conversation.warm_up
    assert warm_tailoring(warm_up, tailoring_head("en", services.prompts), owner)
    assert warm_up.wait(owner, 10).phase == "ready"
    [warm] = chats(double)
    request = plan_messages(a_plan(services), services.prompts)
    assert warm.body["messages"] == [{"role": "system", "content": request[0].content}]


def test_no_tailoring_warm_up_while_a_real_reply_runs(services, double):
    rehearse = services.modes["rehearse"]
    session = rehearse.start(services.store.user_id(), "en", {"scenario": "missed-deadlines"})
    services.conversation.warm_up.wait(session.user_id, 10)
    double.script({"content": "I know, I know.", "fault": {"pause_after": 1}})
    worker, shown = in_background(rehearse.respond(session, "Sam, a word?"))
    wait_for_chats(double, 2)

    kim = services.store.user_id("kim")
    request = plan_messages(a_plan(services), services.prompts)
    assert not warm_tailoring(services.conversation.warm_up, request, kim)
    assert services.conversation.warm_up.progress(kim).phase == "skipped"
    assert len(chats(double)) == 2  # nothing was sent behind the running reply
    double.release()
    worker.join(10)
    assert shown[-1] == "I know, I know."


def test_the_builder_reads_the_drafting_prompt_and_a_draft_abandons_other_warm_ups(
    services, double
):
    warm_up = services.conversation.warm_up
    owner, kim = services.store.user_id(), services.store.user_id("kim")
    prefix = draft_messages(None, "en", services.prompts)
    assert warm_drafting(warm_up, prefix, owner)
    assert warm_up.wait(owner, 10).phase == "ready"
    [warm] = chats(double)
    assert warm.body["messages"] == [{"role": "system", "content": prefix[0].content}]

    # Kim's tailoring warm-up is held mid-read; this person's draft is a real request for
    # another prefix, so it abandons Kim's warm-up rather than wait behind it.
    double.script({"content": "x", "fault": {"pause_after": 0}}, json.dumps(DRAFT))
    request = plan_messages(a_plan(services), services.prompts)
    assert warm_tailoring(warm_up, request, kim)
    wait_for_chats(double, 2)
    assert warm_up.progress(kim).running
    steps = draft_scenario_steps(
        "Ana is late", "en", services.conversation.chat_model, services.prompts, warm_up=warm_up
    )
    assert drain(steps).counterpart.name == "Ana"
    assert warm_up.wait(kim, 10).phase == "abandoned"
    draft = chats(double)[-1]
    assert draft.body["messages"][0] == warm.body["messages"][0]
    double.release()
