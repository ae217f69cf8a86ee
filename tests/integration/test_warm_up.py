"""The warm-up (#16): a new session's fixed prefix is read into the model's cache ahead of the
user, through the real HTTP path against the Ollama double (which records every request and
holds a reply at a chosen point with ``pause_after`` until the test releases it).

Rules: one warm-up per prefix; skipped while a real reply runs; sent to the session's model
only; a real request for the same prefix lets it finish (it is that request's own prefill),
any other real request abandons it; a warm-up the person left is closed at once.
"""

from __future__ import annotations

import threading

import pytest

from assistant.config import Settings
from assistant.services import build_services
from assistant.turn_labels import first_openness_note
from assistant.warm_up import starts_with
from tests.fixtures.model_cost import CostProfile, ModelServer
from tests.fixtures.ollama_double import OllamaDouble

MODEL = "coach-small:1b"  # not the default model: the warm-up must use the configured one


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


def chats(double):
    return double.requests_for("/api/chat")


def wait_for_chats(double, count):
    """Until the double has recorded ``count`` chat requests (it records before answering)."""
    while len(chats(double)) < count:
        threading.Event().wait(0.01)


def start_rehearsal(services, scenario="missed-deadlines"):
    rehearse = services.modes["rehearse"]
    return rehearse, rehearse.start(services.store.user_id(), "en", {"scenario": scenario})


def in_background(snapshots):
    shown: list[str] = []
    worker = threading.Thread(target=lambda: shown.extend(snapshots), daemon=True)
    worker.start()
    return worker, shown


def test_a_rehearsal_start_reads_its_prefix_once_with_the_sessions_model(services, double):
    rehearse, session = start_rehearsal(services)
    warm_up = services.conversation.warm_up
    assert warm_up.wait(session.user_id, 10).phase == "ready"

    [request] = chats(double)
    body = request.body
    assert body["model"] == MODEL
    assert body["options"]["num_predict"] == 1
    assert body["options"]["num_ctx"] == services.settings.num_ctx
    assert body["keep_alive"] == services.settings.keep_alive
    opening = services.store.turns(session.id)[0].text
    first_note = first_openness_note(rehearse.prompts, "en", "realistic")
    assert body["messages"] == [
        {"role": "system", "content": session.system_prompt},
        {"role": "assistant", "content": opening},
        {"role": "user", "content": first_note},  # the note the first line leads with
    ]

    # The same prefix again (the same scenario started again): no second warm-up.
    _, again = start_rehearsal(services)
    assert again.system_prompt == session.system_prompt
    assert len(chats(double)) == 1

    # The first real request begins with what the warm-up read, on the same model and
    # with the same num_ctx (a different one would reload the model).
    list(rehearse.respond(session, "Sam, can we talk about the deadlines?"))
    real = next(r.body for r in chats(double) if r.body["options"]["num_predict"] != 1)
    assert real["model"] == MODEL
    assert real["options"]["num_ctx"] == body["options"]["num_ctx"]
    assert starts_with(real["messages"], body["messages"])
    assert (
        real["messages"][2]["content"] == f"{first_note}\n\nSam, can we talk about the deadlines?"
    )
    assert real["options"]["num_predict"] == services.settings.persona_tokens


def test_no_warm_up_while_a_real_reply_runs(services, double):
    rehearse, session = start_rehearsal(services)
    services.conversation.warm_up.wait(session.user_id, 10)
    double.script({"content": "I know, I know.", "fault": {"pause_after": 1}})
    worker, shown = in_background(rehearse.respond(session, "Sam, a word?"))
    wait_for_chats(double, 2)

    other = services.modes["rehearse"].start(
        services.store.user_id("kim"), "en", {"scenario": "promotion-talk"}
    )
    progress = services.conversation.warm_up.progress(other.user_id)
    assert progress is not None and progress.phase == "skipped"
    assert len(chats(double)) == 2  # nothing was sent behind the running reply
    double.release()
    worker.join(10)
    assert shown[-1] == "I know, I know."


def test_a_warm_up_the_person_left_is_closed_at_once(services, double):
    double.script({"content": "x", "fault": {"pause_after": 0}})  # the warm-up's answer
    _, session = start_rehearsal(services)
    wait_for_chats(double, 1)
    warm_up = services.conversation.warm_up
    assert warm_up.progress(session.user_id).running

    warm_up.abandon(session.user_id)
    # Ended while the double still holds its answer: the connection was shut, not drained.
    assert warm_up.wait(session.user_id, 10).phase == "abandoned"
    double.release()


