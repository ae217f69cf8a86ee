"""The History tab in Chromium: list, open a transcript, export it, delete it."""

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_browser import send


def test_history_lists_exports_and_deletes_a_session(running_app, double, page):
    double.script("What would you like to be different?")
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    send(page, "Meetings with Lars run over every week.")
    expect(page.locator("#chat")).to_contain_text("What would you like to be different?")

    page.get_by_role("tab", name="History").click()
    table = page.locator("#history-table")
    expect(table).to_contain_text("Meetings with Lars run over every week.")
    page.locator("#history-pick input").click()
    page.get_by_role("option").filter(has_text="Meetings with Lars").first.click()
    transcript = page.locator("#history-transcript")
    expect(transcript).to_contain_text("What would you like to be different?")

    with page.expect_download() as download_info:
        page.locator("#history-md").click()
    exported = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Meetings with Lars run over every week." in exported and "## Transcript" in exported
    screenshot(page, "history-tab")

    page.locator("#history-delete").click()
    page.locator("#history-confirm").click()
    expect(page.locator("#history-notice")).to_contain_text("deleted")
    expect(table).not_to_contain_text("Meetings with Lars run over every week.")
