"""`coach export`: sessions as Markdown or JSON, to stdout, a file, or a folder with --all."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from assistant.config import Settings
from assistant.export import FORMATS, render, safe_file_name, session_export
from assistant.store.backends import open_store
from assistant.users_cli import USER_HELP, cli_user_id


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add `coach export` to the command."""

    @app.command("export")
    def export_command(
        session_id: Annotated[int | None, typer.Argument(help="The session to export.")] = None,
        all_sessions: Annotated[bool, typer.Option("--all", help="Export every session.")] = False,
        fmt: Annotated[str, typer.Option("--format", help="md or json.")] = "md",
        out: Annotated[
            Path | None, typer.Option("--out", help="A file (one session) or a folder (--all).")
        ] = None,
        user_name: Annotated[str | None, typer.Option("--user", help=USER_HELP)] = None,
    ) -> None:
        """Export sessions as Markdown or JSON (to stdout, a file, or a folder with --all)."""
        if fmt not in FORMATS:
            raise typer.BadParameter("use md or json", param_hint="--format")
        if (session_id is None) == (not all_sessions):
            raise typer.BadParameter("give a SESSION_ID or --all (not both)")
        settings = load_settings()
        store = open_store(settings)
        store.migrate()
        user = cli_user_id(store, user_name)
        ids = [s.id for s in store.sessions(user, limit=100_000)] if all_sessions else [session_id]
        exports = [store_data for i in ids if (store_data := session_export(store, user, i or 0))]
        if not exports and all_sessions:
            # An empty history is not a failure. JSON to stdout stays JSON (an empty list, as
            # `coach goals --json` gives); otherwise the note goes to stderr, so a redirected
            # stdout stays empty and no folder is made.
            if fmt == "json" and out is None:
                typer.echo("[]")
            else:
                typer.echo("Nothing to export yet: there are no sessions.", err=True)
            return
        if not exports:
            typer.echo(f"No session {session_id}.", err=True)
            raise typer.Exit(1)
        if all_sessions and out is not None:
            out.mkdir(parents=True, exist_ok=True)
            for data in exports:
                path = out / safe_file_name(data["title"], data["id"], fmt)
                path.write_text(render(data, fmt), encoding="utf-8")
            typer.echo(f"Wrote {len(exports)} sessions to {out}", err=True)
            return
        if all_sessions and fmt == "json":
            text = json.dumps(exports, ensure_ascii=False, indent=2)
        else:
            text = "\n\n---\n\n".join(render(data, fmt) for data in exports)
        if out is not None:
            out.write_text(text, encoding="utf-8")
        else:
            typer.echo(text)
