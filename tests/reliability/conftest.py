"""Reliability tests use the Ollama double's fault injection (the only test double).

Their ``settings`` run each test on both store backends (SQLite, and PostgreSQL on the test
run's throwaway server; see tests/conftest.py), except tests marked ``sqlite_only``.
"""

import pytest

from assistant.config import Settings
from tests.integration.conftest import double  # noqa: F401


@pytest.fixture
def settings(double, tmp_path, monkeypatch, database_url):  # noqa: F811
    monkeypatch.setenv("OLLAMA_HOST", double.url)
    return Settings(
        data_dir=tmp_path / "data",
        first_token_timeout=5,
        idle_timeout=5,
        database_url=database_url,
    )


@pytest.fixture(scope="session")
def embedding():
    """The real MiniLM embedding, loaded once for the suite (about half a second)."""
    from assistant.knowledge import MiniLMEmbedding

    function = MiniLMEmbedding()
    function.warm_up()
    return function
