"""What the page shell hands to every tab: services, shared components and session helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gradio as gr
from gradio.context import LocalContext

from assistant.errors import CoachError
from assistant.services import Services
from assistant.store import LOCAL_USER, Session, SessionSummary, Store
from assistant.ui.i18n import t
from assistant.ui.relabel import Labels, Relabeler
from assistant.ui.render import session_choices
from assistant.ui.user_files import UserFiles


def request_user_id(store: Store, request: gr.Request | None, auth: bool) -> int:
    """The store id for a request: the user Gradio signed in, or the single local user
    when the page has no sign-in. With sign-in, a request without a user is refused.

    Gradio sets ``LocalContext.request`` around every step of an event handler, also for
    sync generators run in worker threads (checked against Gradio 6.31).
    """
    name = getattr(request, "username", None) if request is not None else None
    if not name:
        if auth:
            raise CoachError(
                "not_signed_in",
                "Please sign in again: this request did not come from a signed-in user.",
                "Log venligst ind igen: denne forespørgsel kom ikke fra en logget ind bruger.",
            )
        return store.user_id(LOCAL_USER)
    # A user removed (or whose password was removed) while signed in is refused at once.
    user_id = store.user_with_password(name) if auth else store.find_user(name)
    if user_id is None:
        raise CoachError(
            "account_removed",
            f"The account '{name}' no longer exists. Ask whoever runs Peer Coach.",
            f"Kontoen '{name}' findes ikke længere. Spørg den, der driver Peer Coach.",
        )
    return user_id


# Where an event's resolved user id is kept on its gr.Request.
RESOLVED = "_coach_user_id"


@dataclass
class PageContext:
    """Shared by the shell and the tabs; holds no per-browser state (that is in gr.State).

    The user is never captured when the page is built: ``user_id`` is resolved for each event
    from the request being handled (the signed-in name with auth, else the single local user).
    Read it inside handlers, never at build time.
    """

    services: Services
    relabel: Relabeler
    language: gr.Radio
    auth: bool = False
    files: UserFiles = field(default_factory=UserFiles)  # whose cached files are whose
    labels: Labels = field(init=False)

    def __post_init__(self) -> None:
        # Built-time texts are in the configured language; re-labels follow the page's.
        self.labels = Labels(self.relabel, self.services.settings.language)

    @property
    def user_id(self) -> int:
        """The store id of the user whose event is being handled (resolved once per event:
        kept on the event's request object, which no other event shares)."""
        request = LocalContext.request.get(None)
        if request is None:
            return request_user_id(self.services.store, None, self.auth)
        resolved = request.__dict__.get(RESOLVED)
        if resolved is None:
            resolved = request_user_id(self.services.store, request, self.auth)
            request.__dict__[RESOLVED] = resolved
        return int(resolved)

    @property
    def user_id_or_none(self) -> int | None:
        """Like ``user_id``, but None while the page is being built with sign-in on (no user
        yet): for choices filled at build time, which then show only shared things."""
        request = LocalContext.request.get(None)
        if request is None and self.auth:
            return None
        return self.user_id

    @property
    def user_name(self) -> str | None:
        """The signed-in name of the event's user, or None without sign-in (one user)."""
        _ = self.user_id  # refuses a request without a user, or of a removed user
        request = LocalContext.request.get(None)
        return getattr(request, "username", None) if self.auth else None

    def may_read_file(self, path: str | None) -> bool:
        """Whether the event's user may hand this file to the app (their own upload)."""
        return path is None or self.files.may_read(self.user_name, path)

    def write_download(self, name: str, text: str) -> str:
        """A download for the event's user, in their own folder of Gradio's cache."""
        return self.files.write_text(self.user_name, name, text)

    def load_session(self, session_id: int | None) -> Session | None:
        """The user's session with this id, or None."""
        return self.services.store.session(self.user_id, session_id) if session_id else None

    def sessions(self) -> list[SessionSummary]:
        """The user's sessions of every mode, most recent first."""
        return self.services.store.sessions(self.user_id)

    def list_update(self, lang: str, selected: int | None) -> Any:
        """The session list (every mode's sessions, the mode named), fresh from the database,
        with one session selected."""
        choices = session_choices(self.sessions(), lang)
        empty = None if choices else t(lang, "no_sessions")
        return gr.Radio(choices=choices, value=selected, label=t(lang, "sessions"), info=empty)
