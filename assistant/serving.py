"""Serving the page: ``python app.py`` and ``coach serve`` (settings, the model's load, the
services, background indexing and warm-up, the Gradio server).

Kept apart from the ``coach`` command's module so that ``python app.py`` asks Ollama to load
the model before importing the other commands (1.2 s on the machine it was built on), while the
start of the page still waits for its own imports.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import stat
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.store.backends import open_store

if TYPE_CHECKING:
    from assistant.knowledge import Library
    from assistant.services import Services


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and .env, with command-line overrides on top."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def serve_app(settings: Settings | None = None, *, insecure_no_auth: bool = False) -> None:
    """Build everything and serve the page until interrupted (used by app.py and `serve`).

    Once a user has a password, everyone must sign in. Binding an address other machines can
    reach is refused while nobody has one, unless ``insecure_no_auth`` says otherwise.
    """
    from assistant.users import exposure_check

    settings = settings or load_settings()
    make_private(settings.data_dir)
    probe = open_store(settings)
    try:
        auth_configured = probe.has_credentials()  # no file yet: none
    finally:  # on PostgreSQL its own pool: the services open theirs
        with contextlib.suppress(CoachError):  # read-only SQLite files keep theirs open
            probe.close()
    try:
        warning = exposure_check(settings.host, auth_configured, insecure_no_auth)
    except CoachError as exc:
        typer.echo(exc.en, err=True)
        raise typer.Exit(2) from exc
    if warning:
        typer.echo(warning, err=True)
    load_model_at_start(settings)

    from assistant.services import build_services

    services = build_services(settings)
    stop_on_sigterm()
    try:
        _serve(services, auth_configured)
    finally:  # Ctrl-C, SIGTERM (a service manager, a test), or a failure while serving
        services.close()


def load_model_at_start(settings: Settings) -> None:
    """Ask Ollama to load the chat model now, while the app builds its services and page
    (unless COACH_WARM_UP is off): on a laptop the load takes about as long as the start."""
    from assistant.warm_up import warm_up_for

    warm_up = warm_up_for(settings, busy=lambda: False)  # nothing of this app runs yet
    if warm_up is not None:
        warm_up.app_start()


def stop_on_sigterm() -> None:
    """End the process on SIGTERM as on Ctrl-C, by raising SystemExit(0) in the main thread,
    so ``serve_app``'s ``finally`` closes the services (without it Python dies on the spot,
    leaving its liveness row and database connections for the others to time out)."""

    def exit_cleanly(signum: int, frame: object) -> None:
        raise SystemExit(0)

    if threading.current_thread() is threading.main_thread():  # signals go to the main one
        signal.signal(signal.SIGTERM, exit_cleanly)


def _serve(services: Services, auth_configured: bool) -> None:
    """Start the background work and serve the page until interrupted."""
    from assistant.llm import warm_up
    from assistant.ui import build_app, launch
    from assistant.ui.user_files import UserFiles
    from assistant.users import Accounts, auth_callable, credential_fingerprint

    settings = services.settings
    chat_model, library = services.conversation.chat_model, services.library
    indexing = start_background_ingest(library, services.first_view)
    # Get the first search ready (embedding model, search index; imports chromadb), after
    # indexing when that runs (ingest from the shipped vectors loads no model).
    later = [library.warm_up] if indexing is None else []
    start_background_warm_up(services.first_view, lambda: warm_up(chat_model), niced=later)
    auth = auth_callable(Accounts(services.store)) if auth_configured else None
    show_http_log()

    def fingerprint(name: str) -> str | None:
        return credential_fingerprint(services.store.credential(name))

    # The page writes downloads by it, the guard serves files by it; uploads' owners and the
    # sign-ins are kept in the store, so every app process on one database shares them.
    files = UserFiles(owners=services.store)
    launch(
        build_app(services, files),
        settings,
        auth=auth,
        fingerprint=fingerprint,
        files=files,
        logins=services.store,
    )


def make_private(data_dir: Path) -> None:
    """Make everything the served app writes readable by its owner only: the process creates
    files 600 and folders 700 (umask 077: the database, uploads, exports, Gradio's cached
    files), and what an earlier run left in the data folder loses group and other access."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True)
    for folder, folders, files in os.walk(data_dir):
        for name in [*folders, *files, ""]:
            path = Path(folder, name) if name else Path(folder)
            with contextlib.suppress(OSError):
                mode = path.lstat().st_mode
                if not stat.S_ISLNK(mode):
                    path.chmod(stat.S_IMODE(mode) & ~0o077)


def show_http_log() -> None:
    """Print the guard's log lines (refused requests, sign-ins) on stderr."""
    logger = logging.getLogger("assistant.http")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def start_background_ingest(
    library: Library, first_view: threading.Event | None = None, *, wait: float = 20.0
) -> threading.Thread | None:
    """Index the built-in library in the background when it changed, so the page is served
    at once; searches made meanwhile use what the index already holds.

    The thread waits until the first page has been shown (or ``wait`` seconds), then indexes
    at a lower CPU priority, so the first view is not slowed down on a small machine.
    """
    if not library.needs_ingest():
        return None

    def ingest() -> None:
        if first_view is not None:
            first_view.wait(wait)
        with contextlib.suppress(AttributeError, OSError):  # Linux: nice just this thread
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        try:
            report = library.ingest()
            typer.echo(f"Knowledge library indexed: {report.summary()}", err=True)
        except Exception as exc:  # keep serving; `coach ingest` shows the details
            typer.echo(f"Indexing the knowledge library failed: {exc}", err=True)
            return
        with contextlib.suppress(Exception):  # a real problem shows at the first search
            library.warm_up()  # the shipped vectors meant no model was loaded to ingest

    thread = threading.Thread(target=ingest, name="knowledge-ingest", daemon=True)
    thread.start()
    return thread


def start_background_warm_up(
    first_view: threading.Event,
    *steps: Callable[[], object],
    niced: Sequence[Callable[[], object]] = (),
    wait: float = 20.0,
) -> threading.Thread:
    """After the first page view (or ``wait`` seconds), do in a thread what the page does not
    need to be served but a first turn or search would otherwise wait for: ``steps`` in order
    (e.g. building the chat model, which imports langchain), then, at a lower CPU priority,
    ``niced`` (e.g. building the embedding function, which imports chromadb).

    ``steps`` keep the normal priority because a turn may be waiting for them: a niced thread
    holding the GIL and the import locks while other processes keep the CPUs busy would hold
    that turn up.
    """

    def run_steps() -> None:
        first_view.wait(wait)
        for step in steps:
            with contextlib.suppress(Exception):  # a real problem shows at first real use
                step()
        with contextlib.suppress(AttributeError, OSError):  # Linux: nice just this thread
            thread_id = threading.get_native_id()
            lower = max(10, os.getpriority(os.PRIO_PROCESS, thread_id))  # never raise it
            os.setpriority(os.PRIO_PROCESS, thread_id, lower)
        for step in niced:
            with contextlib.suppress(Exception):
                step()

    thread = threading.Thread(target=run_steps, name="warm-up", daemon=True)
    thread.start()
    return thread