def test_a_new_session_abandons_the_persons_earlier_warm_up(services, double):
    double.script({"content": "x", "fault": {"pause_after": 0}})
    _, first = start_rehearsal(services)
    wait_for_chats(double, 1)
    warm_up = services.conversation.warm_up
    earlier = warm_up._runs[first.user_id]

    _, second = start_rehearsal(services, "promotion-talk")
    earlier.thread.join(10)
    assert earlier.phase == "abandoned"
    assert warm_up.wait(second.user_id, 10).phase == "ready"
    double.release()


def test_a_real_request_for_another_prefix_abandons_the_warm_up(services, double):
    rehearse, busy_session = start_rehearsal(services, "promotion-talk")
    services.conversation.warm_up.wait(busy_session.user_id, 10)
    double.script({"content": "x", "fault": {"pause_after": 0}})  # the next warm-up's answer
    kim = services.store.user_id("kim")
    warmed = rehearse.start(kim, "en", {"scenario": "missed-deadlines"})
    wait_for_chats(double, 2)
    warm_up = services.conversation.warm_up
    assert warm_up.progress(kim).running

    # Another person's real request: the warm-up would only keep it waiting.
    list(rehearse.respond(busy_session, "About the slides you presented."))
    assert warm_up.wait(kim, 10).phase == "abandoned"
    assert warmed.user_id == kim
    double.release()


def test_the_first_reply_of_the_same_session_lets_its_warm_up_finish(services, double):
    double.script({"content": "x", "fault": {"pause_after": 0}}, "Fine. What about them?")
    rehearse, session = start_rehearsal(services)
    wait_for_chats(double, 1)
    warm_up = services.conversation.warm_up

    worker, shown = in_background(rehearse.respond(session, "Sam, about the deadlines."))
    wait_for_chats(double, 2)
    # The real request reads the same prefix: the warm-up goes on (it is that prefill).
    assert warm_up.progress(session.user_id).running
    double.release()
    assert warm_up.wait(session.user_id, 10).phase == "ready"
    worker.join(10)
    assert shown[-1] == "Fine. What about them?"
    warm, real = (r.body["messages"] for r in chats(double))
    assert starts_with(real, warm)  # the real line after the note the warm-up read


def test_a_qa_answer_finds_its_move_note_read_ahead(services, double):
    """Right after a question, the note of a direct answer's move (here the next question)
    is read with the history while the person answers; a direct answer's request then
    begins with what was read and adds only the answer."""
    qa, warm_up = services.modes["qa"], services.conversation.warm_up
    notes = "# Pilot\n\nIt cut handling time.\n\n# Cost\n\nIt costs little to run."
    session = qa.start(services.store.user_id(), "en", {"notes": notes, "questions": 2})
    question = "[§1] How much handling time did the pilot save?"
    double.script(question)
    list(qa.opening(session))
    assert warm_up.wait(session.user_id, 10).phase == "ready"
    ahead = chats(double)[-1].body  # the read-ahead, after the question's own request
    assert ahead["options"]["num_predict"] == 1 and len(chats(double)) == 2
    assert ahead["messages"][-2] == {"role": "assistant", "content": question}
    assert ahead["messages"][-1]["role"] == "user"
    assert ahead["messages"][-1]["content"].startswith("<turn-note>")
    assert "question 2 of 2" in ahead["messages"][-1]["content"]

    double.script("[§2] And what does it cost to run?")
    answer = "12 hours a week, measured by finance."  # direct: it opens with the number
    list(qa.respond(session, answer))
    real = [r.body for r in chats(double) if r.body["options"]["num_predict"] != 1][-1]
    assert starts_with(real["messages"], ahead["messages"])
    assert real["messages"][-1]["content"] == f"{ahead['messages'][-1]['content']}\n\n{answer}"


