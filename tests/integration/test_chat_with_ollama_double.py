"""The reflect chat through the real ollama client and ChatOllama, against the Ollama double."""

import pytest

from assistant.errors import CoachError
from assistant.services import build_services


@pytest.fixture
def services(settings):
    return build_services(settings)


def start(services, lang="en"):
    return services.modes["reflect"].start(services.store.user_id(), lang)


def test_reply_streams_through_chat_ollama_with_settings(services, double):
    session = start(services)
    double.script("What would a good outcome look like for you?")
    snapshots = list(services.modes["reflect"].respond(session, "Tomorrow I give feedback."))
    assert snapshots[-1] == "What would a good outcome look like for you?"
    assert len(snapshots) >= 5  # token by token, not one block
    request = double.requests_for("/api/chat")[-1].body
    assert request["model"] == "gemma3:4b"
    assert request["options"]["num_ctx"] == services.settings.num_ctx
    assert request["messages"][0]["role"] == "system"
    newest = request["messages"][-1]
    assert newest["role"] == "user"
    assert newest["content"].startswith("<session-stage>")  # the note leads the words
    assert newest["content"].endswith("</session-stage>\n\nTomorrow I give feedback.")
    reply = services.store.turns(session.id)[-1]
    assert reply.status == "complete" and reply.prompt_tokens and reply.completion_tokens


def test_stream_cut_mid_reply_stores_user_turn_and_partial_reply(services, double):
    session = start(services)
    double.script("So what I'm hearing is that the deadline worries you most.")
    double.fault("cut_after", 3)
    with pytest.raises(CoachError) as caught:
        list(services.modes["reflect"].respond(session, "The deadline is Friday."))
    assert caught.value.code == "stream_broken"
    turns = services.store.turns(session.id)
    assert turns[-2].text == "The deadline is Friday."
    assert turns[-1].status == "interrupted"
    assert turns[-1].text == "So what I'm"


def test_retry_works_once_ollama_is_back(services, double):
    session = start(services)
    double.stop()
    with pytest.raises(CoachError) as caught:
        list(services.modes["reflect"].respond(session, "Are you there?"))
    assert caught.value.code == "ollama_unreachable"
    assert "ollama serve" in caught.value.en and "ollama serve" in caught.value.da
    double.start()
    double.script("What made you ask that?")
    assert list(services.modes["reflect"].retry(session))[-1] == "What made you ask that?"
    turns = services.store.turns(session.id)
    assert [t.text for t in turns[1:]] == ["Are you there?", "What made you ask that?"]


def test_unknown_model_gives_a_pull_hint(settings, double):
    double.set_models([])
    services = build_services(settings)
    session = start(services)
    with pytest.raises(CoachError) as caught:
        list(services.modes["reflect"].respond(session, "Hello"))
    assert caught.value.code == "model_missing"
    assert "ollama pull gemma3:4b" in caught.value.en


def test_server_error_and_slow_first_token_are_reported(services, double, settings):
    session = start(services)
    double.fault("server_error")
    with pytest.raises(CoachError) as caught:
        list(services.modes["reflect"].respond(session, "One"))
    assert caught.value.code == "ollama_error"
    fast = settings.model_copy(update={"first_token_timeout": 0.3, "idle_timeout": 0.3})
    slow_services = build_services(fast)
    double.fault("first_token_delay", 2.0)
    with pytest.raises(CoachError) as caught:
        list(slow_services.modes["reflect"].respond(session, "Two"))
    assert caught.value.code == "timeout"
    assert [t.text for t in services.store.turns(session.id) if t.role == "user"] == ["One", "Two"]


def test_danish_session_sends_danish_system_prompt(services, double):
    session = start(services, "da")
    list(services.modes["reflect"].respond(session, "Jeg skal give min kollega feedback."))
    system = double.requests_for("/api/chat")[-1].body["messages"][0]["content"]
    assert "Svar altid på dansk" in system
