"""End-to-end fixtures: `python app.py` as a subprocess, pointed at the Ollama double.

The double (tests/fixtures/ollama_double.py) runs in the test process on a real socket; it is
the only test double, standing in for an Ollama server, which cannot run on the CI machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fixtures.app_process import ROOT, RunningApp, free_port
from tests.fixtures.app_process import start_app as start_app_process
from tests.fixtures.ollama_double import OllamaDouble

__all__ = ["ROOT", "RunningApp", "free_port", "start_app"]

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


def start_app(data_dir: Path, ollama_url: str, tmp_path: Path, **env: str) -> RunningApp:
    """Start the app with short Ollama timeouts and wait until its page answers 200."""
    timeouts = {"COACH_FIRST_TOKEN_TIMEOUT": "10", "COACH_IDLE_TIMEOUT": "10"}
    return start_app_process(data_dir, ollama_url, tmp_path, **{**timeouts, **env})


@pytest.fixture
def double() -> Iterator[OllamaDouble]:
    with OllamaDouble(token_delay=0.03) as server:
        yield server


@pytest.fixture
def app_factory(tmp_path):
    """Start apps on demand; all are stopped at the end of the test."""
    started: list[RunningApp] = []

    def factory(ollama_url: str, data_dir: Path | None = None, **env: str) -> RunningApp:
        running = start_app(data_dir or tmp_path / "data", ollama_url, tmp_path, **env)
        started.append(running)
        return running

    yield factory
    for running in started:
        running.stop()


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
