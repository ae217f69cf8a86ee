"""End-to-end fixtures: `python app.py` as a subprocess, pointed at the Ollama double.

The double (tests/fixtures/ollama_double.py) runs in the test process on a real socket; it is
the only test double, standing in for an Ollama server, which cannot run on the CI machine.

Every test that starts an app (``app_factory``, ``running_app``) runs twice, ``[sqlite]`` and
``[postgresql]``: on PostgreSQL each data dir of the test gets a fresh schema on the test
run's one throwaway server (tests/fixtures/postgres.py). A test marked ``sqlite_only`` (about
the SQLite file itself) runs on SQLite only; one that asks for the ``postgres`` server itself
(several processes on one shared database) runs on PostgreSQL only. Read what an app stored
with ``RunningApp.rows`` / ``RunningApp.open_store`` (see tests/fixtures/app_process.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fixtures.app_process import ROOT, AppFactory, RunningApp, free_port
from tests.fixtures.app_process import start_app as start_app_process
from tests.fixtures.ollama_double import OllamaDouble

__all__ = ["ROOT", "AppFactory", "RunningApp", "free_port", "start_app"]

ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.e2e

APP_BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "app_backend" not in metafunc.fixturenames:
        return
    backends: list[str] = list(APP_BACKENDS)
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        backends = ["sqlite"]
    elif "postgres" in metafunc.fixturenames:  # several processes on one PostgreSQL server
        backends = ["postgresql"]
    metafunc.parametrize("app_backend", backends, indirect=True)


def start_app(data_dir: Path, ollama_url: str, tmp_path: Path, **env: str) -> RunningApp:
    """Start the app with short Ollama timeouts and wait until its page answers 200."""
    timeouts = {"COACH_FIRST_TOKEN_TIMEOUT": "10", "COACH_IDLE_TIMEOUT": "10"}
    return start_app_process(data_dir, ollama_url, tmp_path, **{**timeouts, **env})


@pytest.fixture
def double() -> Iterator[OllamaDouble]:
    with OllamaDouble(token_delay=0.03) as server:
        yield server


@pytest.fixture
def app_backend(request) -> str:
    """The database the test's apps use: "sqlite" or "postgresql"."""
    return str(request.param)


@pytest.fixture
def app_factory(tmp_path, app_backend, request) -> Iterator[AppFactory]:
    """Start apps on demand (``app_factory(ollama_url, data_dir=None, **env)``) on this run's
    backend; all are stopped at the end of the test, then their schemas are dropped."""
    with ExitStack() as schemas:
        new_database = None
        if app_backend == "postgresql":
            server = request.getfixturevalue("postgres")

            def new_database() -> str:
                return schemas.enter_context(server.schema())

        factory = AppFactory(tmp_path, new_database, start=start_app)
        try:
            yield factory
        finally:
            factory.stop_all()


@pytest.fixture
def running_app(app_factory, double) -> RunningApp:
    return app_factory(double.url)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see README)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Pages wait on a real app on a busy 2-core machine: give assertions room.
expect.set_options(timeout=15_000)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Keep a screenshot as a CI artefact under the git-ignored artifacts/ folder."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def settled(scope) -> None:
    """Wait until no output in ``scope`` is still held by a streaming event. Gradio marks an
    event's outputs (their status tracker, an accent border on the page) until the event has
    ended, not only until its last update is shown; an edit made in between can be
    overwritten as the event ends (seen on a loaded machine: an edited field saved with the
    draft's words)."""
    expect(scope.locator('[data-testid="status-tracker"].generating')).to_have_count(0)
