"""The status watch's phases and which words wait to be sent once Ollama is back."""

from __future__ import annotations

from typing import Any

from assistant.store import Turn
from assistant.ui.resend_offer import kept_words
from assistant.ui.status import recheck_interval, watch_phase


def turn(role: Any, text: str, status: Any = "complete", error: str | None = None) -> Turn:
    return Turn(
        id=0,
        session_id=1,
        role=role,
        text=text,
        status=status,
        error=error,
        created_at="2026-12-02T00:00:00",
        completed_at=None,
    )


def test_the_first_ready_check_is_the_moment_to_offer_and_later_ones_are_not():
    assert watch_phase(None, False) == "down"
    assert watch_phase("down", True) == "back"
    assert watch_phase(None, True) == "back"  # the page's first watch check
    assert watch_phase("back", True) == "ready"
    assert watch_phase("ready", True) == "ready"
    assert watch_phase("ready", False) == "down"  # gone again: the next ready offers again
    assert recheck_interval("down") < recheck_interval("ready")


def test_only_a_reply_that_failed_before_its_first_word_keeps_the_words_waiting():
    opening = turn("assistant", "What is on your mind?")
    asked = turn("user", "My words")
    failed = turn("assistant", "", "interrupted", "ollama_unreachable")
    assert kept_words([opening, asked, failed]) == "My words"
    partial = turn("assistant", "So what", "interrupted", "stream_cut")
    stopped = turn("assistant", "", "interrupted")  # stopped by the user: nothing to offer
    for last in (partial, stopped, turn("assistant", "Tell me more.")):
        assert kept_words([opening, asked, last]) is None
    assert kept_words([opening, asked]) is None
    assert kept_words([failed]) is None
