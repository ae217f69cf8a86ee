"""Reflect: the model is a peer coach who asks one open question at a time and gives no
unasked advice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from assistant import skills
from assistant.modes.base import Conversation
from assistant.prompts import PromptLibrary
from assistant.store import Session

# Returns coaching notes (reference text) for a language; rendered once into the system prompt.
StrategyNotes = Callable[[str], str]

REGENERATE_ON = ("unasked_advice", "stacked_questions")

GUARD_PROBLEM_NAMES = {
    "en": {
        "unasked_advice": "it gave advice nobody asked for",
        "stacked_questions": "it asked more than one question",
        "closed_only": "its question was closed (yes/no)",
    },
    "da": {
        "unasked_advice": "det gav råd, som ingen bad om",
        "stacked_questions": "det stillede mere end ét spørgsmål",
        "closed_only": "spørgsmålet var lukket (ja/nej)",
    },
}


@dataclass
class Reflect:
    """The reflection partner."""

    conversation: Conversation
    prompts: PromptLibrary
    strategy_notes: StrategyNotes | None = None
    name: str = "reflect"

    def start(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        """Start a reflection: fix the system prompt and store the coach's opening question."""
        notes = (
            self.strategy_notes(lang)
            if self.strategy_notes
            else self.prompts.render(self.name, "default-strategies", lang)
        )
        system = self.prompts.render(self.name, "system", lang, strategies=notes)
        store = self.conversation.store
        session = store.create_session(
            user_id, mode=self.name, lang=lang, system_prompt=system, options=options
        )
        store.add_turn(session.id, "assistant", self.prompts.render(self.name, "opening", lang))
        return session

    def respond(self, session: Session, text: str) -> Iterator[str]:
        """Store the user's words, then stream the coach's reply."""
        stored = self.conversation.accept_user_text(session, text)
        if not session.title:
            self.conversation.store.set_title(session.id, _title_from(stored))
        yield from self._reply(session, stored)

    def retry(self, session: Session) -> Iterator[str]:
        """Answer the last user message again (after a failure or a stop)."""
        store = self.conversation.store
        store.supersede_trailing_replies(session.id)
        last_user = next((t for t in reversed(store.turns(session.id)) if t.role == "user"), None)
        yield from self._reply(session, last_user.text if last_user else "")

    def _reply(self, session: Session, user_text: str) -> Iterator[str]:
        lang = session.lang
        wants_advice = skills.advice_requested(user_text, lang)

        def check(reply: str) -> list[str]:
            # A closed question alone is not worth a regeneration; advice and stacking are.
            flags = skills.check_coach_reply(reply, lang, advice_requested=wants_advice).flags
            return [flag for flag in flags if flag in REGENERATE_ON]

        def reminder(problems: list[str]) -> str:
            names = GUARD_PROBLEM_NAMES["da" if lang == "da" else "en"]
            described = "; ".join(names.get(p, p) for p in problems)
            return self.prompts.render(self.name, "reminder", lang, problems=described)

        yield from self.conversation.stream_reply(session, check=check, reminder=reminder)


def _title_from(text: str, limit: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
