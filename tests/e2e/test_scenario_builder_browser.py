"""The scenario builder and the "prepare a hard conversation" handover, in headless Chromium
against `python app.py` and the Ollama double (the only test double: it stands in for Ollama).
"""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, settled
from tests.e2e.test_browser import send
from tests.unit.test_scenario_builder import DRAFT

SITUATION = "Ana's weekly reports keep arriving two days late and my team waits for them."
PERSON = "Ana, an analyst who covers two teams and gets defensive about quality."
OWN = "Tell Ana <b>her</b> reports are late · yours"
SCRIPT = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def open_builder(page: Page) -> None:
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#builder").get_by_text("Build your own scenario").first.click()
    expect(page.locator("#builder-words-situation textarea")).to_be_visible()


def field(page: Page, name: str):
    return page.locator(f"#builder-{name} textarea, #builder-{name} input").first


def test_draft_edit_save_and_rehearse_an_own_scenario(running_app, double, page):
    double.script(json.dumps(DRAFT))
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    open_builder(page)

    # Nothing written yet: a specific message, no request to the model.
    page.locator("#builder-draft").click()
    expect(page.locator("#builder-draft-notice")).to_contain_text("Describe the situation")
    assert not double.requests_for("/api/chat")

    page.locator("#builder-words-situation textarea").fill(SITUATION)
    page.locator("#builder-words-counterpart textarea").fill(PERSON)
    page.locator("#builder-draft").click()
    expect(field(page, "opening-line")).to_have_value("You wanted to talk?")
    expect(field(page, "name")).to_have_value("Ana")
    expect(field(page, "success-criteria")).to_have_value(
        "Names one example\nAsks an open question\nAgrees a next step"
    )
    expect(page.locator("#builder-draft-notice")).to_contain_text("Here is a draft")
    settled(page)  # the draft event has ended: edits made now stay
    (request,) = double.requests_for("/api/chat")
    assert "properties" in request.body["format"]
    assert SITUATION in request.body["messages"][-1]["content"]
    assert PERSON in request.body["messages"][-1]["content"]

    # The user edits: a new opening line, and markup that must stay text.
    field(page, "opening-line").fill("Is this about my reports again?")
    field(page, "situation").fill(f"Ana's reports are late. {SCRIPT}")
    screenshot(page, "scenario-builder-draft")
    page.locator("#builder-save").click()
    notice = page.locator("#builder-notice")
    expect(notice).to_contain_text("Saved “Tell Ana <b>her</b> reports are late”")
    picker = page.locator("#rehearse-scenario input")
    expect(picker).to_have_value(OWN)
    details = page.locator("#rehearse-details")
    expect(details).to_contain_text(SCRIPT)
    expect(details.locator("img")).to_have_count(0)
    expect(notice.locator("b")).to_have_count(0)
    screenshot(page, "scenario-builder-saved")

    page.locator("#rehearse-start").click()
    chat = page.locator("#rehearse-chat")
    expect(chat).to_contain_text("Is this about my reports again?")
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "scenario-builder-rehearsal")

    # The scenario is the user's: it is still in the list after a reload.
    page.reload()
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#rehearse-scenario input").click()
    expect(page.get_by_role("option", name=OWN)).to_be_visible()


