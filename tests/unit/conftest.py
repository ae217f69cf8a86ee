"""Unit tests run with network sockets disabled (pytest-socket)."""

from __future__ import annotations

import pytest
from pytest_socket import disable_socket, enable_socket


@pytest.fixture(autouse=True)
def no_network():
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()
