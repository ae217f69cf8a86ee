"""Plan tailoring and scenario drafts stream item by item (issue #16, cheap extras).

Against the Ollama double (no Ollama server can run here): the real ChatOllama streams the
answer, and the double holds it after the chunk that finishes the first item
(``pause_after``) until the test releases it. What the code shows at that state, with the
rest of the answer not yet generated, is what a person sees while a slow model works.
No step waits for a time: each is a state (the chunks the double has sent, the release).
"""

from __future__ import annotations

import json

import gradio as gr
import pytest
from gradio.context import LocalContext

from assistant.config import PROJECT_ROOT
from assistant.llm import build_chat_model
from assistant.planner import build_plan, load_question_bank, source_line, tailor_plan_steps
from assistant.prompts import PromptLibrary
from assistant.scenario_builder import draft_scenario, draft_scenario_steps
from assistant.services import build_services
from assistant.ui import build_app
from tests.fixtures.ollama_double import split_tokens
from tests.integration.test_planner_model import tailored_json
from tests.unit.test_scenario_builder import DRAFT

TOPIC = "Feedback to Sam on deadlines"


@pytest.fixture
def prompts() -> PromptLibrary:
    return PromptLibrary(PROJECT_ROOT / "prompts")


@pytest.fixture
def plan():
    return build_plan(TOPIC, "en", "peers", 30, load_question_bank(PROJECT_ROOT / "knowledge"))


def chunks_until(text: str, marker: str) -> int:
    """How many of the double's chunks of ``text`` it takes to send ``marker``'s first
    character (the comma that closes the first item)."""
    position, sent = text.index(marker), 0
    for count, chunk in enumerate(split_tokens(text), start=1):
        sent += len(chunk)
        if sent > position:
            return count
    raise AssertionError(marker)


def drain(steps):
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def test_the_first_tailored_question_is_there_before_the_last_is_generated(
    double, settings, prompts, plan
):
    text = tailored_json(plan)
    held = chunks_until(text, ', "2":')
    double.script({"content": text, "fault": {"pause_after": held}})
    steps = tailor_plan_steps(
        plan, build_chat_model(settings), prompts, host=settings.ollama_host, model="gemma3:4b"
    )
    # Only the chunks the double has sent: none of these steps can wait for the rest.
    seen = [next(steps) for _ in range(held)]
    first, last = plan.questions[0], plan.questions[-1]
    assert seen[-1].tailored == 1 and seen[-1].total == len(plan.questions)
    assert all(step.tailored == 0 for step in seen[:-1])
    shown = seen[-1].plan
    assert shown.questions[0].text == "For Sam: " + first.text
    assert shown.questions[-1].text == last.text  # not generated yet
    # A partly tailored plan does not say it was tailored: it says it is being tailored.
    assert shown.tailoring and "being tailored" in source_line(shown)
    assert "1 of" in source_line(shown)
    double.release()
    result = drain(steps)
    assert result.tailored == len(plan.questions) and not result.tailoring
    assert result.questions[-1].text == "For Sam: " + last.text
    assert f"all {len(plan.questions)} questions" in source_line(result)


def test_the_plan_tab_shows_the_first_question_while_the_rest_is_generated(double, settings, plan):
    services = build_services(settings)
    demo = build_app(services)
    generate = next(
        fn.fn
        for fn in demo.fns.values()
        if fn.fn is not None and fn.fn.__qualname__ == "build_plan_tab.<locals>.generate"
    )
    text = tailored_json(plan)
    held = chunks_until(text, ', "2":')
    double.script({"content": text, "fault": {"pause_after": held}})
    first, last = plan.questions[0], plan.questions[-1]
    token = LocalContext.request.set(gr.Request(username=None))
    try:
        updates = generate(TOPIC, "peers", 30, True, "en")
        bank_plan = next(updates)
        assert "For Sam" not in str(bank_plan[1])
        # At most one update per chunk sent: the one with the first question comes at once.
        for _ in range(held):
            update = next(updates)
            if "For Sam" in str(update[1]):
                break
        markdown = str(update[1])
        assert f"For Sam: {first.text}" in markdown
        assert f"For Sam: {last.text}" not in markdown
        assert "being tailored" in markdown
        assert "1 of" in str(update[0])
        double.release()
        *_, final = updates
    finally:
        LocalContext.request.reset(token)
    assert f"For Sam: {last.text}" in str(final[1])
    assert f"{len(plan.questions)} of {len(plan.questions)} questions" in str(final[0])


def test_the_first_scenario_field_is_there_before_the_last_is_generated(double, settings, prompts):
    text = json.dumps(DRAFT)
    held = chunks_until(text, ', "situation":')
    double.script({"content": text, "fault": {"pause_after": held}})
    steps = draft_scenario_steps(
        "Ana hands in her reports late", "en", build_chat_model(settings), prompts
    )
    seen = [next(steps) for _ in range(held)]
    assert seen[-1].fields == {"title": DRAFT["title"]}
    assert all(not step.fields for step in seen[:-1])
    double.release()
    scenario = drain(steps)
    assert scenario.difficulty.resistant == ["Pushes back."]


def test_a_bad_scenario_field_is_asked_for_alone_and_the_rest_are_kept(double, settings, prompts):
    bad = {**DRAFT, "success_criteria": ["only one"], "title": "Ana and the late reports"}
    criteria = ["Names one example", "Listens first", "Agrees a next step"]
    double.script(json.dumps(bad), json.dumps({"success_criteria": criteria}))
    scenario = draft_scenario("Ana is late", "en", build_chat_model(settings), prompts)

    first, second = double.requests_for("/api/chat")
    assert list(second.body["format"]["properties"]) == ["success_criteria"]
    assert second.body["format"]["required"] == ["success_criteria"]
    assert "success_criteria" in second.body["messages"][-1]["content"]
    assert scenario.success_criteria == criteria
    assert scenario.title == "Ana and the late reports"  # from the first answer, kept
    assert scenario.counterpart.name == "Ana"


def test_the_builder_fills_each_field_as_it_is_drafted(double, settings):
    services = build_services(settings)
    demo = build_app(services)
    draft = next(
        fn.fn
        for fn in demo.fns.values()
        if fn.fn is not None and fn.fn.__qualname__ == "build_scenario_panel.<locals>.draft"
    )
    text = json.dumps(DRAFT)
    held = chunks_until(text, ', "situation":')
    double.script({"content": text, "fault": {"pause_after": held}})
    token = LocalContext.request.set(gr.Request(username=None))
    try:
        updates = draft("Ana hands in her reports late", "Ana, an analyst", "en")
        next(updates)  # "Drafting the scenario…"
        for _ in range(held):
            update = next(updates)
            if update[0] == DRAFT["title"]:
                break
        # The title is in its field; the situation (not generated yet) is left as it was.
        assert update[0] == DRAFT["title"]
        assert update[1] == gr.skip()
        assert "1 of 7 parts" in str(update[-2])
        double.release()
        *_, final = updates
    finally:
        LocalContext.request.reset(token)
    assert final[1] == DRAFT["situation"] and "Here is a draft" in str(final[-2])