def test_export_then_import_and_a_bad_file(running_app, double, page, tmp_path):
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    open_builder(page)

    # A built-in scenario opened in the editor, exported as a file.
    page.locator("#builder-load").click()
    expect(field(page, "name")).to_have_value("Daniel")
    page.locator("#builder-export").click()
    expect(page.locator("#builder-notice")).to_contain_text("ready to download")
    link = page.locator("#builder-export-file a").first
    with page.expect_download() as info:
        link.click()
    exported = tmp_path / info.value.suggested_filename
    info.value.save_as(exported)
    text = exported.read_text(encoding="utf-8")
    assert text.startswith("---\nkind: scenario\n") and "Daniel" in text

    # A broken file: a specific message, and the fields keep what they had.
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: Only a title\n---\n", encoding="utf-8")
    page.locator("#builder-import input[type=file]").set_input_files(str(broken))
    expect(page.locator("#builder-notice")).to_contain_text("cannot be used")
    expect(page.locator("#builder-notice")).to_contain_text("situation")
    expect(field(page, "name")).to_have_value("Daniel")

    # The exported file, changed by hand, imports into the fields.
    page.locator("#builder-import button[aria-label='Clear']").first.click()
    changed = tmp_path / "changed.en.md"
    changed.write_text(text.replace("name: Daniel", "name: Dorte"), encoding="utf-8")
    page.locator("#builder-import input[type=file]").set_input_files(str(changed))
    expect(page.locator("#builder-notice")).to_contain_text("Imported")
    expect(field(page, "name")).to_have_value("Dorte")
    screenshot(page, "scenario-builder-import")

    # In Danish the builder speaks Danish and keeps what is in the fields.
    page.get_by_label("Dansk").check()
    expect(page.locator("#builder")).to_contain_text("Byg dit eget scenarie")
    expect(page.locator("#builder-save")).to_have_text("Gem scenariet")
    expect(field(page, "name")).to_have_value("Dorte")
    # The picked scenario's details follow the page into Danish too.
    expect(page.locator("#rehearse-details")).to_contain_text("Succeskriterier")
    expect(page.locator("#rehearse-details")).not_to_contain_text("Success criteria")
    screenshot(page, "scenario-builder-da")


def test_prepare_reflection_hands_over_to_rehearse(running_app, double, page):
    double.script("What do you want Ana to understand after the talk?")
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    handover = page.locator("#reflect-rehearse")
    page.locator("#reflect-variant").get_by_text("Prepare a hard conversation").click()
    expect(page.locator("#chat")).to_contain_text("Who is the conversation with")
    expect(handover).to_be_hidden()

    send(page, SITUATION)
    expect(page.locator("#chat")).to_contain_text("What do you want Ana to understand")
    expect(handover).to_be_visible()
    expect(handover).to_have_text("Rehearse this conversation")
    screenshot(page, "prepare-handover-offer")

    double.script(json.dumps(DRAFT))
    handover.click()
    expect(page.get_by_role("tab", name="Rehearse")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#builder-words-situation textarea")).to_have_value(SITUATION)
    expect(field(page, "opening-line")).to_have_value("You wanted to talk?")
    expect(page.locator("#builder-draft-notice")).to_contain_text("Here is a draft")
    settled(page)  # the draft event has ended: edits made now stay
    draft_request = double.requests_for("/api/chat")[-1].body
    assert SITUATION in draft_request["messages"][-1]["content"]
    screenshot(page, "prepare-handover-builder")

    # Two clicks from the reflection to the rehearsal: save, then start.
    page.locator("#builder-save").click()
    expect(page.locator("#rehearse-scenario input")).to_have_value(OWN)
    page.locator("#rehearse-start").click()
    expect(page.locator("#rehearse-chat")).to_contain_text("You wanted to talk?")


def test_handover_keeps_the_words_when_ollama_is_down(running_app, double, page):
    double.script("What makes it hard?")
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.locator("#reflect-variant").get_by_text("Prepare a hard conversation").click()
    expect(page.locator("#chat")).to_contain_text("Who is the conversation with")
    send(page, SITUATION)
    expect(page.locator("#reflect-rehearse")).to_be_visible()

    double.down()
    page.locator("#reflect-rehearse").click()
    expect(page.locator("#builder-words-situation textarea")).to_have_value(SITUATION)
    notice = page.locator("#builder-draft-notice")
    expect(notice).to_contain_text("Ollama is not reachable")
    expect(notice).to_contain_text("fill in the fields yourself")
    expect(field(page, "opening-line")).to_have_value("")
    expect(page.locator("#builder-draft")).to_be_enabled()
    screenshot(page, "prepare-handover-ollama-down")
