"""Several Ollama servers in OLLAMA_HOST: two Ollama doubles behind the real ChatOllama, the
pool's choices checked by which double each request reached."""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.llm import build_chat_model, stream_text
from assistant.services import build_services
from tests.fixtures.ollama_double import OllamaDouble


@pytest.fixture
def doubles():
    with OllamaDouble() as a, OllamaDouble() as b:
        yield a, b


class Clock:
    """The pool's clock, moved by the test (the skip window is counted on it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pooled(doubles, tmp_path):
    a, b = doubles
    settings = Settings(
        data_dir=tmp_path / "data",
        ollama_host=f"{a.url}, {b.url}",
        first_token_timeout=5,
        idle_timeout=5,
        connect_timeout=1,
        ollama_retry_after=30,
    )
    model = build_chat_model(settings)
    clock = Clock()
    model.pool.clock = clock  # type: ignore[attr-defined]
    return model, clock


def chats(double: OllamaDouble) -> list[str]:
    """The system prompt of every chat request the double received."""
    return [r.body["messages"][0]["content"] for r in double.requests_for("/api/chat")]


def turn(model, system: str, text: str = "hello") -> str:
    return "".join(
        p for p, _ in stream_text(model, conversation(system, text), host="h", model="m")
    )


def conversation(system: str, text: str):
    return [SystemMessage(system), HumanMessage(text)]


def test_the_settings_list_every_server_and_the_first_serves_status(doubles, tmp_path):
    a, b = doubles
    settings = Settings(data_dir=tmp_path, ollama_host=f"{a.url},{b.url},{a.url}")
    assert settings.ollama_hosts == (a.url, b.url)
    assert settings.ollama_host == a.url
    model = build_chat_model(settings)
    assert [s.host for s in model.pool.servers] == [a.url, b.url]  # type: ignore[attr-defined]


def test_a_conversation_keeps_to_its_server_and_new_ones_spread(pooled, doubles):
    model, _ = pooled
    a, b = doubles
    for line in ("one", "two", "three"):
        turn(model, "session 1", line)
    turn(model, "session 2")
    turn(model, "session 1", "four")
    turn(model, "session 3")
    holder = a if "session 1" in chats(a) else b
    other = b if holder is a else a
    assert chats(holder).count("session 1") == 4  # every turn of session 1 on one server
    assert "session 1" not in chats(other)
    assert chats(other)[0] == "session 2"  # the new conversation went to the idle server
    assert sorted(chats(a) + chats(b)) == sorted(["session 1"] * 4 + ["session 2", "session 3"])


def test_a_new_conversation_goes_to_the_least_busy_server(pooled, doubles):
    model, _ = pooled
    a, b = doubles
    turn(model, "warm A")
    turn(model, "warm B")
    busy = a if chats(a) == ["warm A"] else b
    assert chats(busy) == ["warm A"]
    a.script("a long reply " * 20)
    b.script("a long reply " * 20)
    held = stream_text(model, conversation("warm A", "more"), host="h", model="m")
    next(held)  # a reply is streaming on the server of "warm A"
    turn(model, "new while busy")
    assert "new while busy" not in chats(busy)
    held.close()


def test_a_failing_server_is_skipped_until_it_answers_again(pooled, doubles, caplog):
    model, clock = pooled
    a, b = doubles
    turn(model, "session 1")
    first = a if chats(a) else b
    other = b if first is a else a
    first.stop()

    # The session's next turn fails over to the other server before any text arrived.
    assert turn(model, "session 1", "again")
    assert chats(other)[-1] == "session 1"
    assert any(first.url in r.message and "skipping" in r.message for r in caplog.records)
    # New conversations avoid the failed server while its skip window lasts ...
    first.start()
    for name in ("s2", "s3", "s4"):
        turn(model, name)
    assert chats(first) == ["session 1"]
    # ... and use it again once the window has passed and it answered.
    clock.now += 31
    for name in ("s5", "s6"):
        turn(model, name)
    assert len(chats(first)) > 1
    assert any("answers again" in r.message for r in caplog.records)


def test_every_server_down_gives_one_clear_message_naming_them(doubles, tmp_path):
    a, b = doubles
    settings = Settings(
        data_dir=tmp_path / "data", ollama_host=f"{a.url},{b.url}", connect_timeout=1
    )
    services = build_services(settings)
    a.stop()
    b.stop()
    mode = services.modes["reflect"]
    session = mode.start(services.store.user_id(), "en")
    with pytest.raises(CoachError) as caught:
        list(mode.respond(session, "Is anyone there?"))
    assert a.url in caught.value.en and b.url in caught.value.en
    assert a.url in caught.value.da
    user_turns = [t for t in services.store.turns(session.id) if t.role == "user"]
    assert [t.text for t in user_turns] == ["Is anyone there?"]  # the user's words are kept
