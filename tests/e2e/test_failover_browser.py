"""Issue #19's fault test in Chromium: two `python app.py` processes on one PostgreSQL store,
sign-in on, behind the benchmark's sticky proxy (bench/sticky_proxy.py). The process the
browser's session is stuck to is killed (SIGKILL) mid-reply; the user's line stays stored, the
other process's heartbeat marks the partial reply interrupted, and the same browser, reloaded
through the proxy, reaches the other process still signed in, sees the line and the
interrupted reply, and a Retry there gets a complete reply.

The conversation is Reflect's, the chat with a Retry button (Rehearse offers a resend only for
a reply that failed before its first word). The app processes run against the Ollama double
(tests/fixtures/ollama_double.py, the only test double). Every wait is for a state: the page
(expect) or the store (polled until a row is as expected).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, free_port, screenshot
from tests.fixtures.app_process import stop_process

PASSWORD = "ann-password-1"
LINE = "I keep putting off the talk with Sam about his late reports."
# Long enough that the partial reply is saved (every half second) before the double pauses.
REPLY = " ".join(
    ["So this talk with Sam has been on your mind for a while, and putting it off"]
    + ["has its own cost for you and for him as the weeks go by without a word"] * 3
)
PAUSE_AFTER = 40
RETRIED = "What would you most like Sam to hear from you first?"


def add_user(database_url: str, name: str, password: str) -> None:
    """`coach user add NAME --password-stdin` against the shared database."""
    result = subprocess.run(
        [sys.executable, "-c", "from assistant.cli import main; main()", "user", "add", name]
        + ["--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COACH_DATABASE_URL": database_url},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def start_proxy(backends: list[str]) -> tuple[subprocess.Popen[str], str]:
    """bench/sticky_proxy.py in front of the backends; returns it once it says it is ready."""
    command = [sys.executable, str(ROOT / "bench" / "sticky_proxy.py")]
    command += ["--port", str(free_port())]
    for backend in backends:
        command += ["--backend", backend]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    return process, json.loads(process.stdout.readline())["ready"]


def wait_for_row(
    database_url: str, sql: str, done: Callable[[tuple[Any, ...]], bool], limit: float = 60
) -> tuple[Any, ...]:
    """Poll the store until the first row of ``sql`` satisfies ``done``; fail after ``limit``."""
    deadline = time.monotonic() + limit
    row: tuple[Any, ...] | None = None
    while time.monotonic() < deadline:
        with psycopg.connect(database_url) as db:
            row = db.execute(sql).fetchone()  # type: ignore[arg-type]
        if row is not None and done(row):
            return row
        time.sleep(0.1)  # how often to look again, not a wait for an outcome
    pytest.fail(f"the store never reached the state: last row {row!r}")


LAST_REPLY = (
    "SELECT text, status, stream_owner FROM turns WHERE role = 'assistant' ORDER BY id DESC"
)
USER_LINE = "SELECT text FROM turns WHERE role = 'user' ORDER BY id DESC"


@pytest.fixture
def behind_proxy(app_factory, double, postgres, tmp_path) -> Iterator[tuple[str, str, dict]]:
    with postgres.schema() as url:
        add_user(url, "ann", PASSWORD)
        env = {
            "COACH_DATABASE_URL": url,
            "GRADIO_TEMP_DIR": str(tmp_path / "gradio"),
            # Beat often and give up on a silent process soon: the test waits for the
            # interrupted mark, so a shorter wait only makes it quicker.
            "COACH_PROCESS_HEARTBEAT": "0.5",
            "COACH_PROCESS_STALE_AFTER": "3",
        }
        shared = tmp_path / "data"  # one COACH_DATA_DIR for both
        apps = [app_factory(double.url, data_dir=shared, **env) for _ in range(2)]
        proxy, proxy_url = start_proxy([app.url for app in apps])
        try:
            yield proxy_url, url, {app.process.pid: app for app in apps}
        finally:
            stop_process(proxy, timeout=10)  # type: ignore[arg-type]
            for app in apps:
                app.stop()


def test_a_killed_process_loses_only_its_reply_and_the_browser_carries_on(
    behind_proxy, double, page
):
    proxy_url, database_url, apps = behind_proxy
    double.script({"content": REPLY, "fault": {"pause_after": PAUSE_AFTER}})

    page.goto(proxy_url)
    page.get_by_label("username").fill("ann")
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.locator("#message textarea").fill(LINE)
    page.locator("#send").click()
    expect(page.locator("#chat")).to_contain_text("So this talk with Sam")

    # The partial reply is in the database, stamped by the process streaming it.
    text, status, owner = wait_for_row(
        database_url, LAST_REPLY, lambda row: bool(row[0]) and row[1] == "streaming"
    )
    stuck = apps[int(owner.split(":")[1])]
    survivor = next(app for pid, app in apps.items() if app is not stuck)
    stuck.process.send_signal(signal.SIGKILL)
    stuck.process.wait()
    double.release()

    # The user's line is kept; the other process's heartbeat marks the reply interrupted.
    assert wait_for_row(database_url, USER_LINE, lambda row: True)[0] == LINE
    kept, status, _ = wait_for_row(database_url, LAST_REPLY, lambda row: row[1] == "interrupted")
    assert kept.startswith(text[: len(text) // 2].rstrip()) and kept != REPLY

    # The same browser, reloaded through the proxy, reaches the survivor still signed in.
    double.script(RETRIED)
    page.reload()
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    expect(page.get_by_label("username")).to_have_count(0)
    chat = page.locator("#chat")
    expect(chat).to_contain_text(LINE)
    expect(chat).to_contain_text("Interrupted")
    expect(chat).to_contain_text("So this talk with Sam")
    screenshot(page, "failover-interrupted")

    page.locator("#retry").click()
    expect(chat).to_contain_text(RETRIED)
    retried, _, owner = wait_for_row(database_url, LAST_REPLY, lambda row: row[1] == "complete")
    assert retried == RETRIED
    assert int(owner.split(":")[1]) == survivor.process.pid  # streamed by the other process
