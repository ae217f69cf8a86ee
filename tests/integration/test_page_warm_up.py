"""The page-open warm-up (#16): when a page opens, the model is loaded and the shown mode's
prompt head is read, so that a session's start leaves only its own part to read.

Through the real HTTP path against the Ollama double with its cost model on
(tests/fixtures/model_cost.py: load time, one slot with prefix reuse, prefill and generation
rates, scaled so a simulated second lasts a few milliseconds). The cost model is what knows
whether the model is resident (``/api/ps``) and what a request had to read.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pytest

from assistant.config import Settings
from assistant.services import Services, build_services
from assistant.turn_labels import first_openness_note
from assistant.ui.status import build_head_warm_up, build_warm_up_notice
from assistant.warm_up import warm_mode_head, warm_up_for
from tests.fixtures.model_cost import PROFILES, CostProfile, ModelServer
from tests.fixtures.ollama_double import OllamaDouble

MODEL = "coach-small:1b"  # not the default model: every warm-up must use the configured one
# Slow enough that a warm-up is still running when the test acts, fast enough to run here.
PROFILE = CostProfile("test", prompt_tps=200, gen_tps=50, schema_tps=40, load_s=2)
SCALE = 0.01  # wall seconds per simulated second


@pytest.fixture
def double() -> Iterator[OllamaDouble]:
    with OllamaDouble(models=("gemma3:4b", MODEL)) as server:
        server.cost = ModelServer(PROFILE, time_scale=SCALE)
        yield server


def make_services(double: OllamaDouble, tmp_path, *, warm_up: bool = True) -> Services:
    settings = Settings(
        data_dir=tmp_path / "data",
        ollama_host=double.url,
        model=MODEL,
        warm_up=warm_up,
        first_token_timeout=30,
        idle_timeout=30,
    )
    return build_services(settings)


@pytest.fixture
def services(double, tmp_path) -> Iterator[Services]:
    built = make_services(double, tmp_path)
    yield built
    built.conversation.warm_up.close()


def chats(double: OllamaDouble) -> list:
    return double.requests_for("/api/chat")


def first_real_request(double: OllamaDouble) -> tuple[Any, Any]:
    """The first chat request that was not a warm-up (those ask for one token) and its charge:
    a Q&A question is followed by a read-ahead of the next note, which may have arrived too.
    Requests that came one after the other are charged in the order they arrived."""
    requests = chats(double)
    index = next(i for i, r in enumerate(requests) if r.body["options"]["num_predict"] != 1)
    return requests[index], double.cost.charges[index]


def test_opening_the_page_loads_the_model_and_reads_the_head_once(services, double):
    rehearse = services.modes["rehearse"]
    warm_up, user = services.conversation.warm_up, services.store.user_id()
    assert warm_mode_head(warm_up, rehearse, "en", user)
    assert warm_up.wait(user, 10).phase == "ready"

    [request] = chats(double)
    assert request.body["model"] == MODEL
    assert request.body["messages"] == [{"role": "system", "content": rehearse.prompt_head("en")}]
    assert request.body["options"]["num_predict"] == 1
    [charge] = double.cost.charges
    assert charge.load_s == PROFILE.load_s  # the page open paid the load, not the first reply

    # The page opened again (a reload, a second tab): the model is resident and the head is
    # in its cache, so nothing is sent.
    warm_mode_head(warm_up, rehearse, "en", user)
    warm_up.wait(user, 10)
    assert len(chats(double)) == 1

    # The session's own warm-up then reads only its scenario part after the cached head.
    session = rehearse.start(user, "en", {"scenario": "missed-deadlines"})
    assert warm_up.wait(user, 10).phase == "ready"
    assert len(chats(double)) == 2
    head_tokens = double.cost.charges[0].prompt_tokens
    assert double.cost.charges[1].cached_tokens >= head_tokens - 3  # all but its closing tokens
    assert session.system_prompt.startswith(rehearse.prompt_head("en"))


def test_a_session_started_while_the_head_is_read_lets_that_read_finish(services, double):
    rehearse, user = services.modes["rehearse"], services.store.user_id()
    warm_up = services.conversation.warm_up
    # Unscaled: the head's load (2 s) outlasts the start by far, so it is still running.
    double.cost = ModelServer(PROFILE, time_scale=1.0)
    warm_mode_head(warm_up, rehearse, "en", user)
    while not chats(double):
        threading.Event().wait(0.01)
    head = warm_up._runs[user]

    rehearse.start(user, "en", {"scenario": "missed-deadlines"})
    # The session's prefix starts with the head: the head's read is the start of its own
    # prefill, so it goes on (abandoning it would throw that work away).
    assert head.phase in ("loading", "reading") and not head.abandoned.is_set()
    assert warm_up.wait(user, 20).phase == "ready"
    assert head.phase == "ready"
    first, second = double.cost.charges
    assert second.cached_tokens >= first.prompt_tokens - 3


def test_the_head_is_read_again_after_the_model_was_unloaded(services, double):
    reflect = services.modes["reflect"]
    warm_up, user = services.conversation.warm_up, services.store.user_id()
    warm_mode_head(warm_up, reflect, "en", user)
    warm_up.wait(user, 10)
    double.cost = ModelServer(PROFILE, time_scale=SCALE)  # Ollama restarted: nothing loaded

    assert warm_mode_head(warm_up, reflect, "en", user)
    assert warm_up.wait(user, 10).phase == "ready"
    assert [r.body["messages"] for r in chats(double)] == [
        [{"role": "system", "content": reflect.prompt_head("en")}]
    ] * 2


def test_no_page_open_warm_up_while_a_real_reply_runs(services, double):
    double.cost = None  # the reply is held by the double's pause, not by a model's cost
    rehearse, user = services.modes["rehearse"], services.store.user_id()
    session = rehearse.start(user, "en", {"scenario": "missed-deadlines"})
    services.conversation.warm_up.wait(user, 10)
    double.script({"content": "I know, I know.", "fault": {"pause_after": 1}})
    shown: list[str] = []
    worker = threading.Thread(
        target=lambda: shown.extend(rehearse.respond(session, "Sam, a word?")), daemon=True
    )
    worker.start()
    while len(chats(double)) < 2:
        threading.Event().wait(0.01)

    kim = services.store.user_id("kim")
    assert not warm_mode_head(services.conversation.warm_up, services.modes["qa"], "en", kim)
    assert len(chats(double)) == 2  # nothing was sent behind the running reply
    double.release()
    worker.join(10)
    assert shown[-1] == "I know, I know."


def test_no_page_open_warm_up_with_an_ollama_pool(tmp_path):
    settings = Settings(
        data_dir=tmp_path / "data", ollama_host="http://127.0.0.1:9,http://127.0.0.1:10"
    )
    assert len(settings.ollama_hosts) == 2
    assert warm_up_for(settings, busy=lambda: False) is None
    assert warm_mode_head(None, object(), "en", 1) is False


def test_picking_a_qa_audience_reads_the_round_up_to_that_audience(services, double):
    qa, user = services.modes["qa"], services.store.user_id()
    warm_up = services.conversation.warm_up
    warm_mode_head(warm_up, qa, "en", user)  # the tab opened: the head
    assert qa.warm_audience(user, "newcomer", "en")  # the audience picked: its part too
    assert warm_up.wait(user, 10).phase == "ready"
    head, audience = (r.body["messages"][0]["content"] for r in chats(double))
    assert audience.startswith(head) and len(audience) > len(head)

    session = qa.start(
        user, "en", {"notes": "# Pilot\n\nIt cut handling time.", "audience": "newcomer"}
    )
    list(qa.opening(session))
    _, first_question = first_real_request(double)
    assert session.system_prompt.startswith(audience)
    assert first_question.cached_tokens >= double.cost.charges[1].prompt_tokens - 3


def first_token_s(services: Services, double: OllamaDouble, *, page_open: bool) -> float:
    """Simulated seconds from sending the first line (right after the start, while any
    warm-up still runs) to the reply's first token."""
    rehearse, user = services.modes["rehearse"], services.store.user_id()
    if page_open:
        warm_mode_head(services.conversation.warm_up, rehearse, "en", user)
    session = rehearse.start(user, "en", {"scenario": "missed-deadlines"})
    sent = time.monotonic()
    list(rehearse.respond(session, "Sam, I want to talk about the last three deadlines."))
    real = double.cost.charges[-1]
    assert real.wall_first is not None
    return double.cost.simulated(sent, real.wall_first)


