"""`coach user add|list|remove|passwd`: the people who may sign in to a shared Peer Coach."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from assistant.config import Settings
from assistant.errors import CoachError
from assistant.store import Store
from assistant.store.backends import open_store
from assistant.users import Accounts, unknown_user


def read_password(from_stdin: bool, *, prompt: str = "Password") -> str:
    """The new password: the first line of stdin, or typed twice at a hidden prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(f"{prompt}: ")
    second = getpass.getpass(f"{prompt} (again): ")
    if first != second:
        raise CoachError(
            "password_mismatch",
            "The two passwords differ; nothing was changed. Try again.",
            "De to adgangskoder er forskellige; intet blev ændret. Prøv igen.",
        )
    return first


PASSWORD_STDIN = typer.Option(
    "--password-stdin", help="Read the password from the first line of stdin (scripts)."
)
USER_HELP = "Whose data to use (a `coach user list` name; default: the local user)."


def cli_user_id(store: Store, name: str | None) -> int:
    """The store id for a command's ``--user NAME`` (the local user without one); an unknown
    name ends the command with a clear message."""
    try:
        return Accounts(store).resolve(name)
    except CoachError as exc:
        raise _fail(exc) from exc


def _fail(exc: CoachError) -> typer.Exit:
    typer.echo(exc.en, err=True)
    return typer.Exit(1)


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add `coach user ...` to the command."""
    user_app = typer.Typer(
        name="user",
        help="Manage who may sign in when the app is shared on a network.",
        no_args_is_help=True,
    )
    app.add_typer(user_app, name="user")

    def accounts() -> Accounts:
        store = open_store(load_settings())
        store.migrate()
        return Accounts(store)

    @user_app.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="The name to sign in with.")],
        password_stdin: Annotated[bool, PASSWORD_STDIN] = False,
    ) -> None:
        """Create a user with a password; from the next start the page asks everyone to sign in."""
        try:
            found = accounts()
            sign_in_was_on = found.auth_required()
            found.add(name, read_password(password_stdin))
        except CoachError as exc:
            raise _fail(exc) from exc
        if sign_in_was_on:
            typer.echo(f"User '{name}' added; they can sign in now.")
        else:
            # A running app read "no sign-in" when it started and keeps serving openly.
            typer.echo(
                f"User '{name}' added. Sign-in is now on for the next start: restart Peer "
                "Coach if it is running (until then it stays open without sign-in)."
            )

    @user_app.command("passwd")
    def passwd(
        name: Annotated[str, typer.Argument(help="Whose password to change.")],
        password_stdin: Annotated[bool, PASSWORD_STDIN] = False,
    ) -> None:
        """Change a user's password."""
        try:
            found = accounts()
            if found.store.find_user(name) is None:  # before asking for a password
                raise unknown_user(name)
            found.change_password(name, read_password(password_stdin, prompt="New password"))
        except CoachError as exc:
            raise _fail(exc) from exc
        typer.echo(f"Password of '{name}' changed; their open sign-ins end at once.")

    @user_app.command("list")
    def list_users() -> None:
        """List the users and whether each can sign in."""
        users = accounts().list()
        if not users:
            typer.echo("No users yet. `coach user add NAME` creates one.")
            return
        for account in users:
            state = "can sign in" if account.has_password else "no password (local use only)"
            typer.echo(f"{account.name}\t{state}\tsince {account.created_at[:10]}")

    @user_app.command("remove")
    def remove(
        name: Annotated[str, typer.Argument(help="The user to remove.")],
        delete_data: Annotated[
            bool,
            typer.Option(
                "--delete-data",
                help="Also delete their sessions, goals, scenarios and uploads (cannot be undone).",
            ),
        ] = False,
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    ) -> None:
        """Stop a user from signing in (their data stays unless --delete-data)."""
        found = accounts()
        user_id = found.store.find_user(name)
        if user_id is None:
            typer.echo(f"There is no user named '{name}'. `coach user list` shows them.", err=True)
            raise typer.Exit(1)
        if delete_data:
            if not yes and not typer.confirm(
                f"Delete every session, goal, scenario and upload of '{name}'?", default=False
            ):
                typer.echo("Nothing was deleted.")
                raise typer.Exit(1)
            _delete_uploads(load_settings(), str(user_id))
        found.remove(name, delete_data=delete_data)
        if delete_data:
            typer.echo(f"User '{name}' and all their data deleted; their open sign-ins ended.")
        else:
            typer.echo(
                f"User '{name}' can no longer sign in (open sign-ins ended); their data is kept."
            )


def _delete_uploads(settings: Settings, user: str) -> None:
    """Delete a user's uploaded documents (files and index), before their id can be reused."""
    from assistant.knowledge import Library

    library = Library.open(settings)
    for upload in library.list_uploads(user):
        library.delete_upload(user, upload.name)
