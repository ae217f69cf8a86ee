"""The warm-up notice in headless Chromium: opening the page warms Reflect's first prefix,
and while the model "loads" (the double holds the warm-up's answer) the page says so with a
progress bar; the notice goes once the warm-up is done."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_page_says_the_model_is_loading_until_the_warm_up_is_done(app_factory, double, page):
    double.script({"content": "x", "fault": {"pause_after": 0}})  # the warm-up's answer, held
    running = app_factory(double.url, COACH_WARM_UP="true")
    page.goto(running.url)
    notice = page.locator("#warm-up")
    expect(notice).to_contain_text("Loading the model…")
    expect(notice.locator("progress")).to_have_count(1)
    [warm] = double.requests_for("/api/chat")
    assert warm.body["options"]["num_predict"] == 1

    double.release()
    expect(notice.locator("progress")).to_have_count(0)
    expect(notice).not_to_contain_text("Loading")
