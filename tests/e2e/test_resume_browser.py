"""Debriefs that become goals, resuming a rehearsal from History, exporting everything on
demand, and the Q&A round's debrief, in headless Chromium against `python app.py` and the
Ollama double (the only double: no Ollama server can run here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_qa_browser import open_tab
from tests.e2e.test_rehearse_browser import DEBRIEF, send

LINE = "Last Tuesday the extract came two days late. What has been getting in the way?"

QA_DEBRIEF = (
    "1. The number came first.\n2. Said where it comes from.",
    "TRY: naming the risk yourself.\nSAY: The risk is adoption; the pilot has a stop point.",
    "\n".join(f"{n}. 3 - Partly." for n in range(1, 6)),
    "FELT: Less worried.\nLANDED: The source.",
)


def test_debrief_goal_resume_and_export_all(running_app, double, page):
    double.script("Fine. Nobody told you about the second team?", *DEBRIEF)
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#rehearse-start").click()
    chat = page.locator("#rehearse-chat")
    expect(chat).to_contain_text("Is this about the report?")
    send(page, LINE)
    expect(chat).to_contain_text("Nobody told you about the second team?")

    page.locator("#rehearse-end").click()
    expect(page.locator("#rehearse-debrief")).to_contain_text("What worked")
    goal_text = page.locator("#rehearse-goal-text textarea")
    expect(goal_text).to_have_value(
        "One thing you could try next time is reflecting his frustration. "
        "“It sounds like you're pulled between two teams.”"
    )
    measure = page.locator("#rehearse-goal-measure textarea")
    # The criterion is the scenario's own text (the model only rates it).
    expect(measure).to_have_value(
        re.compile("“Agrees one concrete next step.*” is rated at least 2/5")
    )
    page.locator("#rehearse-goal-due textarea").fill("2026-12-18")
    page.locator("#rehearse-goal-save").click()
    expect(page.locator("#rehearse-goal-notice")).to_contain_text("Saved as a goal")
    screenshot(page, "rehearse-debrief-goal")

    page.get_by_role("tab", name="Goals").click()
    goal_cell = page.get_by_role("cell", name=re.compile("reflecting his frustration"))
    expect(goal_cell.first).to_be_visible()

    # Back in Rehearse, the new goal is checked in on before the next rehearsal.
    page.get_by_role("tab", name="Rehearse").click()
    check_in = page.locator("#rehearse-check-in-goals")
    expect(check_in).to_be_visible()
    expect(check_in).to_contain_text("between two teams.” (by 2026-12-18)")
    page.locator("#rehearse-check-in-answer textarea").fill("Tried it once with Daniel.")
    page.locator("#rehearse-check-in-save").click()
    expect(page.locator("#rehearse-check-in-notice")).to_contain_text("Check-in saved")
    expect(check_in).to_be_hidden()

    # Leave the rehearsal, then come back to it from History.
    page.locator("#rehearse-start").click()
    expect(chat).not_to_contain_text(LINE)
    page.get_by_role("tab", name="History").click()
    page.locator("#history-pick input").click()
    # Newest first: the earlier rehearsal of the same scenario is the last of the two.
    page.get_by_role("option").filter(has_text="missing deadlines").last.click()
    expect(page.locator("#history-transcript")).to_contain_text(LINE)
    page.locator("#history-resume").click()
    expect(page.locator("#rehearse-chat")).to_be_visible()
    expect(chat).to_contain_text(LINE)
    expect(page.locator("#rehearse-debrief")).to_contain_text("What worked")
    # Its goal is offered afresh: no date and no "saved" left from the goal kept earlier.
    expect(page.locator("#rehearse-goal-due textarea")).to_have_value("")
    expect(page.locator("#rehearse-goal-notice")).not_to_contain_text("Saved as a goal")
    send(page, "So you were pulled onto the second team without being asked?")
    expect(chat).to_contain_text("So you were pulled onto the second team")

    page.get_by_role("tab", name="History").click()
    page.locator("#history-all").click()
    link = page.locator("#history-all-file a").first
    expect(link).to_be_visible()
    with page.expect_download() as download_info:
        link.click()
    exported = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    texts = json.dumps(exported, ensure_ascii=False)
    assert LINE in texts and "So you were pulled onto the second team" in texts
    assert len(exported) >= 2


def test_qa_round_ends_in_a_debrief(running_app, double, page):
    double.script(
        "[§1] Where does the eighteen-month payback come from?",
        "Thank you, that answers my question.",
        *QA_DEBRIEF,
    )
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    open_tab(page, "Q&A practice")
    page.locator("#qa-notes textarea").fill("Payback in eighteen months, from hours saved.")
    page.locator("#qa-questions input[type=number]").fill("1")
    page.locator("#qa-start").click()
    chat = page.locator("#qa-chat")
    expect(chat).to_contain_text("Where does the eighteen-month payback come from?")
    answer = "Eighteen months. I checked it with finance using the pilot team's hours."
    box = page.locator("#qa-message textarea")
    box.fill(answer)
    # Gradio skips a click while Send's own previous event is still submitted; click while
    # the box holds the answer (the send that takes it empties the box): sent once.
    while box.input_value() == answer:
        page.locator("#qa-send").click()
        try:
            expect(box).not_to_have_value(answer, timeout=1_000)  # how often to look again
        except AssertionError:
            continue
    expect(chat).to_contain_text("that answers my question")
    page.locator("#qa-end").click()
    debrief = page.locator("#qa-debrief")
    expect(debrief).to_contain_text("What worked")
    expect(debrief).to_contain_text("Eighteen months")
    expect(page.locator("#qa-goal-text textarea")).to_have_value(
        "One thing you could try next time is naming the risk yourself. "
        "“The risk is adoption; the pilot has a stop point.”"
    )
    screenshot(page, "qa-debrief")
    # The debrief continued the round's own prompt: the answer is there as the user's turn
    # (led by the move note it was sent with, as the model's cache holds it).
    request = double.requests_for("/api/chat")[-1]
    said = [m["content"] for m in request.body["messages"] if m["role"] == "user"]
    assert any(text.endswith(answer) and text != answer for text in said)
