"""The offer to send kept words once Ollama runs again (issue #15, item 10).

When Ollama is down, a message is stored and its reply fails before its first word (the chat
hides that empty reply; the notice says what is wrong). The status banner re-checks on its own
(assistant/ui/page.py); on its first tick that finds Ollama ready, a chat tab whose
open session ends in such a failed reply shows "Ollama is running again. Send your message
now?" with one button. The button answers the kept message once: it re-checks that the session
still ends in a reply that failed before its first word (a second click, or a Retry pressed
meanwhile, then sends nothing), and the reply replaces the failed one, so the words are never
stored twice.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.store import Turn
from assistant.ui.i18n import t
from assistant.ui.relabel import Labels

__all__ = ["ResendOffer", "build_resend_offer", "kept_words"]

# The phase of the status watch (see status.watch_phase) on its first tick that finds Ollama
# ready.
BACK = "back"


def kept_words(turns: list[Turn]) -> str | None:
    """The user's words whose reply failed before its first word, when the session ends so;
    None otherwise (nothing waits to be sent)."""
    if len(turns) < 2:
        return None
    reply, asked = turns[-1], turns[-2]
    failed_empty = (
        reply.role == "assistant"
        and reply.status == "interrupted"
        and not reply.text.strip()
        and bool(reply.error)
    )
    return asked.text if failed_empty and asked.role == "user" and asked.text else None


@dataclass
class ResendOffer:
    """The hidden row: what is offered, and the button that sends it."""

    row: gr.Row
    text: gr.HTML
    button: gr.Button

    def hidden(self) -> tuple[Any, Any]:
        """Updates that hide the offer."""
        return gr.Row(visible=False), ""

    def shown(self, words: str, lang: str) -> tuple[Any, Any]:
        """Updates that show the offer for these words."""
        quoted = html.escape(words if len(words) <= 160 else words[:157] + "...")
        text = (
            f'<div class="coach-notice coach-notice-info" role="status">'
            f"{html.escape(t(lang, 'resend_offer'))}<br><q>{quoted}</q></div>"
        )
        return gr.Row(visible=True), text

    def follow(
        self,
        status_tick: Any,
        status_phase: gr.State,
        session_state: gr.State,
        language: gr.Radio,
        turns_of: Callable[[int | None], list[Turn] | None],
    ) -> None:
        """Show the offer after the status tick that finds Ollama back, when the open
        session (``turns_of(session_id)``: the user's own, else None) waits for a reply."""

        def offer(phase: str | None, session_id: int | None, lang: str) -> tuple[Any, Any]:
            if phase != BACK:
                return gr.skip(), gr.skip()
            turns = turns_of(session_id)
            words = kept_words(turns) if turns else None
            return self.shown(words, lang) if words else self.hidden()

        status_tick.then(
            offer,
            [status_phase, session_state, language],
            [self.row, self.text],
            api_visibility="private",
            show_progress="hidden",
        )

    def on_send(
        self,
        session_state: gr.State,
        language: gr.Radio,
        turns_of: Callable[[int | None], list[Turn] | None],
        resend: Callable[..., Iterator[tuple[Any, ...]]],
        outputs: list[Any],
        concurrency_limit: int,
        toggles: Sequence[Any] = (),
    ) -> Any:
        """Wire the button: ``resend`` (the tab's retry, streaming onto ``outputs``; called
        with the session id, the language and the values of the page's ``toggles``) runs
        only while the session still waits for a reply. Returns the event, for the tab's Stop
        to cancel and its after-turn step to follow."""

        def send_kept(session_id: int | None, lang: str, *shown: Any) -> Iterator[tuple[Any, ...]]:
            turns = turns_of(session_id)
            hide = self.hidden()
            if not turns or kept_words(turns) is None:  # sent already, or retried meanwhile
                yield (*[gr.skip()] * len(outputs), *hide)
                return
            first = True
            for step in resend(session_id, lang, *shown):
                yield (*step, *(hide if first else (gr.skip(), gr.skip())))
                first = False

        return self.button.click(
            send_kept,
            [session_state, language, *toggles],
            [*outputs, self.row, self.text],
            api_visibility="private",
            concurrency_limit=concurrency_limit,
            trigger_mode="once",
        )


def build_resend_offer(labels: Labels, prefix: str) -> ResendOffer:
    """Lay out the (hidden) offer at the current place."""
    with gr.Row(visible=False, elem_id=f"{prefix}-resend") as row:
        text = gr.HTML("", elem_id=f"{prefix}-resend-text")
        button = labels.button(
            "resend_send", variant="primary", scale=0, min_width=160, elem_id=f"{prefix}-resend-btn"
        )
    return ResendOffer(row=row, text=text, button=button)
