"""Opt-in tier: the same chat against a real Ollama (OLLAMA_HOST, OLLAMA_TEST_MODEL).

Skipped with a reason when no server is reachable, as on the CI machine. These tests check
wiring with a real model, not coaching quality.
"""

from __future__ import annotations

import os

import httpx
import pytest

from assistant.config import Settings, normalize_ollama_host
from assistant.services import build_services

pytestmark = pytest.mark.ollama

# Read before the autouse fixture points OLLAMA_HOST at a closed port.
REAL_HOST = normalize_ollama_host(os.environ.get("OLLAMA_HOST", "127.0.0.1:11434"))
REAL_MODEL = os.environ.get("OLLAMA_TEST_MODEL", "")


@pytest.fixture
def real_settings(tmp_path):
    if not REAL_MODEL:
        pytest.skip("set OLLAMA_TEST_MODEL (e.g. gemma3:4b) to run against a real Ollama")
    try:
        tags = httpx.get(f"{REAL_HOST}/api/tags", timeout=3).json()
    except httpx.HTTPError as exc:
        pytest.skip(f"no Ollama reachable at {REAL_HOST} ({type(exc).__name__})")
    names = {m.get("model") or m.get("name") for m in tags.get("models", [])}
    if REAL_MODEL not in names and f"{REAL_MODEL}:latest" not in names:
        pytest.skip(f"model {REAL_MODEL} is not installed at {REAL_HOST}; run ollama pull")
    return Settings(ollama_host=REAL_HOST, model=REAL_MODEL, data_dir=tmp_path / "data")


@pytest.mark.parametrize("lang", ["en", "da"])
def test_reflect_chat_with_a_real_model(real_settings, lang):
    services = build_services(real_settings)
    reflect = services.modes["reflect"]
    session = reflect.start(services.store.user_id(), lang)
    text = {
        "en": "Next week I have to tell a colleague that his reports are always late.",
        "da": "I næste uge skal jeg sige til en kollega, at hans rapporter altid er forsinkede.",
    }[lang]
    snapshots = list(reflect.respond(session, text))
    assert len(snapshots) > 1, "the reply did not stream"
    reply = services.store.turns(session.id)[-1]
    assert reply.status == "complete" and reply.text.strip()
    assert reply.prompt_tokens and reply.prompt_tokens > 0