def test_a_change_of_stance_has_its_note_read_before_the_next_line(services, double):
    """A blunt first line closes the counterpart down: the next line will lead with the
    closed stance's note, so it is read with the history right after the reply."""
    rehearse, session = start_rehearsal(services)
    warm_up = services.conversation.warm_up
    assert warm_up.wait(session.user_id, 10).phase == "ready"
    double.script("I know. It was late again.")
    list(rehearse.respond(session, "You always deliver late."))
    assert warm_up.wait(session.user_id, 10).phase == "ready"
    ahead = chats(double)[-1].body
    assert ahead["options"]["num_predict"] == 1 and len(chats(double)) == 3
    assert ahead["messages"][-2] == {"role": "assistant", "content": "I know. It was late again."}
    assert "<counterpart-state>" in ahead["messages"][-1]["content"]
    assert "closed" in ahead["messages"][-1]["content"]

    double.script("Fine.")
    list(rehearse.respond(session, "You should write a plan."))
    real = [r.body for r in chats(double) if r.body["options"]["num_predict"] != 1][-1]
    assert starts_with(real["messages"], ahead["messages"])
    assert real["messages"][-1]["content"].endswith(
        "</counterpart-state>\n\nYou should write a plan."
    )


def test_a_new_reflect_stage_has_its_note_read_before_the_next_message(services, double):
    """A reply that moves the session to the next stage: the next message will lead with
    that stage's note, so the note is read with the history while the person types."""
    reflect, warm_up = services.modes["reflect"], services.conversation.warm_up
    session = reflect.open(services.store.user_id(), "en")
    assert warm_up.wait(session.user_id, 10).phase == "ready"  # the prefix, first note
    double.script("What would make this hour worth it for you? [[next]]")
    list(reflect.respond(session, "I keep postponing a talk with Sam."))
    assert reflect.stage(session) == "goal"
    assert warm_up.wait(session.user_id, 10).phase == "ready"
    ahead = chats(double)[-1].body
    assert ahead["options"]["num_predict"] == 1 and len(chats(double)) == 3
    assert ahead["messages"][-1]["role"] == "user"
    assert "stage 2 of 5" in ahead["messages"][-1]["content"]

    double.script("What would you like to be different after the talk?")
    list(reflect.respond(session, "A plan for the talk."))
    real = [r.body for r in chats(double) if r.body["options"]["num_predict"] != 1][-1]
    assert starts_with(real["messages"], ahead["messages"])
    assert real["messages"][-1]["content"].endswith("</session-stage>\n\nA plan for the talk.")
    # No note is due on the message after (the stage's next one): nothing is read ahead.
    warm_up.wait(session.user_id, 10)
    assert len(chats(double)) == 4


def test_opening_reflect_warms_the_prefix_its_first_reply_uses(services, double):
    reflect = services.modes["reflect"]
    user = services.store.user_id()
    opening = reflect.first_line(user, "en")
    assert services.conversation.warm_up.wait(user, 10).phase == "ready"
    [warm] = chats(double)
    assert warm.body["messages"][1] == {"role": "assistant", "content": opening}
    # The first stage's note: the first message leads with it, so it is read ahead too.
    assert warm.body["messages"][-1]["role"] == "user"
    assert warm.body["messages"][-1]["content"].startswith("<session-stage>")

    session = reflect.open(user, "en")  # the person writes: the session is stored now
    assert len(chats(double)) == 1  # its prefix was read already
    list(reflect.respond(session, "I keep postponing a talk."))
    real = chats(double)[-1].body["messages"]
    assert starts_with(real, warm.body["messages"])
    assert real[-1]["content"].endswith("</session-stage>\n\nI keep postponing a talk.")


def test_a_real_request_before_the_warm_up_went_out_drops_it(services, double):
    # The warm-up first asks /api/ps whether the model is loaded: hold that answer.
    double.fault("first_token_delay", 30, paths="/api/ps")
    warm_up = services.conversation.warm_up
    rehearse, session = start_rehearsal(services)
    while not double.requests_for("/api/ps"):
        threading.Event().wait(0.01)
    run = warm_up._runs[session.user_id]

    warm_up.real_request(services.conversation.messages(session, services.store.turns(session.id)))
    assert warm_up.wait(session.user_id, 10).phase == "abandoned"
    assert not run.sent and chats(double) == []


def test_a_scenario_practised_again_after_another_is_read_again(services, double):
    # A runner slot keeps only the prompt it read last: once another conversation's request
    # has replaced the first scenario's prefix, starting that scenario again must read it
    # again (it used to count as read for as long as the model stayed loaded).
    warm_up = services.conversation.warm_up
    rehearse, first = start_rehearsal(services)
    assert warm_up.wait(first.user_id, 10).phase == "ready"
    prefix = chats(double)[0].body["messages"]

    def prefix_reads():  # the warm-ups of that prefix
        return [r for r in chats(double) if r.body["messages"] == prefix]

    list(rehearse.respond(first, "Sam, a word about the deadlines?"))  # starts with the prefix
    _, again = start_rehearsal(services)
    warm_up.wait(again.user_id, 10)
    assert len(prefix_reads()) == 1  # still in the cache: the real request continued it

    _, other = start_rehearsal(services, "promotion-talk")
    assert warm_up.wait(other.user_id, 10).phase == "ready"
    list(rehearse.respond(other, "I have news about the promotion."))
    _, third = start_rehearsal(services)
    assert warm_up.wait(third.user_id, 10).phase == "ready"
    assert len(prefix_reads()) == 2


