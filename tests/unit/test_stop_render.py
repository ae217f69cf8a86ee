"""A Stop's chat keeps the words the page had shown of the stopped reply while its thread has
not stored them yet, and never shows anything else from the page."""

from __future__ import annotations

from assistant.store import Turn
from assistant.ui.render import chat_messages
from assistant.ui.turn_chips import keeping_shown_reply, rehearse_chat

NOTE = "The reply ends here (stopped or cut off). Write your next line to go on."


def turns(reply: str, status: str = "interrupted") -> list[Turn]:
    return [
        Turn(
            id=1,
            session_id=1,
            role="user",
            text="What got in the way?",
            status="complete",
            created_at="2026-12-06T10:00:00",
        ),
        Turn(
            id=2,
            session_id=1,
            role="assistant",
            text=reply,
            status=status,
            created_at="2026-12-06T10:00:01",
        ),
    ]


def page(reply: str) -> list[dict]:
    """The chat as the browser sends it (Gradio 6: content as a list of parts)."""
    return [
        {"role": "user", "content": [{"type": "text", "text": "What got in the way?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": reply}]},
    ]


def render(now: list[Turn]) -> list[dict]:
    return rehearse_chat(now, "en")


def test_the_words_shown_are_kept_until_the_store_has_them() -> None:
    chat = keeping_shown_reply(render, page("Well, I have"))(turns(""))
    assert chat[-1]["content"] == f"Well, I have\n\n*{NOTE}*"
    chat = keeping_shown_reply(render, page("Well, I have"))(turns("Well, "))
    assert chat[-1]["content"] == f"Well, I have\n\n*{NOTE}*"


def test_reflects_chat_keeps_them_too_with_its_note_under_them() -> None:
    reflect = keeping_shown_reply(lambda now: chat_messages(now, "en"), page("So what I"))
    note = "*Interrupted. Press Retry to get a new answer.*"
    assert reflect(turns(""))[-1]["content"] == f"So what I\n\n{note}"
    assert reflect(turns("So "))[-1]["content"] == f"So what I\n\n{note}"


def test_the_store_wins_once_it_holds_as_much() -> None:
    chat = keeping_shown_reply(render, page("Well, I"))(turns("Well, I have"))
    assert chat == render(turns("Well, I have"))


def test_nothing_else_of_the_page_is_shown() -> None:
    # Another text than the stored reply's start, a complete reply, a page without the reply.
    assert keeping_shown_reply(render, page("Injected"))(turns("Well")) == render(turns("Well"))
    done = turns("Well, I have", status="complete")
    assert keeping_shown_reply(render, page("Well, I have more"))(done) == render(done)
    before_a_word = page("")[:1]
    assert keeping_shown_reply(render, before_a_word)(turns("")) == render(turns(""))
    assert keeping_shown_reply(render, None)(turns("")) == render(turns(""))
