"""The one streaming loop of every chat tab: show the user's words, stream the reply, and on a
failure put the words back (when they were not stored) and say what went wrong; and the one
Stop, which ends a tab's streaming reply whatever the timing.

A tab reads its session and turns once, renders the chat as it is, hands the mode's reply
generator here (created but not started) and maps each ``TurnStep`` onto its own outputs.
The mode keeps the ``turns`` list it was given current, so the final chat is rendered from
it without reading the turns again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import CoachError
from assistant.store import Store, Turn
from assistant.ui.early_reply import early_reply
from assistant.ui.i18n import t
from assistant.ui.render import inert, notice_html, unsaved_text, user_lines
from assistant.ui.turn_chips import keeping_shown_reply

if TYPE_CHECKING:
    from assistant.modes.base import Conversation
    from assistant.ui.context import PageContext

Render = Callable[[list[Turn]], list[dict[str, str]]]


@dataclass(frozen=True)
class TurnStep:
    """What one update of a turn changes: the chat, the message box, the notice.

    ``phase`` is "shown" (the user's words and the reply's start), "streaming", "failed" or
    "done", so a tab can add outputs of its own at the right moment.
    """

    chat: Any
    message: Any
    notice: Any
    phase: str


def stream_turn(
    replies: Iterator[str],
    *,
    store: Store,
    session_id: int,
    turns: list[Turn],
    render: Render,
    lang: str,
    user_text: str | None = None,
    shown_turns: list[Turn] | None = None,
    reply_role: Callable[[], str] = lambda: "assistant",
) -> Iterator[TurnStep]:
    """Stream one reply of a mode into a chat.

    ``turns`` are the session's turns as read for this event, which ``replies`` (the mode's
    ``respond``/``retry``/... generator, not yet started) keeps current. ``user_text`` is the
    user's new line, shown at once; None for a retry or a control that only asks for a reply.
    ``shown_turns`` are the turns to show while the reply streams (default: ``turns``; a retry
    leaves out the reply it replaces). ``reply_role`` says whose side the reply is shown on.
    """
    skip = gr.skip()
    history = render(turns if shown_turns is None else shown_turns)
    before = user_lines(turns)
    if user_text is not None:
        history = [*history, {"role": "user", "content": inert(user_text)}]
    # The reply starts before the page has shown the user's words (see early_reply).
    running = early_reply(replies)
    yield TurnStep(history, "" if user_text is not None else skip, "", "shown")
    try:
        for snapshot in running:
            # The notice is left alone here so a "stopped" message is not wiped.
            chat = [*history, {"role": reply_role(), "content": inert(snapshot)}]
            yield TurnStep(chat, skip, skip, "streaming")
    except CoachError as exc:
        # Read again: the failure may have come before or after the words were stored.
        turns_now = store.turns(session_id)
        kept = unsaved_text(user_text or "", before, turns_now) if user_text else None
        message = kept if kept is not None else skip
        yield TurnStep(render(turns_now), message, notice_html(exc.message(lang)), "failed")
        return
    yield TurnStep(render(turns), skip, skip, "done")


def stop_turn(
    ctx: PageContext,
    conversation: Conversation,
    mode: str,
    session_id: int | None,
    *,
    render: Render,
    lang: str,
    shown: Any = None,
) -> tuple[Any, Any]:
    """A tab's Stop: end the reply streaming in the user's session of ``mode``; returns the
    chat as stored and a "stopped" notice (a skip and "" when there is no such session).
    ``shown`` is the page's chat as the browser sent it: the stopped reply keeps the words it
    showed while the store does not hold them yet (``keeping_shown_reply``).

    The Stop button also cancels the tab's streaming events; this ends the model's request
    and marks the reply interrupted whatever the timing. ``session_id`` None means the page
    does not hold the id yet: an event that starts the session (Reflect's first Send) hands
    its id to the page with an update that can arrive after the Stop click, so the user's
    newest session of ``mode`` is the one stopped.
    """
    if session_id is None:
        newest = next((s for s in ctx.sessions() if s.mode == mode), None)
        session_id = newest.id if newest is not None else None
    session = ctx.load_session(session_id)
    if session is None or session.mode != mode:
        return gr.skip(), ""
    conversation.stop(session.id)
    stopped = notice_html(t(lang, "stopped"), "info")
    return keeping_shown_reply(render, shown)(ctx.services.store.turns(session.id)), stopped
