"""The Ollama double's cost model (tests/fixtures/model_cost.py), through the real ollama client.

What it must get right for the latency benchmark to mean anything: prefix reuse per slot, slot
choice and queueing, load and keep_alive expiry, num_predict, and the counts Ollama reports.
Time runs 10,000 times faster than simulated (``time_scale=1e-4``); every figure asserted is a
count or a simulated duration the model computes, never a wall-clock measurement.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import ollama
import pytest

from tests.fixtures.model_cost import (
    PROFILES,
    CostProfile,
    ModelServer,
    chat_pieces,
    cut_to_tokens,
    parse_keep_alive,
    text_pieces,
)
from tests.fixtures.ollama_double import OllamaDouble

MODEL = "gemma3:4b"
REPLY = "I hear you, and I know the report was late. The data came in on Friday."
SCALE = 1e-4
LAPTOP = PROFILES["laptop-cpu"]


class Clock:
    """Real monotonic time plus a skew a test can add to (to let keep_alive run out: time
    outside the model's sleeps counts at its real length)."""

    def __init__(self) -> None:
        self.skew = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skew

    def skip(self, simulated_seconds: float) -> None:
        self.skew += simulated_seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def served(clock: Clock) -> Iterator[tuple[ollama.Client, ModelServer, OllamaDouble]]:
    server = ModelServer(LAPTOP, time_scale=SCALE, clock=clock)
    with OllamaDouble(cost=server, reply_generator=lambda messages: REPLY) as double:
        yield ollama.Client(host=double.url), server, double


def conversation(system: str, *lines: str) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": system}]
    for line in lines:
        messages += [{"role": "user", "content": line}, {"role": "assistant", "content": REPLY}]
    return messages[:-1] if lines else messages


SYSTEM_A = "You are Sam, a colleague who missed three deadlines. " * 20
SYSTEM_B = "Kim here: a sceptical executive in the audience. " * 20


def test_a_conversation_reads_only_its_new_tokens_after_the_first_turn(served) -> None:
    client, server, _ = served
    first = conversation(SYSTEM_A, "Sam, can we talk about the deadlines?")
    reply = client.chat(model=MODEL, messages=first)
    assert reply.message.content == REPLY
    assert reply.prompt_eval_count == len(chat_pieces(first))
    assert server.charges[-1].cached_tokens == 0

    second = conversation(SYSTEM_A, "Sam, can we talk about the deadlines?", "What got in the way?")
    again = client.chat(model=MODEL, messages=second)
    charge = server.charges[-1]
    # The slot holds the first prompt and the reply generated for it: all of it is reused.
    held = len(chat_pieces(first)) + len(text_pieces(REPLY))
    assert charge.cached_tokens == held
    assert again.prompt_eval_count == len(chat_pieces(second))  # Ollama counts the whole prompt
    new = len(chat_pieces(second)) - held
    assert again.prompt_eval_duration == pytest.approx(new / LAPTOP.prompt_tps * 1e9, abs=2)


def test_a_different_system_prompt_reuses_only_the_template_tokens(served) -> None:
    client, server, _ = served
    client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"))
    client.chat(model=MODEL, messages=conversation(SYSTEM_B, "Hello"))
    assert server.charges[-1].cached_tokens == 3  # <bos>, <turn>, "system"


def test_an_identical_prompt_still_reads_its_last_token(served) -> None:
    client, server, _ = served
    messages = conversation(SYSTEM_A, "Hello")
    client.chat(model=MODEL, messages=messages, options={"num_predict": 0})
    client.chat(model=MODEL, messages=messages, options={"num_predict": 0})
    charge = server.charges[-1]
    assert charge.prefilled_tokens == 1
    assert charge.cached_tokens == len(chat_pieces(messages)) - 1


def test_each_of_two_slots_keeps_its_own_conversation(clock: Clock) -> None:
    server = ModelServer(LAPTOP, time_scale=SCALE, num_parallel=2, clock=clock)
    with OllamaDouble(cost=server, reply_generator=lambda messages: REPLY) as double:
        client = ollama.Client(host=double.url)
        client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"))
        client.chat(model=MODEL, messages=conversation(SYSTEM_B, "Hello"))
        client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello", "And then?"))
        a1, b, a2 = server.charges[-3:]
    assert a1.slot != b.slot
    assert a2.slot == a1.slot  # the slot with the longest common prefix wins
    assert a2.cached_tokens == len(chat_pieces(conversation(SYSTEM_A, "Hello"))) + len(
        text_pieces(REPLY)
    )


def test_one_slot_means_the_other_conversation_loses_its_cache(served) -> None:
    client, server, _ = served
    client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"))
    client.chat(model=MODEL, messages=conversation(SYSTEM_B, "Hello"))
    client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello", "And then?"))
    assert server.charges[-1].cached_tokens == 3


def test_a_request_waits_for_the_busy_slot_and_is_charged_the_wait(served) -> None:
    client, server, double = served
    double.fault("pause_after", 3)  # the first reply holds the slot until released
    first: list[str] = []
    holder = threading.Thread(
        target=lambda: first.extend(
            part.message.content
            for part in client.chat(
                model=MODEL, messages=conversation(SYSTEM_A, "Hello"), stream=True
            )
        )
    )
    holder.start()
    assert server.wait_until(lambda: len(server.charges) == 1 and server.charges[0].eval_tokens)
    answers: list[str] = []
    waiter = threading.Thread(
        target=lambda: answers.append(
            client.chat(model=MODEL, messages=conversation(SYSTEM_B, "Hi")).message.content
        )
    )
    waiter.start()
    assert server.wait_until(lambda: server.queued(MODEL) == 1)
    double.release()
    holder.join(10)
    waiter.join(10)
    held, queued = server.charges
    assert "".join(first) == REPLY and answers == [REPLY]
    assert queued.slot == held.slot
    assert queued.wall_start < held.wall_end <= queued.wall_end
    assert queued.queued_s > 0


def test_the_first_request_loads_the_model_and_later_ones_do_not(served) -> None:
    client, server, _ = served
    assert not server.resident(MODEL)
    cold = client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"))
    warm = client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"))
    assert cold.load_duration == LAPTOP.load_s * 1e9
    assert warm.load_duration == 0
    assert cold.total_duration == pytest.approx(
        (LAPTOP.load_s + server.charges[0].prefill_s + server.charges[0].eval_s) * 1e9, rel=0.01
    )


def test_an_empty_messages_list_only_loads_the_model(served) -> None:
    client, server, _ = served
    loaded = client.chat(model=MODEL, messages=[])
    assert loaded.done_reason == "load" and loaded.message.content == ""
    assert server.resident(MODEL)
    assert server.charges[-1].load_s == LAPTOP.load_s
    reply = client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"))
    assert reply.load_duration == 0


def test_api_ps_lists_the_resident_model_until_it_unloads(served, clock: Clock) -> None:
    client, server, _ = served
    assert client.ps().models == []
    client.chat(model=MODEL, messages=[])
    (running,) = client.ps().models
    assert running.model == MODEL and running.expires_at is not None
    clock.skip(301)
    assert client.ps().models == []


def test_the_model_unloads_after_keep_alive_with_its_cache(served, clock: Clock) -> None:
    client, server, _ = served
    messages = conversation(SYSTEM_A, "Hello")
    client.chat(model=MODEL, messages=messages)
    clock.skip(299)
    assert server.resident(MODEL)  # Ollama's default: 5 minutes after the last request
    clock.skip(2)
    assert not server.resident(MODEL)
    again = client.chat(model=MODEL, messages=messages)
    assert again.load_duration == LAPTOP.load_s * 1e9
    assert server.charges[-1].cached_tokens == 0


def test_a_requests_keep_alive_is_honoured(served, clock: Clock) -> None:
    client, server, _ = served
    client.chat(model=MODEL, messages=[], keep_alive="10m")
    clock.skip(9 * 60)
    assert server.resident(MODEL)
    clock.skip(61)
    assert not server.resident(MODEL)
    client.chat(model=MODEL, messages=[], keep_alive=-1)
    clock.skip(10**6)
    assert server.resident(MODEL)
    client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"), keep_alive=0)
    assert not server.resident(MODEL)


@pytest.mark.parametrize("stream", [True, False])
def test_num_predict_cuts_the_reply_with_done_reason_length(served, stream: bool) -> None:
    client, server, _ = served
    messages = conversation(SYSTEM_A, "Hello")
    if stream:
        parts = list(
            client.chat(model=MODEL, messages=messages, stream=True, options={"num_predict": 5})
        )
        text, final = "".join(p.message.content for p in parts), parts[-1]
    else:
        final = client.chat(model=MODEL, messages=messages, options={"num_predict": 5})
        text = final.message.content
    assert text.rstrip() == cut_to_tokens(REPLY, 5) == "I hear you, and"
    assert final.done_reason == "length"
    assert final.eval_count == 5
    assert final.eval_duration == pytest.approx(5 / LAPTOP.gen_tps * 1e9, abs=2)


def test_num_predict_zero_fills_the_cache_and_generates_nothing(served) -> None:
    client, server, _ = served
    prefix = conversation(SYSTEM_A)
    warm = client.chat(model=MODEL, messages=prefix, options={"num_predict": 0})
    assert warm.message.content == "" and warm.eval_count == 0 and warm.done_reason == "length"
    assert warm.prompt_eval_count == len(chat_pieces(prefix))
    client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"))
    # All of it is reused but the generation prompt's role ("assistant" where "user" follows).
    assert server.charges[-1].cached_tokens == len(chat_pieces(prefix)) - 1


def test_schema_constrained_output_is_generated_at_the_schema_rate(served) -> None:
    client, server, _ = served
    schema = {"type": "object", "properties": {"summary": {"type": "string"}}}
    reply = client.chat(model=MODEL, messages=conversation(SYSTEM_A, "Hello"), format=schema)
    charge = server.charges[-1]
    assert charge.schema and reply.eval_count == charge.eval_tokens > 0
    assert reply.eval_duration == pytest.approx(reply.eval_count / LAPTOP.schema_tps * 1e9, abs=2)


def test_simulated_time_counts_sleeps_at_their_simulated_length() -> None:
    now = [100.0]
    server = ModelServer(LAPTOP, time_scale=0.01, clock=lambda: now[0])

    def overrunning_sleep(seconds: float) -> None:
        now[0] += seconds * 1.5  # the machine is busy: every sleep takes half as long again

    start = now[0]
    now[0] += 0.25  # the app's own work: real time
    server.load_only(MODEL, None, overrunning_sleep)
    now[0] += 0.25
    assert server.simulated(start, now[0]) == pytest.approx(0.5 + LAPTOP.load_s)


def test_profiles_parse_from_a_name_or_rates() -> None:
    assert CostProfile.parse("laptop-cpu") is LAPTOP
    custom = CostProfile.parse("P=120,G=14,load=3")
    assert (custom.prompt_tps, custom.gen_tps, custom.schema_tps, custom.load_s) == (
        120,
        14,
        pytest.approx(11.2),
        3,
    )
    assert CostProfile.parse(custom.spec()) == CostProfile.parse(custom.spec())
    with pytest.raises(ValueError, match="needs P and G"):
        CostProfile.parse("P=120")
    with pytest.raises(ValueError, match="laptop-cpu"):
        CostProfile.parse("fast")


def test_token_estimate_and_keep_alive_parsing() -> None:
    assert text_pieces("Hi Sam, the medarbejdersamtale!") == [
        "Hi", "Sam", ",", "the", "medarb", "ejder", "samta", "le", "!"
    ]  # fmt: skip
    assert cut_to_tokens("One two, three.", 3) == "One two,"
    assert parse_keep_alive("1h30m") == 5400
    assert parse_keep_alive("-1") is None and parse_keep_alive(None) == 300
    with pytest.raises(ValueError):
        parse_keep_alive("soon")


def test_without_a_cost_model_the_double_is_unchanged() -> None:
    with OllamaDouble(reply_generator=lambda messages: REPLY) as double:
        client = ollama.Client(host=double.url)
        reply = client.chat(
            model=MODEL, messages=conversation(SYSTEM_A, "Hello"), options={"num_predict": 2}
        )
    assert reply.message.content == REPLY and reply.done_reason == "stop"


def test_queued_requests_take_the_slot_in_the_order_they_came() -> None:
    server = ModelServer(CostProfile("fast", 1000, 1000, 1000, 0), time_scale=0.001)
    first = server.begin("m", [{"role": "user", "content": "one"}], pause=time.sleep)
    order: list[str] = []

    def ask(name: str) -> None:
        job = server.begin("m", [{"role": "user", "content": name}], pause=time.sleep)
        order.append(name)
        job.finish("stop")

    second = threading.Thread(target=ask, args=("two",))
    second.start()
    server.wait_until(lambda: server.queued("m") == 1)
    third = threading.Thread(target=ask, args=("three",))
    third.start()
    server.wait_until(lambda: server.queued("m") == 2)
    first.finish("stop")  # the slot frees: the request that came first gets it
    second.join(10)
    third.join(10)
    assert order == ["two", "three"]
