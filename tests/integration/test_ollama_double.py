"""The Ollama double, exercised through the real `ollama` client and `ChatOllama`.

These tests pin the double's contract: if a shape or a fault stops behaving like Ollama (as the
real clients see it), the integration and end-to-end tests built on it would prove nothing.

Exceptions the real clients raise, as observed here (ollama 0.6.3, langchain-ollama 1.1, httpx
0.28):

- model not installed / ``unknown_model``: ``ollama.ResponseError``, ``status_code == 404``;
- ``server_error``: ``ollama.ResponseError``, ``status_code == 500``;
- ``cut_after``: ``httpx.RemoteProtocolError`` ("peer closed connection without sending complete
  message body (incomplete chunked read)") after the chunks already sent were yielded;
- ``malformed``: ``json.JSONDecodeError`` (the client ``json.loads`` every line);
- ``error_after``: ``ollama.ResponseError`` with ``status_code == -1`` (an in-band error line);
- ``first_token_delay`` beyond the read timeout: ``httpx.ReadTimeout``;
- ``hang_after`` ended by `reset()`/`stop()`: ``httpx.RemoteProtocolError``;
- double stopped: ``ConnectionError`` from the sync ``ollama.Client`` calls,
  ``httpx.ConnectError`` from ``ChatOllama`` (it streams);
- streaming pull of a name the registry lacks: ``ollama.ResponseError`` (status -1, in-band,
  after "pulling manifest"); non-streaming pull: status 500.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import ollama
import pytest
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_ollama import ChatOllama
from pydantic import BaseModel

from tests.fixtures.ollama_double import (
    DoubleControl,
    Fault,
    OllamaDouble,
    spawn_process,
    split_tokens,
)

MODEL = "gemma3:4b"
USER = {"role": "user", "content": "I keep putting off the feedback talk with Sam."}


@pytest.fixture
def double() -> Iterator[OllamaDouble]:
    """A running double on a free port with the default model installed."""
    with OllamaDouble() as running:
        yield running


@pytest.fixture
def client(double: OllamaDouble) -> Iterator[ollama.Client]:
    """The real ollama client, with a bounded timeout so no test can hang."""
    with ollama.Client(host=double.url, timeout=httpx.Timeout(5.0)) as real_client:
        yield real_client


def chat_model(double: OllamaDouble, **kwargs: object) -> ChatOllama:
    """A real ChatOllama pointed at the double, with a bounded timeout."""
    return ChatOllama(model=MODEL, base_url=double.url, client_kwargs={"timeout": 5.0}, **kwargs)


# -- chat ------------------------------------------------------------------------------------


def test_chat_stream_yields_scripted_tokens_then_a_done_line_with_metrics(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.script("Hello there, colleague. ")

    parts = list(client.chat(model=MODEL, messages=[USER], stream=True))

    assert [p.message.content for p in parts[:-1]] == ["Hello ", "there, ", "colleague. "]
    assert all(p.done is False for p in parts[:-1])
    final = parts[-1]
    assert final.done is True and final.done_reason == "stop"
    assert final.message.content == ""
    assert final.eval_count == 3
    assert final.prompt_eval_count == len(USER["content"]) // 4
    assert final.total_duration and final.load_duration and final.eval_duration
    assert final.prompt_eval_duration


def test_chat_without_stream_returns_the_whole_reply(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.script({"chunks": ["Wh", "at ", "now?"], "done_reason": "length"})

    response = client.chat(model=MODEL, messages=[USER], stream=False)

    assert response.message.content == "What now?"
    assert response.done is True and response.done_reason == "length"
    assert response.eval_count == 3
    assert double.requests_for("/api/chat")[-1].body["stream"] is False


def test_unscripted_reply_echoes_the_last_user_message(
    double: OllamaDouble, client: ollama.Client
) -> None:
    messages = [
        {"role": "system", "content": "You are a coach."},
        {"role": "user", "content": "First message."},
        {"role": "assistant", "content": "Tell me more."},
        USER,
    ]

    response = client.chat(model=MODEL, messages=messages)

    assert response.message.content == ("What matters most to you about I keep putting off the?")


def test_scripted_replies_are_served_in_order_then_the_default_takes_over(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.script("first", "second")

    replies = [client.chat(model=MODEL, messages=[USER]).message.content or "" for _ in range(3)]

    assert replies[:2] == ["first", "second"]
    assert replies[2].startswith("What matters most to you about")
    assert double.pending_replies == 0


def test_format_requests_get_scripted_json_verbatim_or_a_schema_shaped_default(
    double: OllamaDouble, client: ollama.Client
) -> None:
    class Debrief(BaseModel):
        summary: str
        score: int
        strengths: list[str]

    scripted = '{"summary": "Good open questions.", "score": 4, "strengths": ["listening"]}'
    double.script(scripted)

    first = client.chat(model=MODEL, messages=[USER], format=Debrief.model_json_schema())
    second = client.chat(model=MODEL, messages=[USER], format=Debrief.model_json_schema())

    assert first.message.content == scripted
    assert Debrief.model_validate_json(second.message.content or "").score == 3
    assert double.requests_for("/api/chat")[0].body["format"]["title"] == "Debrief"


def test_chat_for_a_model_not_installed_raises_response_error_404(
    client: ollama.Client,
) -> None:
    with pytest.raises(ollama.ResponseError) as caught:
        client.chat(model="missing:1b", messages=[USER])

    assert caught.value.status_code == 404
    assert caught.value.error == 'model "missing:1b" not found, try pulling it first'


def test_split_tokens_keeps_every_character() -> None:
    text = "  Two  spaces,\nnew line. "
    assert "".join(split_tokens(text)) == text
    assert split_tokens("a b") == ["a ", "b"]


# -- models, show, pull, embed ----------------------------------------------------------------


def test_version_is_configurable() -> None:
    with OllamaDouble(version="0.11.4") as running:
        response = httpx.get(f"{running.url}/api/version", timeout=5)
        root = httpx.get(f"{running.url}/", timeout=5)

    assert response.json() == {"version": "0.11.4"}
    assert root.text == "Ollama is running"


def test_list_shows_the_installed_models_with_details(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.set_models(["gemma3:4b", "llama3.2"])

    listed = client.list().models

    assert [m.model for m in listed] == ["gemma3:4b", "llama3.2:latest"]
    assert listed[0].details is not None and listed[0].details.family == "gemma3"
    assert listed[0].size and listed[0].digest and listed[0].modified_at


def test_show_reports_architecture_and_context_length(client: ollama.Client) -> None:
    shown = client.show(MODEL)

    assert shown.modelinfo is not None
    arch = shown.modelinfo["general.architecture"]
    assert arch == "gemma3"
    assert shown.modelinfo[f"{arch}.context_length"] == 131_072
    assert shown.capabilities == ["completion"]
    assert shown.details is not None and shown.details.format == "gguf"


def test_show_of_an_unknown_model_raises_404(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as caught:
        client.show("nope")

    assert caught.value.status_code == 404
    assert caught.value.error == "model 'nope' not found"


def test_pull_streams_progress_up_to_total_and_installs_the_model(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.pull_total = 1_000
    assert "llama3.2:3b" not in double.models

    progress = list(client.pull("llama3.2:3b", stream=True))

    statuses = [p.status for p in progress]
    assert statuses[0] == "pulling manifest"
    assert statuses[-3:] == ["verifying sha256 digest", "writing manifest", "success"]
    main_layer = [p for p in progress if p.total == 1_000 and p.completed is not None]
    assert [p.completed for p in main_layer] == [200, 400, 600, 800, 1_000]
    assert all(p.digest and p.digest.startswith("sha256:") for p in main_layer)
    assert "llama3.2:3b" in [m.model for m in client.list().models]


def test_pull_of_a_name_the_registry_lacks_fails_like_ollama(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.set_pull_unknown(["no-such-model"])

    seen: list[str | None] = []
    with pytest.raises(ollama.ResponseError) as streamed:
        for part in client.pull("no-such-model", stream=True):
            seen.append(part.status)
    with pytest.raises(ollama.ResponseError) as waited:
        client.pull("no-such-model")

    assert seen == ["pulling manifest"]
    assert streamed.value.error == "pull model manifest: file does not exist"
    assert waited.value.status_code == 500
    assert "no-such-model:latest" not in double.models


def test_embed_gives_deterministic_unit_vectors(client: ollama.Client) -> None:
    first = client.embed(model=MODEL, input=["open question", "closed question"])
    again = client.embed(model=MODEL, input="open question")

    assert len(first.embeddings) == 2
    assert len(first.embeddings[0]) == 384
    assert math.isclose(math.fsum(v * v for v in first.embeddings[0]), 1.0, rel_tol=1e-9)
    assert list(again.embeddings[0]) == list(first.embeddings[0])
    assert list(first.embeddings[0]) != list(first.embeddings[1])


def test_embed_with_an_unknown_model_raises_404(client: ollama.Client) -> None:
    with pytest.raises(ollama.ResponseError) as caught:
        client.embed(model="nomic-embed-text", input="x")

    assert caught.value.status_code == 404


# -- ChatOllama ------------------------------------------------------------------------------


def test_chat_ollama_stream_yields_the_scripted_tokens_and_sends_options(
    double: OllamaDouble,
) -> None:
    double.script("Which part feels hardest? ")
    model = chat_model(double, num_ctx=4096, temperature=0.2)

    chunks = list(model.stream([SystemMessage("Be a coach."), HumanMessage("Help me.")]))

    texts = [c.content for c in chunks if c.content]
    assert texts == ["Which ", "part ", "feels ", "hardest? "]
    request = double.requests_for("/api/chat")[-1]
    assert request.body["options"] == {"num_ctx": 4096, "temperature": 0.2}
    assert request.body["stream"] is True
    assert request.body["messages"] == [
        {"role": "system", "content": "Be a coach."},
        {"role": "user", "content": "Help me."},
    ]
    assert request.headers["user-agent"].startswith("ollama-python/")


def test_chat_ollama_invoke_returns_the_reply_and_usage(double: OllamaDouble) -> None:
    double.script("Say more about that.")

    message = chat_model(double).invoke("I want to give better feedback.")

    assert message.content == "Say more about that."
    assert message.usage_metadata is not None
    assert message.usage_metadata["input_tokens"] == len("I want to give better feedback.") // 4
    assert message.usage_metadata["output_tokens"] == 4
    assert message.response_metadata["done_reason"] == "stop"


# -- faults ----------------------------------------------------------------------------------


def test_unknown_model_fault_makes_an_installed_model_404_once(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.fault("unknown_model")

    with pytest.raises(ollama.ResponseError) as caught:
        client.chat(model=MODEL, messages=[USER])

    assert caught.value.status_code == 404
    assert client.chat(model=MODEL, messages=[USER]).done is True


def test_server_error_fault_raises_500_and_can_be_permanent(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.fault("server_error", "out of memory", times=None)

    for _ in range(2):
        with pytest.raises(ollama.ResponseError) as caught:
            chat_model(double).invoke("hi")
        assert caught.value.status_code == 500
        assert caught.value.error == "out of memory"

    double.clear_faults()
    assert client.chat(model=MODEL, messages=[USER]).done is True


def test_fault_on_other_paths(double: OllamaDouble, client: ollama.Client) -> None:
    double.fault("server_error", paths=["/api/tags"])

    assert client.chat(model=MODEL, messages=[USER]).done is True
    with pytest.raises(ollama.ResponseError) as caught:
        client.list()
    assert caught.value.status_code == 500
    assert client.list().models


def test_cut_after_breaks_the_chat_ollama_stream_after_the_first_chunks(
    double: OllamaDouble,
) -> None:
    double.script("one two three four five")
    double.fault("cut_after", 2)
    received: list[str] = []

    # httpx.RemoteProtocolError: "peer closed connection without sending complete message
    # body (incomplete chunked read)" -- it reaches the caller unwrapped.
    with pytest.raises(httpx.RemoteProtocolError):
        for chunk in chat_model(double).stream("go"):
            received.append(str(chunk.content))

    assert received == ["one ", "two "]


def test_a_scripted_reply_can_carry_its_own_fault(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.script({"content": "a b c", "fault": {"cut_after": 1}}, "fine")

    with pytest.raises(httpx.RemoteProtocolError):
        list(client.chat(model=MODEL, messages=[USER], stream=True))

    assert client.chat(model=MODEL, messages=[USER]).message.content == "fine"


def test_malformed_line_raises_json_decode_error(double: OllamaDouble) -> None:
    double.script("a b c")
    double.fault("malformed", 1)
    received: list[str] = []

    with pytest.raises(json.JSONDecodeError):
        for chunk in chat_model(double).stream("go"):
            received.append(str(chunk.content))

    assert received == ["a "]


def test_error_after_sends_an_in_band_error(double: OllamaDouble, client: ollama.Client) -> None:
    double.script("a b c")
    double.fault("error_after", 2, error_message="runner died")

    with pytest.raises(ollama.ResponseError) as caught:
        list(client.chat(model=MODEL, messages=[USER], stream=True))

    assert caught.value.error == "runner died"
    assert caught.value.status_code == -1


def test_first_token_delay_beyond_the_read_timeout_raises_read_timeout(
    double: OllamaDouble,
) -> None:
    double.fault("first_token_delay", 1.5)
    impatient = ollama.Client(host=double.url, timeout=httpx.Timeout(5, read=0.5))

    with pytest.raises(httpx.ReadTimeout):
        list(impatient.chat(model=MODEL, messages=[USER], stream=True))


def test_token_delay_spaces_the_chunks(double: OllamaDouble, client: ollama.Client) -> None:
    double.script("a b c d")
    double.fault("token_delay", 0.05)
    arrivals: list[float] = []

    for _ in client.chat(model=MODEL, messages=[USER], stream=True):
        arrivals.append(time.monotonic())

    assert len(arrivals) == 5
    assert arrivals[-1] - arrivals[0] >= 4 * 0.05 * 0.9


def test_hang_after_stalls_until_reset_then_breaks_the_stream(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.script("a b c")
    double.fault("hang_after", 1)
    received: list[str] = []
    errors: list[BaseException] = []
    first_chunk = threading.Event()

    def consume() -> None:
        try:
            for part in client.chat(model=MODEL, messages=[USER], stream=True):
                received.append(part.message.content or "")
                first_chunk.set()
        except Exception as exc:  # the assertion below names the expected type
            errors.append(exc)

    worker = threading.Thread(target=consume, daemon=True)
    worker.start()
    assert first_chunk.wait(30)  # a bound for a busy machine, not a synchronisation
    # A negative check (nothing more comes meanwhile): load can only make it pass more
    # slowly, never fail it.
    time.sleep(0.1)
    assert worker.is_alive(), "the stream should be stalled, not finished"
    double.reset()
    worker.join(30)

    assert not worker.is_alive()
    assert received == ["a "]
    assert len(errors) == 1 and isinstance(errors[0], httpx.RemoteProtocolError)


def test_pause_after_holds_the_stream_until_released_then_carries_on(
    double: OllamaDouble, client: ollama.Client
) -> None:
    double.script({"content": "a b c", "fault": {"pause_after": 1}})
    received: list[str] = []
    first_chunk = threading.Event()

    def consume() -> None:
        for part in client.chat(model=MODEL, messages=[USER], stream=True):
            received.append(part.message.content or "")
            first_chunk.set()

    worker = threading.Thread(target=consume, daemon=True)
    worker.start()
    assert first_chunk.wait(10)
    assert worker.is_alive() and received == ["a "]  # held: nothing more comes unreleased
    double.release()
    worker.join(10)

    assert not worker.is_alive()
    assert "".join(received) == "a b c"


def test_hang_is_bounded_by_max_hang() -> None:
    with OllamaDouble(max_hang=0.2) as running:
        running.fault("hang_after", 0)
        started = time.monotonic()
        with pytest.raises(httpx.RemoteProtocolError):
            list(chat_model(running).stream("go"))

    assert time.monotonic() - started < 1.5


def test_fault_specs_are_validated() -> None:
    assert Fault.from_dict({"malformed": True}).malformed == 1
    assert Fault.from_dict({"name": "cut_after", "value": 3, "permanent": True}).times is None
    with pytest.raises(ValueError, match="unknown fault field"):
        Fault.from_dict({"explode": 1})
    with pytest.raises(ValueError, match="no behaviour"):
        Fault.from_dict({"times": 2})


# -- going down and coming back ----------------------------------------------------------------


def test_stop_and_start_again_on_the_same_port(double: OllamaDouble, client: ollama.Client) -> None:
    port = double.port
    assert client.chat(model=MODEL, messages=[USER]).done is True

    double.stop()
    with pytest.raises(ConnectionError):
        client.list()
    with pytest.raises(httpx.ConnectError):
        chat_model(double).invoke("hi")

    double.script("back again")
    double.start()
    assert double.port == port
    assert client.chat(model=MODEL, messages=[USER]).message.content == "back again"


def test_stop_breaks_a_stream_in_flight(double: OllamaDouble, client: ollama.Client) -> None:
    double.script("a b c")
    double.fault("hang_after", 1)
    stream = client.chat(model=MODEL, messages=[USER], stream=True)
    assert next(stream).message.content == "a "

    double.stop()

    with pytest.raises(httpx.RemoteProtocolError):
        list(stream)


# -- as a process, and the control API ---------------------------------------------------------


def test_subprocess_mode_prints_ready_and_serves(tmp_path: Path) -> None:
    script = tmp_path / "script.json"
    script.write_text(json.dumps(["From the script.", {"chunks": ["x", "y"]}]), "utf-8")

    process, url = spawn_process(models=["qwen2.5:1.5b"], script_file=script)
    try:
        real_client = ollama.Client(host=url, timeout=httpx.Timeout(5.0))
        assert url.startswith("http://127.0.0.1:")
        assert [m.model for m in real_client.list().models] == ["qwen2.5:1.5b"]
        first = real_client.chat(model="qwen2.5:1.5b", messages=[USER])
        assert first.message.content == "From the script."
    finally:
        process.terminate()
        process.wait(timeout=5)
    assert process.returncode == 0


def test_control_api_drives_a_double_from_another_client(double: OllamaDouble) -> None:
    control = DoubleControl(double.url)
    real_client = ollama.Client(host=double.url, timeout=httpx.Timeout(5.0))

    control.set_models(["llama3.2:3b"], pull_unknown=["ghost"])
    control.script("scripted over http")
    control.fault({"server_error": True, "paths": ["/api/show"]})

    assert [m.model for m in real_client.list().models] == ["llama3.2:3b"]
    assert real_client.chat(model="llama3.2:3b", messages=[USER]).message.content == (
        "scripted over http"
    )
    with pytest.raises(ollama.ResponseError) as caught:
        real_client.show("llama3.2:3b")
    assert caught.value.status_code == 500

    recorded = control.requests("/api/chat")
    assert len(recorded) == 1
    assert recorded[0]["body"]["messages"] == [USER]
    assert [r["path"] for r in control.requests()] == ["/api/tags", "/api/chat", "/api/show"]

    control.reset()
    assert control.requests() == []
    assert double.models == ["gemma3:4b"]
    assert double.faults == []


def test_control_api_rejects_bad_specs(double: OllamaDouble) -> None:
    response = httpx.post(f"{double.url}/_double/fault", json={"explode": 1}, timeout=5)

    assert response.status_code == 400
    assert "unknown fault field" in response.json()["error"]


def test_control_api_can_take_the_double_down_for_a_while(double: OllamaDouble) -> None:
    port = double.port
    # Down for 2 s: the "is it down?" request below must land inside that window even on a
    # loaded machine (0.3 s was a race); each state is then waited for with a generous bound.
    DoubleControl(double.url).down(seconds=2)
    real_client = ollama.Client(host=double.url, timeout=httpx.Timeout(2.0))

    deadline = time.monotonic() + 30
    while double.running and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(ConnectionError):
        real_client.list()

    deadline = time.monotonic() + 30
    while not double.running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert double.port == port
    assert real_client.list().models
