"""A cancelled plan tailoring or scenario draft ends its model request (#15 item 7).

The real ChatOllama streams from the Ollama double, which holds the answer after a few lines
(``pause_after``) until the test releases it. The request is then cancelled the two ways an
event ends: its generator is closed (what Gradio does to a cancelled event, and what happens
when the page goes away), or its cancel signal is set. Once released, the double finds the
connection gone while it still has the rest of the answer to write: the request was ended,
not left running to its end. Every step is a state (the request recorded, the first
characters shown, the connection found closed), never a wait for a time.
"""

from __future__ import annotations

import json
import threading

import gradio as gr
import pytest
from gradio.context import LocalContext

from assistant.config import PROJECT_ROOT
from assistant.llm import build_chat_model
from assistant.planner import build_plan, load_question_bank, tailor_plan_steps
from assistant.prompts import PromptLibrary
from assistant.scenario_builder import draft_scenario_steps
from assistant.services import build_services
from assistant.structured_stream import RequestCancelled
from assistant.ui import build_app
from tests.integration.test_planner_model import tailored_json
from tests.unit.test_scenario_builder import DRAFT

PAUSED = {"pause_after": 3}
# For a cancel signal, seen at the first chunk after the release: the rest of the answer must
# still be on its way then (as from a model generating it), not all written at once.
PAUSED_THEN_GENERATING = {"pause_after": 3, "token_delay": 0.02}


@pytest.fixture
def prompts() -> PromptLibrary:
    return PromptLibrary(PROJECT_ROOT / "prompts")


@pytest.fixture
def plan():
    return build_plan("Feedback to Sam on deadlines", "en", "peers", 30, bank())


def bank():
    return load_question_bank(PROJECT_ROOT / "knowledge")


def tailoring(plan, settings, prompts, cancelled=None):
    return tailor_plan_steps(
        plan,
        build_chat_model(settings),
        prompts,
        host=settings.ollama_host,
        model=settings.model,
        cancelled=cancelled,
    )


def drafting(settings, prompts, cancelled=None):
    return draft_scenario_steps(
        "Ana hands in her reports late", "en", build_chat_model(settings), prompts, cancelled
    )


def test_closing_a_tailoring_ends_its_request(double, settings, prompts, plan):
    double.script({"content": tailored_json(plan), "fault": PAUSED})
    steps = tailoring(plan, settings, prompts)
    assert next(steps).chars > 0  # the first characters arrived; the double holds the rest
    steps.close()
    double.release()
    assert double.abandoned("/api/chat")
    assert len(double.requests_for("/api/chat")) == 1  # and no second attempt


def test_a_cancel_signal_ends_a_tailoring_at_its_next_chunk(double, settings, prompts, plan):
    double.script({"content": tailored_json(plan), "fault": PAUSED_THEN_GENERATING})
    cancelled = threading.Event()
    steps = tailoring(plan, settings, prompts, cancelled)
    assert next(steps).chars > 0
    cancelled.set()
    double.release()
    with pytest.raises(RequestCancelled):
        while True:
            next(steps)
    assert double.abandoned("/api/chat")
    assert len(double.requests_for("/api/chat")) == 1


@pytest.mark.parametrize("how", ["close", "signal"])
def test_a_cancelled_scenario_draft_ends_its_request(double, settings, prompts, how):
    fault = PAUSED if how == "close" else PAUSED_THEN_GENERATING
    double.script({"content": json.dumps(DRAFT), "fault": fault})
    cancelled = threading.Event()
    steps = drafting(settings, prompts, cancelled)
    assert next(steps).chars > 0
    if how == "close":
        steps.close()
        double.release()
    else:
        cancelled.set()
        double.release()
        with pytest.raises(RequestCancelled):
            while True:
                next(steps)
    assert double.abandoned("/api/chat")
    assert len(double.requests_for("/api/chat")) == 1


def test_an_uncancelled_draft_streams_to_its_end_and_leaves_nothing_abandoned(
    double, settings, prompts
):
    double.script(json.dumps(DRAFT))
    steps = drafting(settings, prompts)
    sizes, fields = [], []
    while True:
        try:
            step = next(steps)
        except StopIteration as done:
            scenario = done.value
            break
        sizes.append(step.chars)
        fields.append(len(step.fields))
    assert scenario.counterpart.name == "Ana"
    assert len(sizes) > 3 and sizes == sorted(sizes)  # progress, chunk by chunk
    assert fields == sorted(fields) and fields[-1] == len(DRAFT)  # field by field
    assert not double.abandoned("/api/chat", timeout=0)


def test_the_plan_tabs_event_shows_progress_and_closing_it_ends_the_request(double, settings, plan):
    """The Plan tab's own handler, closed as Gradio closes a cancelled event."""
    services = build_services(settings)
    demo = build_app(services)
    generate = next(
        fn.fn
        for fn in demo.fns.values()
        if fn.fn is not None and fn.fn.__qualname__ == "build_plan_tab.<locals>.generate"
    )
    double.script({"content": tailored_json(plan), "fault": PAUSED})
    token = LocalContext.request.set(gr.Request(username=None))
    try:
        updates = generate("Feedback to Sam on deadlines", "peers", 30, True, "en")
        shown = [next(updates), next(updates)]  # the bank's plan, then the first progress
        assert "characters of its answer so far" in str(shown[-1][0])
        updates.close()
    finally:
        LocalContext.request.reset(token)
    double.release()
    assert double.abandoned("/api/chat")