def test_a_line_sent_while_the_warm_ups_run_is_not_slower_than_without_them(tmp_path):
    # The laptop profile: the load and the head take longer than the app's start, so the
    # line is sent while both warm-ups still run.
    profile, scale = PROFILES["laptop-cpu"], 0.1
    with OllamaDouble(models=(MODEL,)) as cold_double:
        cold_double.cost = ModelServer(profile, time_scale=scale)
        cold = make_services(cold_double, tmp_path / "cold", warm_up=False)
        without = first_token_s(cold, cold_double, page_open=False)
        assert len(cold_double.cost.charges) == 1  # the line itself loaded and read it all

    with OllamaDouble(models=(MODEL,)) as warm_double:
        warm_double.cost = ModelServer(profile, time_scale=scale)
        warm = make_services(warm_double, tmp_path / "warm")
        try:
            with_warm_ups = first_token_s(warm, warm_double, page_open=True)
        finally:
            warm.conversation.warm_up.close()
        charges = warm_double.cost.charges
        # The head, the session's prefix (unless the line came before it went out: it is
        # then dropped, and the line reads that part itself), the line.
        assert len(charges) in (2, 3)
        assert all(c.done_reason != "interrupted" for c in charges)  # none was thrown away
        assert charges[0].wall_end > charges[-1].wall_start  # the line came while one ran

    # The warm-ups did the line's own prefill, in order; what they add is their one
    # generated token each (1 / gen_tps), plus the app's own milliseconds.
    slack = 2 / profile.gen_tps + 0.5
    assert with_warm_ups <= without + slack


