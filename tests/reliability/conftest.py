"""Reliability tests use the Ollama double's fault injection (the only test double)."""

import pytest

from tests.integration.conftest import double, settings  # noqa: F401


@pytest.fixture(scope="session")
def embedding():
    """The real MiniLM embedding, loaded once for the suite (about half a second)."""
    from assistant.knowledge import MiniLMEmbedding

    function = MiniLMEmbedding()
    function.warm_up()
    return function
