"""The `coach` command: serve, doctor, pull (and the knowledge and skills commands)."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

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
from assistant.llm import OllamaService
from assistant.serving import load_settings, serve_app
from assistant.store.backends import open_store

app = typer.Typer(
    name="coach",
    help="Peer Coach: practise coaching conversations with a local model.",
    no_args_is_help=True,
    add_completion=False,
)


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
