"""Reliability tests use the Ollama double's fault injection (the only test double)."""

from tests.integration.conftest import double, settings  # noqa: F401
