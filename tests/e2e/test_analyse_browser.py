"""Analyse a real conversation in Chromium (Practice coaching tab), then turn it into a
rehearsal: the Rehearse tab's builder opens with the conversation's words and the draft
prefilled for editing (`python app.py` against the Ollama double)."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, settled
from tests.unit.test_analysis import DA, EN
from tests.unit.test_scenario_builder import DRAFT


def test_analysed_transcript_becomes_a_rehearsal_prefilled_for_editing(
    running_app, double, page, tmp_path
):
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Practice coaching").click()
    page.locator("#analyse").get_by_text("Analyse a conversation").first.click()
    notice = page.locator("#analyse-notice")

    # Bad input gets its own message; nothing is analysed.
    page.locator("#analyse-go").click()
    expect(notice).to_contain_text("The conversation is empty")
    page.locator("#analyse-text textarea").fill(DA)
    page.locator("#analyse-go").click()
    expect(notice).to_contain_text("looks Danish")
    expect(page.locator("#analyse-counts")).to_be_empty()

    # An uploaded .md file fills the box and the speaker picker.
    conversation = tmp_path / "tuesday.md"
    conversation.write_text(EN, encoding="utf-8")
    page.locator("#analyse-upload input[type=file]").set_input_files(str(conversation))
    expect(page.locator("#analyse-text textarea")).to_have_value(EN)
    expect(page.locator("#analyse-found")).to_contain_text("Found 7 lines by Anna, Ben")
    expect(page.locator("#analyse-me input")).to_have_value("Anna")

    page.locator("#analyse-go").click()
    expect(notice).to_contain_text("kept in your History as session #")
    counts = page.locator("#analyse-counts")
    expect(counts).to_contain_text("Your listening, counted")
    expect(counts).to_contain_text("0.5:1")
    lines = page.locator("#analyse-lines-box .analyse-mine")
    expect(lines).to_have_count(4)
    expect(lines.nth(1)).to_contain_text("It sounds like you felt left alone")
    expect(lines.nth(1).locator(".skill-chip")).to_have_text("Complex reflections")
    debrief = page.locator("#analyse-debrief")
    expect(debrief).to_contain_text("To try next time")
    expect(debrief).to_contain_text("Did you tell your manager?")
    assert not double.requests_for("/api/chat")  # the analysis needs no model
    screenshot(page, "analyse-conversation")

    # Practise this conversation: Rehearse's builder, drafted from it, ready to edit.
    double.script(json.dumps(DRAFT))
    page.locator("#analyse-practise").click()
    expect(page.get_by_role("tab", name="Rehearse")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#builder-words-situation textarea")).to_have_value(
        re.compile(r"I \(Anna\) had with Ben[\s\S]*\nAnna: Did you tell your manager\?\n")
    )
    expect(page.locator("#builder-words-counterpart textarea")).to_have_value(
        re.compile(r"^Ben, the other person in the conversation[\s\S]*- No. What should I do\?")
    )
    opening = page.locator("#builder-opening-line textarea").first
    expect(opening).to_have_value("You wanted to talk?")
    expect(page.locator("#builder-draft-notice")).to_contain_text("Here is a draft")
    settled(page)  # the draft event has ended: edits made now stay
    (request,) = double.requests_for("/api/chat")
    described = request.body["messages"][-1]["content"]
    assert "Ben: No. What should I do?" in described
    assert "What Ben said:" in described
    screenshot(page, "analyse-practise-builder")

    # The draft is for editing: change the opening line, save, rehearse it.
    opening.fill("Do you have a minute about the launch?")
    page.locator("#builder-save").click()
    expect(page.locator("#builder-notice")).to_contain_text("Saved")
    page.locator("#rehearse-start").click()
    expect(page.locator("#rehearse-chat")).to_contain_text("Do you have a minute about the launch?")

    # The section follows the page into Danish, and its messages do too.
    page.get_by_label("Dansk").check()
    page.get_by_role("tab", name="Træn coaching").click()
    expect(page.locator("#analyse")).to_contain_text("Analysér en samtale")
    expect(page.locator("#analyse-go")).to_have_text("Analysér")
    page.locator("#analyse-text textarea").fill("Anna: kun mig\nAnna: stadig kun mig")
    page.locator("#analyse-go").click()
    expect(notice).to_contain_text("Der blev kun fundet én taler (Anna)")


def test_an_analysis_is_resumed_from_history_and_deleted_there(running_app, double, page):
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Practice coaching").click()
    page.locator("#analyse").get_by_text("Analyse a conversation").first.click()
    page.locator("#analyse-text textarea").fill(EN)
    expect(page.locator("#analyse-found")).to_contain_text("Found 7 lines by Anna, Ben")
    page.locator("#analyse-me input").click()
    page.get_by_role("option", name="Ben").click()
    page.locator("#analyse-go").click()
    expect(page.locator("#analyse-notice")).to_contain_text("kept in your History")
    expect(page.locator("#analyse-lines-box .analyse-mine")).to_have_count(3)

    page.reload()
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="History").click()
    table = page.locator("#history-table")
    expect(table).to_contain_text("Analysed conversation")
    expect(table).to_contain_text("Conversation with Anna")
    page.locator("#history-pick input").click()
    page.get_by_role("option").filter(has_text="Conversation with Anna").first.click()
    expect(page.locator("#history-transcript")).to_contain_text("Did you tell your manager?")
    page.locator("#history-resume").click()
    expect(page.get_by_role("tab", name="Practice coaching")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator("#analyse-me input")).to_have_value("Ben")
    expect(page.locator("#analyse-lines-box .analyse-mine")).to_have_count(3)
    expect(page.locator("#analyse-counts")).to_contain_text("Your listening, counted")

    page.get_by_role("tab", name="History").click()
    page.locator("#history-pick input").click()
    page.get_by_role("option").filter(has_text="Conversation with Anna").first.click()
    expect(page.locator("#history-transcript")).to_contain_text("Did you tell your manager?")
    page.locator("#history-delete").click()
    page.locator("#history-confirm").click()
    expect(page.locator("#history-notice")).to_contain_text("deleted")
    expect(table).not_to_contain_text("Conversation with Anna")
