"""Builds every collaborator once from settings and hands them out as one object."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, cast

from assistant.config import Settings
from assistant.goals import check_in_recorder
from assistant.knowledge import Library
from assistant.knowledge.loader import Entry, load_entry
from assistant.llm import DeferredChatModel, OllamaService, build_chat_model
from assistant.modes.base import Conversation, Mode
from assistant.modes.history import Budget
from assistant.modes.practice import practice_mode
from assistant.modes.qa import qa_mode
from assistant.modes.reflect import Reflect, StrategyNotes
from assistant.modes.rehearse import rehearse_mode
from assistant.prompts import PromptLibrary
from assistant.store import Store

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


@dataclass
class Services:
    """Everything the UI and the CLI need, built from one Settings."""

    settings: Settings
    store: Store
    ollama: OllamaService
    prompts: PromptLibrary
    conversation: Conversation
    library: Library
    modes: dict[str, Mode]
    # Set when the first page has been shown, so background indexing can wait for it.
    first_view: threading.Event = field(default_factory=threading.Event)


# The entries the Reflect coach always has at hand, in this order (rendered once per session).
REFLECT_ENTRIES = (
    "session-structure",
    "questions-not-advice",
    "active-listening",
    "clear-goals",
    "accountability-checkpoints",
)


def library_notes(library: Library, ids: tuple[str, ...]) -> StrategyNotes:
    """Coaching notes for a system prompt: each entry's title and summary, with its id.

    Reads just the files it needs (a few ms), not the whole library, so starting a session
    stays instant.
    """

    def notes(lang: str) -> str:
        lines = []
        for entry_id in ids:
            for path in sorted(library.knowledge_dir.glob(f"*/{entry_id}.{lang}.md")):
                entry = load_entry(path)
                if isinstance(entry, Entry):
                    lines.append(f"- {entry.title} [{entry_id}]: {entry.summary.strip()}")
                    break
        return "\n".join(lines)

    return notes


def build_services(settings: Settings, *, chat_model: BaseChatModel | None = None) -> Services:
    """Open the database (migrating it) and set up the model clients; no network calls.

    Without ``chat_model`` the modes share one ``ChatOllama`` that is built on first use (a
    :class:`DeferredChatModel`), so serving the page does not wait for langchain's import.
    """
    store = Store(settings.database_path)
    store.migrate()
    store.recover_interrupted()
    prompts = PromptLibrary(settings.prompts_dir)
    conversation = Conversation(
        # Typed as the chat model it forwards every attribute and call to.
        chat_model=chat_model
        or cast("BaseChatModel", DeferredChatModel(partial(build_chat_model, settings))),
        store=store,
        budget=Budget(num_ctx=settings.num_ctx),
        host=settings.ollama_host,
        model=settings.model,
        max_message_chars=settings.max_message_chars,
    )
    library = Library.open(settings)
    reflect = Reflect(
        conversation=conversation,
        prompts=prompts,
        strategy_notes=library_notes(library, REFLECT_ENTRIES),
        record_check_in=check_in_recorder(store),
    )
    rehearse = rehearse_mode(conversation, prompts, library)
    practice = practice_mode(rehearse)
    return Services(
        settings=settings,
        store=store,
        ollama=OllamaService(settings),
        prompts=prompts,
        conversation=conversation,
        library=library,
        modes={
            reflect.name: reflect,
            rehearse.name: rehearse,
            practice.name: practice,
            "qa": qa_mode(conversation, prompts, library),
        },
    )
