"""One rehearsal in headless Chromium against `python app.py` and the Ollama double: scenario
choice, turns, a time-out, a rewind and the debrief."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot

# The debrief's four short sections, as the model writes them (one request each).
DEBRIEF = (
    "1. One concrete example.\n2. An open question.",
    "TRY: reflecting his frustration.\nSAY: It sounds like you're pulled between two teams.",
    "1. 4 - Named Tuesday.\n2. 2 - Not yet.\n3. 3 - Asked once.\n4. 1 - Not reached.",
    "FELT: Nervous at first, then less defensive.\nLANDED: Being asked what got in the way.",
)


def send(page: Page, text: str) -> None:
    """Send a line. Gradio skips a click on Send while that button's previous event is
    still submitted (trigger mode "once": Blocks' ``submissions.has(dep.id)``), which it
    can be for a moment after its reply is shown; so click while the box still holds the
    line. The box is emptied by the send that takes the line, at its first update, and
    that send stays submitted (further clicks skipped) until it ends: the line is sent
    once, however slow the machine. Waits for the state (box emptied, line shown)."""
    box = page.locator("#rehearse-message textarea")
    box.fill(text)
    chat = page.locator("#rehearse-chat")
    while box.input_value() == text:
        page.locator("#rehearse-send").click()
        try:
            expect(box).not_to_have_value(text, timeout=1_000)  # how often to look again
        except AssertionError:
            continue
    expect(chat).to_contain_text(text)


def test_rehearsal_from_scenario_to_debrief(running_app, double, page):
    double.script(
        "Fine. But you always change the requirements at the last minute.",
        "Hm.",
        'Try reflecting first: "Sounds like the requirements keep moving for you."',
        "Honestly? The second team gets priority now. Nobody told you?",
        *DEBRIEF,
    )
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Rehearse").click()
    expect(page.locator("#rehearse-details")).to_contain_text("Success criteria")
    expect(page.locator("#rehearse-details")).to_contain_text("Daniel")
    page.locator("#rehearse-difficulty").get_by_text("Resistant").click()
    page.locator("#rehearse-start").click()
    chat = page.locator("#rehearse-chat")
    expect(chat).to_contain_text("Is this about the report?")

    send(page, "Last Tuesday the extract came two days late.")
    expect(chat).to_contain_text("change the requirements")
    send(page, "You are always late.")
    expect(chat).to_contain_text("Hm.")

    hint = page.locator("#rehearse-hint")
    # One click: Gradio skips a click only while the same button's own earlier event is
    # still submitted, and there is none. (Clicking again "until the hint shows" was the
    # flake of issue #15: on a loaded machine a second click got through and asked for a
    # second hint, using up the next scripted reply.) Wait for the model's request, then
    # for the hint.
    asked = len(double.requests_for("/api/chat"))
    page.locator("#rehearse-timeout").click()
    expect(hint).to_contain_text("Coach's hint")
    expect(hint).to_contain_text("Sounds like the requirements")
    assert len(double.requests_for("/api/chat")) == asked + 1
    expect(chat).not_to_contain_text("Sounds like the requirements")

    page.locator("#rehearse-rewind-to input").click()
    page.get_by_role("option", name="2. You are always late.").click()
    page.locator("#rehearse-rewind").click()
    expect(page.locator("#rehearse-message textarea")).to_have_value("You are always late.")
    expect(chat).not_to_contain_text("Hm.")
    send(page, "What has been getting in the way?")
    expect(chat).to_contain_text("The second team gets priority")
    page.locator("#rehearse-branch input").click()
    expect(page.get_by_role("option", name="You are always late. (2)")).to_be_visible()
    page.keyboard.press("Escape")

    page.locator("#rehearse-end").click()
    debrief = page.locator("#rehearse-debrief")
    expect(debrief).to_contain_text("What worked")
    expect(debrief).to_contain_text("One thing you could try next time is")
    # Each section's arrival re-renders the debrief (closing any passage opened meanwhile):
    # wait until it is finished (no section still to come, the "Writing" notice cleared).
    expect(debrief.locator(".coach-pending")).to_have_count(0)
    expect(page.locator("#rehearse-notice")).not_to_contain_text("Writing your debrief")
    text = debrief.inner_text()
    assert text.index("What worked") < text.index("To try next time")
    summary = debrief.locator("summary").first
    expect(summary).to_be_visible()
    summary.click()
    expect(debrief.locator("details").first).to_have_attribute("open", "")
    shot = screenshot(page, "rehearse-debrief")
    assert shot.stat().st_size > 10_000
