"""Live labels in headless Chromium against `python app.py` and the Ollama double (issue #18):
chips under the user's line in Rehearse and Q&A, the toggle that hides them, and the openness
chart after a rehearsal's debrief."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_qa_browser import NOTES, open_tab
from tests.e2e.test_rehearse_browser import send


def test_rehearse_chips_the_toggle_and_the_openness_chart(running_app, double, page: Page):
    double.script("Whatever.", "Well... the second team gets priority now.")
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#rehearse-start").click()
    chat = page.locator("#rehearse-chat")
    expect(chat).to_contain_text("Is this about the report?")

    send(page, "You always deliver late.")
    expect(chat).to_contain_text("Whatever.")
    blame = chat.locator(".chip-blame")
    expect(blame).to_have_text("blame")
    expect(chat.locator(".turn-tip")).to_contain_text("without 'always' or 'never'")
    send(page, "It sounds like the priorities keep shifting under you.")
    expect(chat).to_contain_text("second team")
    expect(chat.locator(".chip-reflection_complex")).to_have_count(1)

    page.locator("#rehearse-chips input").uncheck()
    expect(chat.locator(".turn-chip")).to_have_count(0)
    expect(chat).to_contain_text("You always deliver late.")

    page.locator("#rehearse-end").click()
    chart = page.locator("#rehearse-openness")
    expect(chart.locator("polyline")).to_have_count(1)
    expect(chart.locator("circle")).to_have_count(3)
    expect(chart).to_contain_text(
        "Daniel opened up after: 'It sounds like the priorities keep shifting under you.'"
    )
    expect(chart).to_contain_text("Daniel closed down after: 'You always deliver late.'")
    expect(page.locator("#rehearse-debrief")).not_to_have_text("")


def test_qa_answer_gets_chips(running_app, double, page: Page):
    double.script(
        "[§2] Where does the eighteen-month payback come from?",
        "[§3] What decides whether the pilot goes on?",
    )
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    open_tab(page, "Q&A practice")
    page.locator("#qa-notes textarea").fill(NOTES)
    page.locator("#qa-start").click()
    chat = page.locator("#qa-chat")
    expect(chat).to_contain_text("eighteen-month payback")
    answer = "I don't know the exact split yet. I'll get back to you with it by Friday."
    box = page.locator("#qa-message textarea")
    box.fill(answer)
    for _ in range(20):  # a click while the previous event finishes is ignored; click again
        if box.input_value() != answer:
            break
        page.locator("#qa-send").click()
        try:
            expect(chat).to_contain_text(answer, timeout=1_000)
            break
        except AssertionError:
            continue
    expect(chat).to_contain_text("What decides whether the pilot goes on?")
    expect(chat.locator(".chip-admitted_not_knowing")).to_have_text(
        "admitted not knowing, offered a follow-up"
    )
