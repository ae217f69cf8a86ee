"""Builds every collaborator once from settings and hands them out as one object."""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from assistant.config import Settings
from assistant.llm import OllamaService, build_chat_model
from assistant.modes.base import Conversation, Mode
from assistant.modes.history import Budget
from assistant.modes.reflect import Reflect
from assistant.prompts import PromptLibrary
from assistant.store import Store


@dataclass
class Services:
    """Everything the UI and the CLI need, built from one Settings."""

    settings: Settings
    store: Store
    ollama: OllamaService
    prompts: PromptLibrary
    conversation: Conversation
    modes: dict[str, Mode]


def build_services(settings: Settings, *, chat_model: BaseChatModel | None = None) -> Services:
    """Open the database (migrating it) and build the model clients; no network calls."""
    store = Store(settings.database_path)
    store.migrate()
    store.recover_interrupted()
    prompts = PromptLibrary(settings.prompts_dir)
    conversation = Conversation(
        chat_model=chat_model or build_chat_model(settings),
        store=store,
        budget=Budget(num_ctx=settings.num_ctx),
        host=settings.ollama_host,
        model=settings.model,
        max_message_chars=settings.max_message_chars,
    )
    reflect = Reflect(conversation=conversation, prompts=prompts)
    return Services(
        settings=settings,
        store=store,
        ollama=OllamaService(settings),
        prompts=prompts,
        conversation=conversation,
        modes={reflect.name: reflect},
    )
