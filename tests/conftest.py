"""Every test gets its own data directory and never reaches a real Ollama by accident."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Point every data path at a tmp dir and Ollama at a closed port (STYLE.md habit)."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")
    for name in ("COACH_OLLAMA_HOST", "COACH_MODEL", "COACH_HOST", "COACH_PORT", "COACH_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    # A warm-up is a real /api/chat request: it would take a reply scripted for the double.
    # The tests of the warm-up (tests/integration/test_warm_up.py) turn it on.
    monkeypatch.setenv("COACH_WARM_UP", "false")
    yield
