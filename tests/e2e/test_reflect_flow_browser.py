"""A reflection from check-in to a saved action plan, in Chromium against the Ollama double."""

import json

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_browser import send


def test_reflection_moves_through_stages_and_ends_in_a_saved_action_plan(running_app, double, page):
    double.script(
        "Congratulations on the launch. What would you like from our talk today? [[next]]",
        "What would be different after a good talk with Sam? [[next]]",
        "So you want Sam to feel heard, not blamed. What could you do first? [[next]]",
    )
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    expect(page.get_by_label("1. Check-in")).to_be_checked()

    send(page, "The launch went well, but Sam keeps missing deadlines.")
    expect(page.locator("#chat")).to_contain_text("What would you like from our talk today?")
    expect(page.locator("#chat")).not_to_contain_text("[[next]]")
    expect(page.get_by_label("2. Goal")).to_be_checked()

    send(page, "I want to talk to Sam without it turning into blame.")
    expect(page.get_by_label("3. Explore")).to_be_checked()
    send(page, "I think he is overloaded.")
    expect(page.get_by_label("4. Action plan")).to_be_checked()

    # Jump back is possible, and forward again.
    page.get_by_label("3. Explore").check()
    page.get_by_label("4. Action plan").check()

    plan = {
        "what": "Ask Sam for a 1:1 about his workload",
        "by_when": "Friday",
        "how_to_know": "We agreed on one change",
    }
    double.script(json.dumps(plan))
    page.locator("#action-plan").get_by_text("Action plan").first.click()
    page.locator("#plan-draft").click()
    expect(page.locator("#plan-what textarea")).to_have_value(plan["what"])
    expect(page.locator("#plan-when input, #plan-when textarea").first).to_have_value("Friday")
    page.locator("#plan-save").click()
    expect(page.locator("#plan-notice")).to_contain_text("saved")
    draft_request = double.requests_for("/api/chat")[-1].body
    assert "format" in draft_request and "workload" not in draft_request["messages"][0]["content"]

    page.reload()
    expect(page.get_by_label("4. Action plan")).to_be_checked()
    page.locator("#action-plan").get_by_text("Action plan").first.click()
    expect(page.locator("#plan-what textarea")).to_have_value(plan["what"])
    screenshot(page, "reflect-action-plan")

    # Follow-up: save the plan as a goal; the next reflection opens with a check-in on it.
    page.locator("#plan-goal").click()
    expect(page.locator("#plan-notice")).to_contain_text("Saved as a goal")
    page.locator("#new-session").click()
    expect(page.locator("#chat")).to_contain_text("Before we start")
    expect(page.locator("#chat")).to_contain_text(plan["what"])
    double.script("That's a real step. What made it possible?")
    send(page, "We met on Friday and agreed to move one deadline.")
    expect(page.locator("#chat")).to_contain_text("What made it possible?")

    page.get_by_role("tab", name="Goals").click()
    expect(page.locator("#goals-list")).to_contain_text(plan["what"])
    page.locator("#goal-pick input").click()
    page.get_by_role("option", name=plan["what"]).click()
    page.locator("#goal-note textarea, #goal-note input").first.fill("We met on Friday")
    page.get_by_label("done").check()
    page.locator("#goal-checkin-save").click()
    expect(page.locator("#goals-notice")).to_contain_text("Well done")
    expect(page.locator("#goals-list")).to_contain_text("100%")
    screenshot(page, "goals-tab")

    page.get_by_role("tab", name="Progress").click()
    expect(page.locator("#progress-goals")).to_be_visible()
    expect(page.locator("#progress-ratings-empty")).to_contain_text("No ratings yet")
    screenshot(page, "progress-tab")
