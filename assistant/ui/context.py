"""What the page shell hands to every tab: services, shared components and session helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import gradio as gr

from assistant.goals import MAX_CHECK_IN_GOALS, check_in_opening
from assistant.services import Services
from assistant.store import Session, SessionSummary
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
    new_session_button: gr.Button

    def start_session(
        self, lang: str, mode: str = "reflect", options: dict[str, Any] | None = None
    ) -> Session:
        """Start a new session of a mode for this page's user; a Reflect session opens with
        a check-in on open goals when there are any."""
        options = dict(options or {})
        if mode == "reflect" and "check_in" not in options:
            goals = self.services.store.goals(self.user_id, status="open")[:MAX_CHECK_IN_GOALS]
            options["check_in"] = check_in_opening(goals, lang, date.today())
            options["check_in_goals"] = [goal.id for goal in goals]
        return self.services.modes[mode].start(self.user_id, lang, options)

    def load_session(self, session_id: int | None) -> Session | None:
        """The user's session with this id, or None."""
        return self.services.store.session(self.user_id, session_id) if session_id else None

    def reflections(self) -> list[SessionSummary]:
        """The user's Reflect sessions, most recent first (the sidebar lists these; other
        modes keep their sessions in their own tab)."""
        return [s for s in self.services.store.sessions(self.user_id) if s.mode == "reflect"]

    def list_update(self, lang: str, selected: int | None) -> Any:
        """The session list, fresh from the database, with one session selected."""
        choices = session_choices(self.reflections(), lang)
        return gr.Radio(choices=choices, value=selected, label=t(lang, "sessions"))
