"""The conversation controls of Rehearse in headless Chromium against `python app.py` and the
Ollama double (the only double: no Ollama server can run here; issue #18): Stop mid-reply
keeps the partial reply and the line and the next line is answered (Rehearse, Practice
coaching, Q&A practice); the live openness meter toggle shows and hides the meter; History's
Resume shows a rehearsal with the page's toggles.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from tests.e2e.test_qa_browser import NOTES, open_tab
from tests.e2e.test_rehearse_browser import send

PARTIAL = "Well, I have"
REPLY = f"{PARTIAL} been swamped with the migration for weeks now."
LINE = "What has been getting in the way for you?"
NEXT = "It sounds like the priorities keep shifting under you."


def stored_stopped_reply(app, partial: str, limit: float = 30.0) -> str | None:
    """The stopped reply's words once its thread has stored all that arrived, ``partial``
    (None after ``limit``): the one place this file reads stored rows. Waits for that state,
    checking it again until then; the thread stores the words at the double's next chunk
    after the release (a save along the way may hold fewer; the final one never more, as
    the stop is seen before a new chunk is added)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        rows = app.rows(
            "SELECT text FROM turns WHERE role = 'assistant' AND status = 'interrupted' "
            "AND text != '' ORDER BY id DESC"
        )
        row = rows[0] if rows else None
        if row and partial in row[0]:
            return str(row[0])
        time.sleep(0.05)
    return None


def send_in(page: Page, prefix: str, text: str) -> None:
    """Send a line in the ``prefix`` tab, clicking while the box still holds it (a click
    while the previous event is still submitted is skipped; see ``send``)."""
    box = page.locator(f"#{prefix}-message textarea")
    box.fill(text)
    while box.input_value() == text:
        page.locator(f"#{prefix}-send").click()
        try:
            expect(box).not_to_have_value(text, timeout=1_000)  # how often to look again
        except AssertionError:
            continue
    expect(page.locator(f"#{prefix}-chat")).to_contain_text(text)


def stop_and_go_on(page: Page, app, double, prefix: str, partial: str, rest: str) -> str:
    """Stop the held reply in the ``prefix`` tab once it shows ``partial`` (all the double
    sends before it holds), then release the double: the page says so, marks the reply, and
    its words so far are stored without ``rest``; returns them."""
    chat = page.locator(f"#{prefix}-chat")
    expect(chat).to_contain_text(partial)
    page.locator(f"#{prefix}-stop").click()
    expect(page.locator(f"#{prefix}-notice")).to_contain_text("You stopped the reply")
    expect(chat).to_contain_text("ends here (stopped or cut off)")
    expect(chat).to_contain_text(partial)  # the words seen stay, stored or not yet
    double.release()
    stored = stored_stopped_reply(app, partial)
    assert stored is not None and partial in stored and rest not in stored, stored
    return stored


