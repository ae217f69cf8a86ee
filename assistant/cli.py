"""The `coach` command: serve, doctor, pull (and the knowledge and skills commands)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TransferSpeedColumn,
)

from assistant import (
    eval_cli,
    export_cli,
    goals_cli,
    plan_cli,
    practice_cli,
    skills_cli,
    users_cli,
)
from assistant.analyse_cli import register as register_analyse
from assistant.config import Settings
from assistant.errors import CoachError
from assistant.knowledge import Library
from assistant.knowledge import cli as knowledge_cli
from assistant.llm import OllamaService, warm_up
from assistant.store.backends import open_store

if TYPE_CHECKING:
    from assistant.services import Services

app = typer.Typer(
    name="coach",
    help="Peer Coach: practise coaching conversations with a local model.",
    no_args_is_help=True,
    add_completion=False,
)


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


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (COACH_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (COACH_PORT).")] = None,
    insecure_no_auth: Annotated[
        bool,
        typer.Option(
            "--insecure-no-auth",
            help="Serve on a network address WITHOUT sign-in (anyone reaching the port can "
            "read every transcript). Prefer `coach user add NAME`.",
        ),
    ] = False,
) -> None:
    """Start the web app (same as `python app.py`)."""
    serve_app(load_settings(host=host, port=port), insecure_no_auth=insecure_no_auth)


def doctor_report(settings: Settings) -> dict[str, Any]:
    """Everything a chat needs, checked; the shape is documented in the README."""
    status = OllamaService(settings).status()
    store = open_store(settings)
    storage_error = None
    try:
        schema_version = store.migrate()
    except CoachError as exc:
        schema_version, storage_error = store.schema_version(), exc.en
    report: dict[str, Any] = {
        "ollama": {
            "reachable": status.reachable,
            "host": status.host,
            "version": status.version,
            "error": status.error.en if status.error else None,
        },
        # None: unknown, since nobody could ask Ollama (not "missing").
        "model": {
            "name": settings.model,
            "installed": status.model_installed if status.reachable else None,
        },
        "data_dir": str(settings.data_dir),
        "schema_version": schema_version,
        "storage_error": storage_error,
    }
    report["ready"] = status.ready and storage_error is None
    # Knowledge and embeddings are reported but not needed for a chat to run.
    report.update(Library.open(settings).status())
    return report


# What the test suite needs besides the Python packages (the end-to-end tier drives Debian's
# Chromium at this path; tests never download a browser of their own).
CHROMIUM = "/usr/bin/chromium"
DEV_MODULES = ("pytest", "playwright", "gradio_client", "ruff", "mypy")


def dev_report() -> dict[str, bool]:
    """Whether each tool the README's test command needs is on this machine."""
    import importlib.util
    import os

    found = {name: importlib.util.find_spec(name) is not None for name in DEV_MODULES}
    found["chromium"] = os.access(CHROMIUM, os.X_OK)
    return found


def print_dev_report(found: dict[str, bool]) -> None:
    """The dev checks as lines, each missing tool with how to install it."""
    for name, ok in found.items():
        where = CHROMIUM if name == "chromium" else f"Python package {name}"
        typer.echo(f"[{'ok  ' if ok else 'FAIL'}] {where}")
    if not found.get("chromium", True):
        typer.echo("       the end-to-end tests need it: apt-get install chromium")
    if not all(ok for name, ok in found.items() if name != "chromium"):
        typer.echo('       pip install -e ".[dev]"')


@app.command()
def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    dev: Annotated[
        bool,
        typer.Option(
            "--dev", help="Check what the test suite needs instead (Chromium, test packages)."
        ),
    ] = False,
) -> None:
    """Check Ollama, the model and the data directory; exit 0 only when a chat can run.

    With --dev: check what the README's test command needs; exit 0 only when it can run.
    """
    if dev:
        found = dev_report()
        if as_json:
            typer.echo(json.dumps(found, indent=2))
        else:
            print_dev_report(found)
        raise typer.Exit(0 if all(found.values()) else 1)
    report = doctor_report(load_settings())
    if as_json:
        typer.echo(json.dumps(report, indent=2))
    else:
        ollama, model = report["ollama"], report["model"]
        mark = {True: "ok  ", False: "FAIL"}
        typer.echo(f"[{mark[ollama['reachable']]}] Ollama at {ollama['host']}", nl=False)
        typer.echo(f" (version {ollama['version']})" if ollama["version"] else "")
        if ollama["error"]:
            typer.echo(f"       {ollama['error']}")
        if model["installed"] is None:
            typer.echo(f"[ ?  ] model {model['name']} installed: unknown, Ollama is not reachable")
        else:
            typer.echo(f"[{mark[model['installed']]}] model {model['name']} installed")
        if ollama["reachable"] and not model["installed"]:
            typer.echo(f"       run `coach pull` or `ollama pull {model['name']}`")
        typer.echo(f"[{mark[report['storage_error'] is None]}] data dir {report['data_dir']}")
        if report["storage_error"]:
            typer.echo(f"       {report['storage_error']}")
        typer.echo(f"       database schema version {report['schema_version']}")
        knowledge = report["knowledge"]
        state = "up to date" if knowledge["up_to_date"] else "run `coach ingest`"
        typer.echo(
            f"       knowledge: {knowledge['entries']} files, {knowledge['chunks']} chunks "
            f"({state}); embeddings {report['embeddings']['name']}"
        )
        typer.echo("Ready to coach." if report["ready"] else "Not ready yet.")
    raise typer.Exit(0 if report["ready"] else 1)


@app.command()
def pull(
    model: Annotated[str | None, typer.Argument(help="Model name (default: COACH_MODEL).")] = None,
) -> None:
    """Download the model through Ollama, with a progress bar."""
    settings = load_settings()
    service = OllamaService(settings)
    name = model or settings.model
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    try:
        with Progress(*columns, transient=False) as progress:
            task = progress.add_task(f"pulling {name}", total=None)
            for step in service.pull(name):
                description = step.status[:40]
                if step.total:
                    progress.update(
                        task, description=description, total=step.total, completed=step.completed
                    )
                else:
                    progress.update(task, description=description)
                if step.done:
                    done = progress.tasks[0].total or 1
                    progress.update(task, completed=done, total=done)
    except CoachError as exc:
        typer.echo(exc.en, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{name} is ready.")


knowledge_cli.register(app, load_settings)
skills_cli.register(app)
plan_cli.register(app, load_settings)
practice_cli.register(app, load_settings)
goals_cli.register(app, load_settings)
export_cli.register(app, load_settings)
users_cli.register(app, load_settings)
register_analyse(app, load_settings)
eval_cli.register(app, load_settings)


def main() -> None:
    """Entry point of the `coach` console script."""
    try:
        app()
    except KeyboardInterrupt:  # a clean exit for Ctrl+C in serve/pull
        sys.exit(130)
