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
def store(tmp_path, database_url):
    """A migrated store: SQLite in the test's tmp dir, or a fresh PostgreSQL schema (each test
    that uses it runs on both; see tests/conftest.py)."""
    if database_url is None:
        store = Store(tmp_path / "coach.sqlite3")
    else:
        from assistant.store.postgres_store import PostgresStore

        store = PostgresStore(database_url)
    store.migrate()
    yield store
    if database_url is not None:
        store.close()  # its pool; a SQLite store's files may be left unwritable by the test


@pytest.fixture
def model():
    """The scripted chat model (no sockets); it records every request."""
    return ScriptedChatModel()
