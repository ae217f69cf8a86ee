"""Builds every collaborator once from settings and hands them out as one object."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, cast

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.knowledge import Library
from assistant.llm import DeferredChatModel, OllamaService, build_chat_model
from assistant.modes import MODES, ModeParts, ModeSpec
from assistant.modes.base import Conversation, Mode
from assistant.modes.history import Budget
from assistant.prompts import PromptLibrary
from assistant.store import Store
from assistant.store.backends import open_store
from assistant.store.liveness import Heartbeat
from assistant.token_caps import TokenCaps
from assistant.warm_up import warm_up_for

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)


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
    # The modes' specs, in the order of the page's tabs (the page and History read them).
    mode_specs: tuple[ModeSpec, ...] = MODES
    # Set when the first page has been shown, so background indexing can wait for it.
    first_view: threading.Event = field(default_factory=threading.Event)
    # With a shared database (PostgreSQL): this process's liveness beat (store/liveness.py).
    heartbeat: Heartbeat | None = None
    _closed: bool = field(default=False, init=False, repr=False)

    def close(self) -> None:
        """Let go of everything this process holds, as it stops: the liveness beat ends and
        the process's ``app_processes`` row goes (other processes on a shared database stop
        counting it at once, and its unfinished replies are marked interrupted), then the
        store's connections (a PostgreSQL pool) and the knowledge library's Chroma client
        are closed. Each step runs even when an earlier one fails (a database that is gone
        by now is logged, not raised); calling it again does nothing more."""
        if self._closed:
            return
        self._closed = True
        if self.heartbeat is not None:
            self.heartbeat.stop()
        steps = (self.store.forget_process, self.store.close, self.library.close)
        for step in steps:
            try:
                step()
            except CoachError as exc:
                log.warning("while closing: %s", exc.en)


def build_services(
    settings: Settings,
    *,
    chat_model: BaseChatModel | None = None,
    modes: tuple[ModeSpec, ...] = MODES,
) -> Services:
    """Open the database (migrating it) and set up the model clients; no network calls.

    Without ``chat_model`` the modes share one ``ChatOllama`` that is built on first use (a
    :class:`DeferredChatModel`), so serving the page does not wait for langchain's import.
    ``modes`` are the modes to build (all of them by default).
    """
    store = open_store(settings)
    store.migrate()
    heartbeat = None
    if settings.database_url:  # other processes may share it: recover only dead ones' replies
        heartbeat = Heartbeat(
            store, interval=settings.process_heartbeat, stale_after=settings.process_stale_after
        ).start()
    else:
        store.recover_interrupted()
    prompts = PromptLibrary(settings.prompts_dir)
    conversation = Conversation(
        # Typed as the chat model it forwards every attribute and call to.
        chat_model=chat_model
        or cast("BaseChatModel", DeferredChatModel(partial(build_chat_model, settings))),
        store=store,
        budget=Budget(num_ctx=settings.num_ctx),
        host=",".join(settings.ollama_hosts),  # every server of a pool, for messages
        model=settings.model,
        max_message_chars=settings.max_message_chars,
    )
    conversation.caps = TokenCaps.from_settings(settings)
    conversation.warm_up = warm_up_for(settings, conversation.busy)
    library = Library.open(settings, exclusive=store.exclusive)
    parts = ModeParts(conversation=conversation, prompts=prompts, library=library)
    return Services(
        settings=settings,
        store=store,
        ollama=OllamaService(settings),
        prompts=prompts,
        conversation=conversation,
        library=library,
        modes={spec.name: spec.build(parts) for spec in modes},
        mode_specs=modes,
        heartbeat=heartbeat,
    )
