"""The Gradio web app: ``build_app(services)`` builds the page, ``launch`` serves it."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol, cast

# Gradio reads this when it is imported: no usage analytics, no version check.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# Gradio's queue rebuilds a pandas summary of its last 10,000 events after every event, for a
# monitoring page the app turns off (launch below); that cost grows to tens of milliseconds
# per event in a long-running server. Keep few records and summarise rarely.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "500")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000000")

import gradio as gr  # noqa: E402
from gradio.routes import App, ORJSONResponse  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.ui.guard import Guard, SignIns  # noqa: E402
from assistant.ui.i18n import t  # noqa: E402
from assistant.ui.logins import COOKIE_SECRET, StoredLogins  # noqa: E402
from assistant.ui.page import CSS, build_app  # noqa: E402
from assistant.ui.user_files import UserFiles  # noqa: E402
from assistant.users import is_local_address  # noqa: E402

__all__ = ["build_app", "launch"]


def auth_message() -> str:
    """The sign-in page's message, in both languages (Gradio's own form has no Danish)."""
    return f'<p>{t("en", "auth_message")}</p><p lang="da">{t("da", "auth_message")}</p>'


class SharedSignIns(Protocol):
    """The store's calls sign-in needs when logins are shared (assistant/store/logins.py)."""

    def add_login(self, token_hash: str, user: str, fingerprint: str | None) -> None: ...
    def login(self, token_hash: str) -> tuple[str, str | None] | None: ...
    def set_login_fingerprint(self, token_hash: str, fingerprint: str | None) -> bool: ...
    def end_login(self, token_hash: str) -> bool: ...
    def login_hashes(self) -> list[str]: ...
    def shared_secret(self, name: str) -> str: ...


class GuardedApp(App):
    """Gradio's FastAPI app with the guard (assistant/ui/guard.py) outside all its middleware,
    so that the guard, not Gradio's CORS middleware, has the last word on every answer.

    With ``logins`` (the store), Gradio's tokens live in the store and its cookie has the name
    every process on that store uses: a login made on one process is honoured on all."""

    def __init__(
        self,
        settings: Settings,
        fingerprint: Callable[[str], str | None],
        files: UserFiles | None = None,
        logins: SharedSignIns | None = None,
    ) -> None:
        self._stored: StoredLogins | None = None
        super().__init__(default_response_class=ORJSONResponse)
        self.files = files
        issued: MutableMapping[str, str | None] = {}
        if logins is not None:
            self._stored = StoredLogins(logins, fingerprint)
            issued = self._stored.issued
            # Gradio names its cookie after a random id per process; shared, so every
            # process reads the cookie another one set.
            self.cookie_id = logins.shared_secret(COOKIE_SECRET)
        self.sign_ins = SignIns(
            tokens=lambda: self.tokens,
            cookie_id=lambda: self.cookie_id,
            required=lambda: self.auth is not None,
            fingerprint=fingerprint,
            issued=issued,
        )
        self.guard_settings = settings

    # Gradio assigns ``self.tokens = {}`` when it is made and again when a page is set up;
    # with stored logins those assignments are ignored and every read goes to the store.
    @property  # type: ignore[override]
    def tokens(self) -> MutableMapping[str, str]:
        """Gradio's token -> user name: the store's logins when shared, else Gradio's dict."""
        if self._stored is not None:
            return self._stored
        return cast("MutableMapping[str, str]", self.__dict__["_own_tokens"])

    @tokens.setter
    def tokens(self, value: MutableMapping[str, str]) -> None:
        self.__dict__["_own_tokens"] = value

    def build_middleware_stack(self) -> Any:
        """Starlette's stack (Gradio's middleware included), wrapped in the guard."""
        settings = self.guard_settings
        return Guard(
            super().build_middleware_stack(),
            allowed_origins=frozenset(settings.allowed_origins),
            max_body=settings.max_request_bytes,
            sign_ins=self.sign_ins,
            local_only=is_local_address(settings.host),
            files=self.files,
        )


def _no_credentials(name: str) -> str | None:
    return None


def launch(
    demo: gr.Blocks,
    settings: Settings,
    *,
    block: bool = True,
    auth: Callable[[str, str], Awaitable[bool]] | None = None,
    fingerprint: Callable[[str], str | None] = _no_credentials,
    files: UserFiles | None = None,
    logins: SharedSignIns | None = None,
) -> App:
    """Serve the page on the configured address (127.0.0.1 by default), never via share links.

    With ``auth`` (a name/password check), every page view and API call needs a signed-in user;
    ``fingerprint(name)`` tells the state of a user's password now, so a sign-in ends when the
    password is changed or removed; ``files`` (the page's, see ``build_app``) keeps each
    signed-in user to their own cached files; ``logins`` (the store) keeps sign-ins where every
    app process on the same database honours them (see ``GuardedApp``). The queue (and its
    concurrency limit) is set up by ``build_app``. Returns the running app.
    """
    app = GuardedApp(settings, fingerprint, files, logins)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        show_error=True,
        inbrowser=False,
        css=CSS,
        prevent_thread_lock=not block,
        # Bounds memory: Gradio otherwise keeps every browser session's state for an hour.
        state_session_capacity=settings.browser_sessions,
        footer_links=["settings"],
        enable_monitoring=False,  # no /monitoring endpoint (it is on unless said otherwise)
        auth=cast(Any, auth),  # Gradio awaits a coroutine function (its types say sync)
        auth_message=auth_message() if auth else None,
        max_file_size=settings.max_request_bytes,
        # The only way into Gradio's app before it starts serving (the parameter is Gradio's
        # own, for apps it did not create): the guard has to sit outside all of it.
        _app=app,
    )
    return app