def test_closing_the_page_abandons_its_warm_up(services, double):
    warm_up, user = services.conversation.warm_up, services.store.user_id()
    double.script({"content": "x", "fault": {"pause_after": 0}})  # hold the warm-up's answer
    with gr.Blocks() as demo:
        language = gr.Radio(["en", "da"], value="en")
        build_warm_up_notice(demo, warm_up, lambda: user, language)
    [unload] = [fn for fn in demo.fns.values() if fn.name == "leave"]

    warm_mode_head(warm_up, services.modes["rehearse"], "en", user)
    while not chats(double):
        threading.Event().wait(0.01)
    assert warm_up.progress(user).running

    unload.fn()  # what Gradio runs when the page's browser tab closes
    assert warm_up.wait(user, 10).phase == "abandoned"
    double.release()


def test_the_pages_load_and_tab_select_warm_the_shown_modes_head(services, double):
    warm_up, user = services.conversation.warm_up, services.store.user_id()
    order = [spec.name for spec in services.mode_specs]
    with gr.Blocks() as demo:
        language = gr.Radio(["en", "da"], value="en")
        with gr.Tabs() as tabs:
            for name in order:
                with gr.Tab(name, id=name):
                    gr.Markdown(name)
        build_head_warm_up(demo, tabs, warm_up, services.modes, order, lambda: user, language)
    handlers = {fn.name: fn.fn for fn in demo.fns.values() if fn.name in ("opened", "selected")}

    handlers["opened"]("da")  # the page opens on the first mode's tab
    warm_up.wait(user, 10)
    first = services.modes[order[0]].prompt_head("da")
    assert [r.body["messages"] for r in chats(double)] == [[{"role": "system", "content": first}]]

    handlers["selected"]("en", SimpleNamespace(_data={"id": "qa"}, index=2))
    warm_up.wait(user, 10)
    qa_head = services.modes["qa"].prompt_head("en")
    assert chats(double)[-1].body["messages"] == [{"role": "system", "content": qa_head}]


def test_picking_a_scenario_reads_the_prefix_the_start_then_finds_read(services, double):
    rehearse, user = services.modes["rehearse"], services.store.user_id()
    warm_up = services.conversation.warm_up
    options = {"scenario": "missed-deadlines", "difficulty": "resistant"}
    assert rehearse.warm_scenario(user, "en", options)
    assert warm_up.wait(user, 10).phase == "ready"
    assert not rehearse.warm_scenario(user, "en", {"scenario": "no-such-scenario"})

    session = rehearse.start(user, "en", options)
    warm_up.wait(user, 10)
    [warm] = chats(double)  # the start found its prefix read: nothing more was sent
    opening = services.store.turns(session.id)[0].text
    assert warm.body["messages"] == [
        {"role": "system", "content": session.system_prompt},
        {"role": "assistant", "content": opening},
        # The first line leads with the starting openness: read with the prefix.
        {"role": "user", "content": first_openness_note(rehearse.prompts, "en", "resistant")},
    ]


def test_an_audience_picked_with_notes_in_place_reads_the_whole_round_prompt(services, double):
    qa, user = services.modes["qa"], services.store.user_id()
    options = {
        "notes": "# Pilot\n\nIt cut handling time.",
        "questions": 4,
        "difficulty": "resistant",
    }
    assert qa.warm_audience(user, "newcomer", "en", options)
    services.conversation.warm_up.wait(user, 10)
    session = qa.start(user, "en", {**options, "audience": "newcomer"})
    [warm] = chats(double)
    assert warm.body["messages"][0] == {"role": "system", "content": session.system_prompt}

    list(qa.opening(session))
    asked, first_question = first_real_request(double)
    # The first question's whole request was read ahead (the kickoff line with its note): the
    # model reads only the last token again, as llama.cpp does for an identical prompt.
    assert asked.body["messages"] == warm.body["messages"]
    assert first_question.prefilled_tokens == 1 < first_question.cached_tokens


def test_a_head_is_not_sent_while_a_longer_prefix_that_starts_with_it_is_read(services, double):
    reflect, user = services.modes["reflect"], services.store.user_id()
    warm_up = services.conversation.warm_up
    double.cost = None  # held by the double's pause (a release before the cost model's
    # load ends would come before the pause it is meant to end)
    double.script({"content": "x", "fault": {"pause_after": 0}})  # hold the prefix's answer
    reflect.first_line(user, "en")  # the tab shows its opening: its whole prefix is read
    while not chats(double):
        threading.Event().wait(0.01)

    assert not warm_mode_head(warm_up, reflect, "en", user)  # the page's load event after it
    double.release()
    assert warm_up.wait(user, 10).phase == "ready"
    [warm] = chats(double)
    assert warm.body["messages"][0]["content"].startswith(reflect.prompt_head("en"))
