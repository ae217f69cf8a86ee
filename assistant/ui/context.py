"""What the page shell hands to every tab: services, shared components and session helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.services import Services
from assistant.store import Session
from assistant.ui.i18n import t
from assistant.ui.relabel import Relabeler
from assistant.ui.render import session_choices


@dataclass
class PageContext:
    """Shared by the shell and the tabs; holds no per-browser state (that is in gr.State)."""

    services: Services
    user_id: int
    relabel: Relabeler
    language: gr.Radio
    session_state: gr.State
    session_list: gr.Radio

    def start_session(self, lang: str, mode: str = "reflect") -> Session:
        """Start a new session of a mode for this page's user."""
        return self.services.modes[mode].start(self.user_id, lang)

    def load_session(self, session_id: int | None) -> Session | None:
        """The user's session with this id, or None."""
        return self.services.store.session(self.user_id, session_id) if session_id else None

    def list_update(self, lang: str, selected: int | None) -> Any:
        """The session list, fresh from the database, with one session selected."""
        choices = session_choices(self.services.store.sessions(self.user_id), lang)
        return gr.Radio(choices=choices, value=selected, label=t(lang, "sessions"))
