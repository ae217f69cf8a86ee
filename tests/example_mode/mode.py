"""The engine of the example mode: a listener that answers each line (through the shared
conversation engine, so its turns are stored and streamed like every other mode's)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from assistant.modes import ModeParts, ModeSpec
from assistant.modes.base import Conversation, current
from assistant.store import Session, Turn

NAME = "echo"


@dataclass
class Listener:
    """Answers every line; the opening line is fixed."""

    conversation: Conversation
    name: str = NAME

    def start(self, user_id: int, lang: str, options: dict[str, Any] | None = None) -> Session:
        store = self.conversation.store
        session = store.create_session(
            user_id, mode=self.name, lang=lang, system_prompt="You listen.", title="Listening"
        )
        store.add_turn(session.id, "assistant", "I am listening.")
        return session

    def respond(
        self, session: Session, text: str, turns: list[Turn] | None = None
    ) -> Iterator[str]:
        session, turns = current(self.conversation.store, session, turns)
        self.conversation.accept_user_text(session, text, turns)
        yield from self.conversation.stream_reply(session, turns=turns)

    def retry(self, session: Session, turns: list[Turn] | None = None) -> Iterator[str]:
        session, turns = current(self.conversation.store, session, turns)
        yield from self.conversation.stream_reply(session, turns=turns)


def build(parts: ModeParts) -> Listener:
    return Listener(parts.conversation)


SPEC = ModeSpec(NAME, build, "tests.example_mode.tab:build_echo_tab")
