"""The Progress tab's chart titles follow the page's language switch (Chromium against
`python app.py`; a Practice session's listening counts are written to the app's database
before the page opens, so its charts have data; no model is needed)."""

from __future__ import annotations

from playwright.sync_api import expect


def test_progress_chart_titles_switch_to_danish(running_app, page):
    with running_app.open_store() as store:
        user = store.user_id()
        practice = store.create_session(user, mode="practice", lang="en", system_prompt="S")
        metrics = {"reflection_to_question_ratio": 1.5, "percent_complex_reflections": 45}
        store.update_options(practice.id, skills={"metrics": metrics})

    page.goto(running_app.url)
    page.get_by_role("tab", name="Progress").click()
    chart = page.locator("#progress-percent_complex_reflections")
    expect(chart).to_contain_text("Complex reflections")
    page.get_by_label("Dansk").check()
    expect(chart).to_contain_text("Komplekse refleksioner")
    expect(chart).to_contain_text("Session (nummer · dato)")