def test_the_app_start_loads_the_model_and_reads_nothing(services, double):
    # The cost model is what knows (and answers /api/ps) that the model stays loaded.
    double.cost = ModelServer(CostProfile.parse("P=1000,G=1000,load=1"), time_scale=0.001)
    warm_up = services.conversation.warm_up
    warm_up.app_start().join(10)
    [load] = chats(double)
    assert load.body["messages"] == []
    assert load.body["model"] == MODEL
    assert load.body["options"]["num_ctx"] == services.settings.num_ctx  # no reload later
    assert load.body["keep_alive"] == services.settings.keep_alive

    assert double.cost.resident(MODEL)  # loaded now: a second start sends nothing
    warm_up.app_start().join(10)
    assert len(chats(double)) == 1


def test_a_failed_warm_up_may_be_tried_again(services, double):
    double.fault("server_error")
    _, session = start_rehearsal(services)
    warm_up = services.conversation.warm_up
    assert warm_up.wait(session.user_id, 10).phase == "failed"
    _, again = start_rehearsal(services)
    assert warm_up.wait(again.user_id, 10).phase == "ready"
    assert len(chats(double)) == 2


def test_coach_practice_warms_the_rehearsal_before_its_first_line(double, tmp_path):
    """`coach practice` as a real process: the warm-up goes first, the first line's request
    begins with what it read, and the person is told on stderr (stdout stays the transcript)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    double.script("x", "I know it was late.")  # the warm-up's token, then the reply
    env = {
        **os.environ,
        "OLLAMA_HOST": double.url,
        "COACH_MODEL": MODEL,
        "COACH_DATA_DIR": str(tmp_path / "d"),
        "COACH_WARM_UP": "true",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from assistant.cli import main; main()", "practice"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
    )
    wait_for_chats(double, 1)  # the person types once the scenario is shown
    stdout, stderr = process.communicate("Tuesday's extract came late.\n/end\n", timeout=120)
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    assert done.returncode == 0, done.stderr
    assert "getting ready in the background" in done.stderr
    assert "I know it was late." in done.stdout
    warm, real = (r.body for r in chats(double))
    assert warm["options"]["num_predict"] == 1 and warm["model"] == real["model"] == MODEL
    assert starts_with(real["messages"], warm["messages"])


def test_an_open_page_keeps_the_model_loaded_every_few_minutes(services, double):
    warm_up = services.conversation.warm_up
    start = warm_up._last_kept
    assert not warm_up.keep_resident(now=start + 1)  # not yet
    # A second past the interval: start + interval - start can round below the interval.
    assert warm_up.keep_resident(now=start + warm_up.resident_every + 1)
    wait_for_chats(double, 1)
    [load] = chats(double)
    assert load.body["messages"] == [] and load.body["model"] == MODEL
    assert load.body["keep_alive"] == services.settings.keep_alive
    assert load.body["options"]["num_ctx"] == services.settings.num_ctx
    assert not warm_up.keep_resident(now=start + warm_up.resident_every + 1)


def test_no_warm_up_with_a_pool_of_servers(double, tmp_path):
    """With several servers the pool picks a session's server at its first real request; a
    warm-up on another would fill the wrong cache, so none is sent."""
    with OllamaDouble(models=("gemma3:4b", MODEL)) as other:
        settings = Settings(
            data_dir=tmp_path / "data",
            ollama_host=f"{double.url},{other.url}",
            model=MODEL,
            warm_up=True,
        )
        services = build_services(settings)
        assert services.conversation.warm_up is None
        double.script("Fine.")
        other.script("Fine.")
        rehearse, session = start_rehearsal(services)
        list(rehearse.respond(session, "How are things?"))
        bodies = [r.body for r in chats(double) + chats(other)]
        assert len(bodies) == 1 and bodies[0]["options"].get("num_predict") != 1
