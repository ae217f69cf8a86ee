"""End-to-end fixtures: `python app.py` as a subprocess, pointed at the Ollama double.

The double (tests/fixtures/ollama_double.py) runs in the test process on a real socket; it is
the only test double, standing in for an Ollama server, which cannot run on the CI machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.fixtures.ollama_double import OllamaDouble

ROOT = Path(__file__).resolve().parents[2]
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningApp:
    """A `python app.py` process and how to reach it."""

    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_app(data_dir: Path, ollama_url: str, tmp_path: Path, **env: str) -> RunningApp:
    """Start the app and wait until its page answers 200."""
    port = free_port()
    log = tmp_path / f"app-{port}.log"
    environment = {
        **os.environ,
        "COACH_DATA_DIR": str(data_dir),
        "COACH_PORT": str(port),
        "OLLAMA_HOST": ollama_url,
        "COACH_FIRST_TOKEN_TIMEOUT": "10",
        "COACH_IDLE_TIMEOUT": "10",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=environment, stdout=handle, stderr=handle
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app exited early:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return RunningApp(url, data_dir, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"app did not start in time:\n{log.read_text(errors='replace')}")


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
