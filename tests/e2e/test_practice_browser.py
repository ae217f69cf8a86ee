"""Practice coaching in Chromium: the model is the coachee, the live badge labels each line,
and the end shows the counts against MITI thresholds (Ollama double)."""

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot


def say(page: Page, text: str) -> None:
    page.locator("#practice-message textarea").fill(text)
    page.locator("#practice-send").click()


def test_practice_session_with_live_badge_and_final_counts(running_app, double, page):
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Practice coaching").click()
    page.locator("#practice-start").click()
    chat = page.locator("#practice-chat")
    expect(chat.locator(".message").first).to_be_visible()

    double.script("Well... I guess. I just do everything myself.")
    say(page, "Did you try delegating?")
    expect(page.locator("#practice-badge")).to_contain_text("Closed questions")
    expect(page.locator("#practice-badge")).to_contain_text("Try opening it")
    expect(chat).to_contain_text("I just do everything myself.")

    double.script("Because if it goes wrong, it's on me. My last boss made sure of that.")
    say(page, "What makes it hard to hand things over?")
    expect(page.locator("#practice-badge")).to_contain_text("Open questions")
    expect(chat).to_contain_text("My last boss made sure of that.")

    double.script("Yes. Exactly that.")
    say(page, "So it sounds like you are protecting yourself from blame.")
    expect(chat).to_contain_text("Exactly that.")

    page.locator("#practice-end").click()
    report = page.locator("#practice-report")
    expect(report).to_contain_text("Your listening, counted")
    expect(report).to_contain_text("Reflections per question")
    expect(report).to_contain_text("MITI 4")
    report.locator("details").first.click()
    expect(report).to_contain_text("Did you try delegating?")
    expect(page.locator("#practice-debrief")).not_to_be_empty(timeout=60_000)
    screenshot(page, "practice-counts")
