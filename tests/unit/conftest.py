"""Unit tests run with network sockets disabled (pytest-socket)."""

from __future__ import annotations

import pytest
from pytest_socket import disable_socket, enable_socket

from assistant.store import Store
from tests.fixtures.fake_models import ScriptedChatModel


@pytest.fixture(autouse=True)
def no_network():
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()


@pytest.fixture
def store(tmp_path):
    """A migrated SQLite store in the test's tmp dir."""
    store = Store(tmp_path / "coach.sqlite3")
    store.migrate()
    return store


@pytest.fixture
def model():
    """The scripted chat model (no sockets); it records every request."""
    return ScriptedChatModel()
