"""The Knowledge tab in Chromium: search (after the background indexing at start), read an
entry, add and delete a document of your own."""

import time

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot


def search_until_found(page: Page, query: str, expected: str, timeout: float = 90) -> None:
    """The app indexes the library in the background after start; search until it is in."""
    page.locator("#knowledge-query textarea, #knowledge-query input").first.fill(query)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.locator("#knowledge-search").click()
        try:
            expect(page.locator("#knowledge-results")).to_contain_text(expected, timeout=5_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"{expected!r} never appeared for {query!r}")


def test_search_read_and_manage_your_documents(running_app, page, tmp_path):
    page.goto(running_app.url)
    expect(page.locator("#status-banner")).to_contain_text("Ready")
    page.get_by_role("tab", name="Knowledge").click()

    search_until_found(page, "how do I give hard feedback to a colleague", "Balance positive")
    expect(page.locator("#knowledge-results")).to_contain_text("balanced-feedback")

    page.locator("#knowledge-entry input").click()
    page.get_by_role("option", name="The GROW model").click()
    expect(page.locator("#knowledge-view")).to_contain_text("The GROW model")
    expect(page.locator("#knowledge-view")).to_contain_text("framework")

    notes = tmp_path / "team-feedback-guidelines.md"
    notes.write_text(
        "# Our team's feedback guidelines\n\n## Timing\n\nWe give feedback within two days, "
        "face to face, and we always start with what worked. Zebra-rule: no feedback in "
        "the weekly stand-up.\n",
        encoding="utf-8",
    )
    page.locator("#uploads").get_by_text("Your documents").first.click()
    page.locator("#upload-file input[type=file]").set_input_files(str(notes))
    expect(page.locator("#upload-notice")).to_contain_text("Added team-feedback-guidelines.md")
    expect(page.locator("#uploads-list")).to_contain_text("team-feedback-guidelines.md")

    search_until_found(page, "zebra rule stand-up", "team-feedback-guidelines.md", timeout=30)
    screenshot(page, "knowledge-tab")

    page.locator("#upload-pick input").click()
    page.get_by_role("option", name="team-feedback-guidelines.md").click()
    page.locator("#upload-delete").click()
    page.locator("#upload-confirm").click()
    expect(page.locator("#upload-notice")).to_contain_text("Deleted team-feedback-guidelines.md")
    expect(page.locator("#uploads-list")).to_contain_text("No documents yet")
