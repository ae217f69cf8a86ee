"""Every test gets its own data directory and never reaches a real Ollama by accident.

The store's tests run on both backends: a test that asks for ``database_url`` (or a fixture
built on it, such as the unit tests' ``store``) runs once on SQLite and once on PostgreSQL,
unless it is marked ``sqlite_only`` (it is about SQLite's file, locks or PRAGMAs). The
PostgreSQL server is a throwaway one, started once per test run (tests/fixtures/postgres.py);
each test gets a fresh schema on it.
"""

from __future__ import annotations

import pytest

from tests.fixtures.postgres import find_postgres_bin, postgres_server

BACKENDS = ("sqlite", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        backends = ["sqlite"] if only_sqlite else list(BACKENDS)
        metafunc.parametrize("store_backend", backends, indirect=True)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path, monkeypatch):
    """Point every data path at a tmp dir and Ollama at a closed port (STYLE.md habit)."""
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")
    for name in (
        "COACH_OLLAMA_HOST",
        "COACH_MODEL",
        "COACH_HOST",
        "COACH_PORT",
        "COACH_LANGUAGE",
        "COACH_DATABASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    # A warm-up is a real /api/chat request: it would take a reply scripted for the double.
    # The tests of the warm-up (tests/integration/test_warm_up.py) turn it on.
    monkeypatch.setenv("COACH_WARM_UP", "false")
    yield


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server for the whole test run."""
    if find_postgres_bin() is None:
        pytest.skip(
            "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in /usr/lib/postgresql); "
            "install Debian's postgresql package to run the PostgreSQL half of the store tests"
        )
    with postgres_server() as server:
        yield server


@pytest.fixture
def store_backend(request) -> str:
    """Which database this run of the test uses: "sqlite" or "postgres"."""
    return str(request.param)


@pytest.fixture
def database_url(store_backend, request):
    """None on SQLite; on PostgreSQL the URL of a fresh schema on the test server."""
    if store_backend == "sqlite":
        yield None
        return
    server = request.getfixturevalue("postgres")
    with server.schema() as url:
        yield url
