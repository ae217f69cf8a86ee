"""The debrief built for a CPU: model-free facts at once, then a few short sections streamed
from the session's own cached prompt (see ``writer``). Rehearse, Q&A and Practice call
``stream_debrief``; the page and ``coach practice`` show its drafts as they arrive.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from assistant.debrief.facts import (
    DebriefFacts,
    count_lines,
    model_reply_line,
    model_reply_tally,
    pick_quotes,
)
from assistant.debrief.writer import DebriefDraft, DebriefStream, SectionRequest
from assistant.errors import CoachError
from assistant.feedback import DebriefResult, Passage, save_debrief
from assistant.prompts import PromptLibrary
from assistant.store import Session, Turn

if TYPE_CHECKING:
    from assistant.modes.base import Conversation

__all__ = [
    "DebriefDraft",
    "DebriefFacts",
    "DebriefStream",
    "SectionRequest",
    "final_result",
    "nothing_said_error",
    "stream_debrief",
]


def nothing_said_error() -> CoachError:
    """The message for a debrief of a conversation in which the user has said nothing yet."""
    return CoachError(
        "debrief_nothing_said",
        "Say at least one line in the conversation before asking for a debrief.",
        "Sig mindst én replik i samtalen, før du beder om en opsamling.",
    )


def stream_debrief(
    conversation: Conversation,
    prompts: PromptLibrary,
    session: Session,
    turns: list[Turn],
    *,
    person: str,
    user_lines: Sequence[str],
    criteria: Sequence[str],
    passages: Sequence[Passage],
    observed: Iterable[str] = (),
    kept: Mapping[int, str] | None = None,
    turning_point: str | None = None,
    replies: Sequence[Turn] | None = None,
    cancelled: threading.Event | None = None,
    costs: list[SectionRequest] | None = None,
) -> Generator[DebriefDraft, None, DebriefResult | None]:
    """Yield the debrief's drafts, store the finished debrief and return it (None when it was
    cancelled: nothing is stored then).

    ``turns`` are the session's turns on the current branch (their request is the cached
    prefix the sections continue from); ``observed`` are extra model-free facts (Q&A answer
    lengths); ``kept`` are the notes the user's lines were sent with (turn id -> note),
    so the request is the conversation's as the model's cache holds it; ``turning_point`` is
    the user's line after which the other person closed down most (the growth section starts
    from it). ``replies`` are the turns the model wrote (default: the assistant's turns);
    what the reply checks recorded on them becomes a sentence about the model. ``costs``, when
    given, receives what each model request cost. Raises ``CoachError`` when the user said
    nothing or Ollama fails.
    """
    lines = [line for line in user_lines if line.strip()]
    if not lines:
        raise nothing_said_error()
    lang = session.lang
    facts = DebriefFacts(
        lang=lang,
        person=person,
        quotes=pick_quotes(lines, lang),
        criteria=list(criteria),
        passages=list(passages),
        counts=count_lines(lines, lang),
        lines=[line for line in observed if line],
        turning_point=turning_point,
        model_notes=_model_notes(conversation, session, turns, replies),
    )
    writer = DebriefStream(conversation.chat_model, prompts, conversation.host, conversation.model)
    if costs is not None:
        writer.requests = costs
    result = yield from writer.write(
        facts, conversation.messages(session, turns, kept=kept), cancelled
    )
    if result is not None:
        save_debrief(conversation.store, session.id, result)
    return result


def _model_notes(
    conversation: Conversation,
    session: Session,
    turns: Sequence[Turn],
    replies: Sequence[Turn] | None,
) -> list[str]:
    written = [t for t in (replies if replies is not None else turns) if t.text]
    if replies is None:
        written = [t for t in written if t.role == "assistant"]
    tally = model_reply_tally(conversation.store.turn_checks(session.id), written)
    line = model_reply_line(tally, session.lang)
    return [line] if line else []


def final_result(drafts: Generator[DebriefDraft, None, DebriefResult | None]) -> DebriefResult:
    """Run a debrief to its end and return the stored result."""
    while True:
        try:
            next(drafts)
        except StopIteration as end:
            if end.value is None:
                raise RuntimeError("the debrief was cancelled") from None
            return end.value
