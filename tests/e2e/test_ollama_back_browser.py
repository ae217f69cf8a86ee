"""Issue #15, item 10: with no Ollama running, the page re-checks on its own, and when Ollama
comes back it offers to send the words the user kept, once, with one click (Chromium against
`python app.py`; the Ollama double is started only after the page has failed to reach it)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import free_port, screenshot
from tests.fixtures.ollama_double import OllamaDouble

WORDS = "Words kept while Ollama was down"
REPLY = "What would you like to be different after that talk?"


def user_turns(app) -> list[str]:
    return [row[0] for row in app.rows("SELECT text FROM turns WHERE role = 'user'")]


def test_the_page_notices_ollama_back_and_sends_the_kept_words_once(app_factory, page):
    port = free_port()
    running = app_factory(f"http://127.0.0.1:{port}")
    page.goto(running.url)
    banner = page.locator("#status-banner")
    expect(banner).to_contain_text("ollama serve")
    page.locator("#message textarea").fill(WORDS)
    page.locator("#send").click()
    expect(page.locator("#notice")).to_contain_text("ollama serve")
    expect(page.locator("#chat")).to_contain_text(WORDS)
    offer = page.locator("#reflect-resend")
    expect(offer).to_be_hidden()

    with OllamaDouble(port=port) as double:
        double.script(REPLY)
        # Nobody presses Re-check: the banner's own timer finds Ollama (it checks every 5 s
        # while Ollama is down; the bound is generous for a busy machine).
        expect(banner).to_contain_text("Ready", timeout=40_000)
        expect(offer).to_contain_text("Ollama is running again. Send your message now?")
        expect(offer).to_contain_text(WORDS)
        screenshot(page, "ollama-back-offer")
        page.locator("#reflect-resend-btn").click()
        expect(page.locator("#chat")).to_contain_text(REPLY)
        expect(offer).to_be_hidden()
        chats = [r for r in double.requests_for("/api/chat") if r.body.get("messages")]
        assert len(chats) == 1, [r.body for r in chats]
        assert WORDS in chats[0].body["messages"][-1]["content"]
    # Stored once, answered once: no second copy of the words.
    assert user_turns(running).count(WORDS) == 1
    assert page.locator("#chat").inner_text().count(WORDS) == 1


REHEARSE_WORDS = "The last three reports came late, and I want to understand why"
DANIEL = "It has been a hard month, to be honest."


def test_rehearse_offers_the_kept_line_when_ollama_is_back(app_factory, page):
    """The same offer in Rehearse: the line said while Ollama was down is answered once, by
    the counterpart, after one click (the scenario's opening needs no model)."""
    port = free_port()
    running = app_factory(f"http://127.0.0.1:{port}")
    page.goto(running.url)
    expect(page.locator("#status-banner")).to_contain_text("ollama serve")
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#rehearse-start").click()
    chat = page.locator("#rehearse-chat")
    expect(chat).to_contain_text("Is this about the report?")  # the scenario's opening
    page.locator("#rehearse-message textarea").fill(REHEARSE_WORDS)
    page.locator("#rehearse-send").click()
    expect(page.locator("#rehearse-notice")).to_contain_text("ollama serve")
    offer = page.locator("#rehearse-resend")
    expect(offer).to_be_hidden()

    with OllamaDouble(port=port) as double:
        double.script(DANIEL)
        expect(page.locator("#status-banner")).to_contain_text("Ready", timeout=40_000)
        expect(offer).to_contain_text(REHEARSE_WORDS)
        # The page's toggles, set unlike the settings (labels on, meter off), hold for it.
        page.locator("#rehearse-chips input").uncheck()
        page.locator("#rehearse-meter input").check()
        page.locator("#rehearse-resend-btn").click()
        expect(chat).to_contain_text(DANIEL)
        expect(offer).to_be_hidden()
        expect(chat.locator(".turn-chip-meter")).to_have_count(1)
        expect(chat.locator(".turn-chip:not(.turn-chip-meter)")).to_have_count(0)
        chats = [r for r in double.requests_for("/api/chat") if r.body.get("messages")]
        answered = [c for c in chats if c.body.get("options", {}).get("num_predict") != 1]
        assert len(answered) == 1, [r.body for r in chats]  # a warm-up may come first
        assert REHEARSE_WORDS in answered[0].body["messages"][-1]["content"]
    assert user_turns(running).count(REHEARSE_WORDS) == 1
    assert chat.inner_text().count(REHEARSE_WORDS) == 1