def start_rehearsal(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#rehearse-start").click()
    expect(page.locator("#rehearse-chat")).to_contain_text("Is this about the report?")


def test_stop_mid_reply_keeps_the_partial_reply_and_the_line(running_app, double, page):
    # The double holds the reply after three words until released: Stop comes mid-reply
    # however loaded the machine is.
    double.script({"content": REPLY, "fault": {"pause_after": 3}}, "The second team, mostly.")
    start_rehearsal(page, running_app.url)
    chat = page.locator("#rehearse-chat")
    send(page, LINE)
    expect(chat).to_contain_text(PARTIAL)

    page.locator("#rehearse-stop").click()
    expect(page.locator("#rehearse-notice")).to_contain_text("You stopped the reply")
    expect(chat).to_contain_text(LINE)
    expect(chat).to_contain_text("The reply ends here")
    expect(chat).to_contain_text(PARTIAL)  # the words seen stay, stored or not yet
    expect(chat.locator(".chip-open_question")).to_have_count(1)  # the line keeps its chips
    double.release()
    stored = stored_stopped_reply(running_app, PARTIAL)
    assert stored is not None and stored.startswith(PARTIAL), stored
    assert "for weeks now" not in stored

    send(page, NEXT)
    expect(chat).to_contain_text("The second team, mostly.")
    expect(chat).to_contain_text(PARTIAL)
    expect(chat).not_to_contain_text("for weeks now")
    expect(chat).to_contain_text(LINE)
    # The model was asked with the kept line and the stopped reply's words before the new line.
    sent = double.requests_for("/api/chat")[-1].body["messages"]
    said = [(m["role"], m["content"]) for m in sent]
    assert ("assistant", stored) in said
    assert [text for role, text in said if role == "user" and LINE in text]
    assert NEXT in said[-1][1]


def test_the_meter_toggle_shows_and_hides_the_openness_meter(running_app, double, page):
    held = {"content": "Shifting is one word for it. Every week.", "fault": {"pause_after": 2}}
    double.script("The second team, mostly.", held)
    start_rehearsal(page, running_app.url)
    chat = page.locator("#rehearse-chat")
    meter = chat.locator(".turn-chip-meter")
    toggle = page.locator("#rehearse-meter input")
    expect(toggle).not_to_be_checked()  # COACH_OPENNESS_METER is off by default
    send(page, LINE)
    expect(chat).to_contain_text("The second team, mostly.")
    expect(chat.locator(".chip-open_question")).to_have_count(1)
    expect(meter).to_have_count(0)

    toggle.check()
    expect(meter).to_have_text("openness 5/10")  # realistic starts at 4; an open question
    # With the chips off the meter stays on its own.
    page.locator("#rehearse-chips input").uncheck()
    expect(chat.locator(".chip-open_question")).to_have_count(0)
    expect(meter).to_have_text("openness 5/10")
    toggle.uncheck()
    expect(chat.locator(".turn-chip")).to_have_count(0)
    expect(chat).to_contain_text(LINE)

    # Live: the new line's level shows while its reply is still held by the double.
    toggle.check()
    expect(meter).to_have_count(1)
    send(page, NEXT)
    expect(chat).to_contain_text("Shifting is")
    expect(meter).to_have_text(["openness 5/10", "openness 6/10"])  # a complex reflection
    double.release()
    expect(chat).to_contain_text("Every week.")
    expect(meter).to_have_text(["openness 5/10", "openness 6/10"])


def test_resume_from_history_keeps_the_page_toggles(running_app, double, page):
    double.script("The second team, mostly.")
    start_rehearsal(page, running_app.url)
    chat = page.locator("#rehearse-chat")
    send(page, LINE)
    expect(chat).to_contain_text("The second team, mostly.")
    page.locator("#rehearse-chips input").uncheck()
    page.locator("#rehearse-meter input").check()
    expect(chat.locator(".chip-open_question")).to_have_count(0)

    page.locator("#rehearse-start").click()  # leave it for a new one
    expect(chat).not_to_contain_text(LINE)
    page.get_by_role("tab", name="History").click()
    page.locator("#history-pick input").click()
    page.get_by_role("option").filter(has_text="missing deadlines").last.click()
    expect(page.locator("#history-transcript")).to_contain_text(LINE)
    page.locator("#history-resume").click()
    expect(chat).to_contain_text(LINE)
    expect(chat.locator(".turn-chip-meter")).to_have_text("openness 5/10")
    expect(chat.locator(".chip-open_question")).to_have_count(0)


def test_stop_in_practice_coaching_keeps_the_partial_reply(running_app, double, page):
    said = "Because if it goes wrong, it's on me. My last boss made sure of that."
    double.script({"content": said, "fault": {"pause_after": 4}}, "Yes. Exactly that.")
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Practice coaching").click()
    page.locator("#practice-start").click()
    chat = page.locator("#practice-chat")
    expect(chat.locator(".message").first).to_be_visible()
    first = "What makes it hard to hand things over?"
    send_in(page, "practice", first)
    stop_and_go_on(page, running_app, double, "practice", "Because if it goes", "last boss")

    send_in(page, "practice", "So it sounds like you are protecting yourself from blame.")
    expect(chat).to_contain_text("Exactly that.")
    expect(chat).to_contain_text("Because if it")
    expect(chat).to_contain_text(first)
    expect(chat).not_to_contain_text("last boss")


def test_stop_in_qa_practice_keeps_the_partial_question(running_app, double, page):
    held = {
        "content": "[§3] What decides whether the pilot goes on after the first quarter?",
        "fault": {"pause_after": 4},
    }
    double.script(
        "[§2] Where does the eighteen-month payback come from?",
        held,
        "[§1] Who enters the orders today?",
    )
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    open_tab(page, "Q&A practice")
    page.locator("#qa-notes textarea").fill(NOTES)
    page.locator("#qa-start").click()
    chat = page.locator("#qa-chat")
    expect(chat).to_contain_text("eighteen-month payback")
    answer = "From the twelve hours a week we stop spending on manual entry."
    send_in(page, "qa", answer)
    stop_and_go_on(page, running_app, double, "qa", "What decides whether", "first quarter")

    send_in(page, "qa", "It goes on if the error rate halves in the pilot.")
    expect(chat).to_contain_text("Who enters the orders today?")
    expect(chat).to_contain_text("What decides")
    expect(chat).to_contain_text(answer)
    expect(chat).not_to_contain_text("first quarter")
