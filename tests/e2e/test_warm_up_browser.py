"""The warm-up notice in headless Chromium: opening the page warms Reflect's first prefix,
and while the model "loads" (the double holds the first warm-up's answer) the page says so
with a progress bar; the notice goes once the warm-ups are done."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from playwright.sync_api import expect


def wait_for(condition: Callable[[], object]) -> None:
    """Until ``condition()`` holds; only a broken app waits the 60 s bound (the double records
    each request as it arrives, outside the page)."""
    deadline = time.monotonic() + 60
    while not condition() and time.monotonic() < deadline:
        threading.Event().wait(0.02)


def test_the_page_says_the_model_is_loading_until_the_warm_up_is_done(app_factory, double, page):
    double.script({"content": "x", "fault": {"pause_after": 0}})  # the warm-up's answer, held
    running = app_factory(double.url, COACH_WARM_UP="true")
    page.goto(running.url)
    notice = page.locator("#warm-up")
    expect(notice).to_contain_text("Loading the model…")
    expect(notice.locator("progress")).to_have_count(1)
    double.release()
    expect(notice.locator("progress")).to_have_count(0)
    expect(notice).not_to_contain_text("Loading")

    # Reflect's opening warms its whole first prefix (with the stage note its first message
    # leads with); the page's head warm-up (Reflect's prompt head) goes out first unless
    # that prefix was already being read, and the prefix is then sent once the head's read
    # has ended (the two page-load events run in either order).
    # (The app's start asked for the model's load first: a request with no messages.)
    # The opening is built as Reflect's tab renders, which may come after the head's read
    # ended and the notice went (slower with PostgreSQL): wait for its request.
    def warm_ups() -> list:
        return [w for w in double.requests_for("/api/chat") if w.body["messages"]]

    wait_for(lambda: any(len(w.body["messages"]) > 1 for w in warm_ups()))
    warms = warm_ups()
    assert 1 <= len(warms) <= 2
    assert all(w.body["options"]["num_predict"] == 1 for w in warms)
    *head, full = warms
    assert [m["role"] for m in full.body["messages"]] == ["system", "assistant", "user"]
    assert full.body["messages"][-1]["content"].startswith("<session-stage>")
    for warm in head:
        [system] = warm.body["messages"]
        assert full.body["messages"][0]["content"].startswith(system["content"])


def test_the_app_asks_ollama_to_load_the_model_as_it_starts(app_factory, double):
    # Before any page opens: the app's start alone sends the load (no messages: it reads
    # nothing), with the options the real requests use (another num_ctx would reload it).
    app_factory(double.url, COACH_WARM_UP="true")
    wait_for(lambda: double.requests_for("/api/chat"))  # no page is open
    [load] = double.requests_for("/api/chat")
    assert load.body["messages"] == []
    assert load.body["options"]["num_ctx"] == 8192
    assert "keep_alive" in load.body
