"""`coach goals`: the user's goals with their latest check-in, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated

import typer

from assistant.config import Settings
from assistant.goals import goal_to_dict, is_overdue
from assistant.store.backends import open_store
from assistant.users_cli import USER_HELP, cli_user_id


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add `coach goals` to the command."""

    @app.command("goals")
    def goals_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the goals as JSON.")] = False,
        user: Annotated[str | None, typer.Option("--user", help=USER_HELP)] = None,
    ) -> None:
        """List your goals with their latest check-in."""
        settings = load_settings()
        store = open_store(settings)
        store.migrate()
        today = date.today()
        goals = store.goals(cli_user_id(store, user))
        if as_json:
            typer.echo(json.dumps([goal_to_dict(g, today) for g in goals], indent=2))
            return
        if not goals:
            typer.echo("No goals yet. Save an action plan as a goal in Reflect, or add one.")
            return
        for goal in goals:
            flag = " (overdue)" if is_overdue(goal, today) else ""
            due = f", due {goal.due}" if goal.due else ""
            typer.echo(f"[{goal.status}] {goal.text}{due}{flag}: {goal.progress}%")
            if goal.check_ins:
                latest = goal.check_ins[-1]
                typer.echo(f"        last check-in {latest.created_at[:10]}: {latest.note}")
