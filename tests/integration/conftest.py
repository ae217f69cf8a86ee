"""Integration fixtures: the Ollama HTTP double (the only test double; no real Ollama can run
here) and settings pointing at it."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from tests.fixtures.ollama_double import OllamaDouble


@pytest.fixture
def double():
    with OllamaDouble() as server:
        yield server


@pytest.fixture
def settings(double, tmp_path, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", double.url)
    return Settings(data_dir=tmp_path / "data", first_token_timeout=5, idle_timeout=5)
