"""Follow-up across sessions: the opening check-in on open goals, overdue flags, celebrating
finished goals, and the `coach goals` command."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from assistant.config import Settings
from assistant.store import Goal, Session, Store

MAX_CHECK_IN_GOALS = 3

TEXT = {
    "en": {
        "intro": "Before we start, a quick check-in on what you planned last time:",
        "by": "by {due}",
        "overdue": "that date has passed; no judgement, I'm just curious how it went",
        "question": (
            "How has it gone since then? If you would rather skip the check-in, just say so "
            "and tell me what you want to think through today."
        ),
        "celebrate": "Well done: you finished “{text}”. What made the difference?",
    },
    "da": {
        "intro": "Før vi begynder, en kort indtjekning på det, du planlagde sidst:",
        "by": "senest {due}",
        "overdue": "den dato er passeret; ingen dom, jeg er bare nysgerrig på, hvordan det gik",
        "question": (
            "Hvordan er det gået siden? Hvis du hellere vil springe indtjekningen over, så sig "
            "det, og fortæl mig, hvad du vil tænke igennem i dag."
        ),
        "celebrate": "Godt gået: du nåede “{text}”. Hvad gjorde forskellen?",
    },
}


def _text(lang: str) -> dict[str, str]:
    return TEXT["da" if lang == "da" else "en"]


def due_date(goal: Goal) -> date | None:
    """The goal's due date when it is written as YYYY-MM-DD (free text like 'Friday' is kept
    as the person wrote it, but cannot be overdue)."""
    try:
        return date.fromisoformat(goal.due.strip())
    except ValueError:
        return None


def is_overdue(goal: Goal, today: date) -> bool:
    """True for an open goal whose due date has passed."""
    due = due_date(goal)
    return goal.status == "open" and due is not None and due < today


def check_in_opening(goals: list[Goal], lang: str, today: date) -> str | None:
    """The coach's opening when the person has open goals, or None when there are none.

    Names up to three goals, flags overdue ones gently, and says the check-in can be skipped.
    """
    open_goals = [g for g in goals if g.status == "open"][:MAX_CHECK_IN_GOALS]
    if not open_goals:
        return None
    words = _text(lang)
    lines = [words["intro"]]
    for goal in open_goals:
        line = f"- {goal.text}"
        if goal.due.strip():
            line += f" ({words['by'].format(due=goal.due.strip())})"
        if is_overdue(goal, today):
            line += f"; {words['overdue']}"
        lines.append(line)
    lines.append(words["question"])
    return "\n".join(lines)


_SKIP = re.compile(
    r"^\W*(skip|not now|no thanks|spring (det )?over|ikke nu|nej tak)\b", re.IGNORECASE
)


def wants_to_skip(answer: str) -> bool:
    """True when the person skips the check-in ("skip", "spring over", "ikke nu")."""
    return _SKIP.search(answer) is not None


def check_in_recorder(store: Store) -> Callable[[Session, str], None]:
    """Store the person's answer to the opening check-in as a check-in on each goal it named
    (progress unchanged; they can update it in the Goals tab). A skip stores nothing."""

    def record(session: Session, answer: str) -> None:
        if wants_to_skip(answer):
            return
        for goal_id in session.options.get("check_in_goals", []):
            goal = store.goal(session.user_id, int(goal_id))
            if goal is not None and goal.status == "open":
                store.check_in(
                    session.user_id,
                    goal.id,
                    progress=goal.progress,
                    note=answer,
                    session_id=session.id,
                )

    return record


def celebration(goal: Goal, lang: str) -> str:
    """A short, specific word for a finished goal (strategy celebrate-wins)."""
    return _text(lang)["celebrate"].format(text=goal.text)


def goal_to_dict(goal: Goal, today: date) -> dict[str, Any]:
    """The JSON shape of `coach goals --json` for one goal."""
    latest = goal.check_ins[-1] if goal.check_ins else None
    return {
        "id": goal.id,
        "text": goal.text,
        "measure": goal.measure,
        "due": goal.due,
        "status": goal.status,
        "overdue": is_overdue(goal, today),
        "progress": goal.progress,
        "created_at": goal.created_at,
        "latest_check_in": (
            {"date": latest.created_at, "progress": latest.progress, "note": latest.note}
            if latest
            else None
        ),
    }


def register(app: typer.Typer, load_settings: Callable[[], Settings]) -> None:
    """Add `coach goals` to the command."""

    @app.command("goals")
    def goals_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the goals as JSON.")] = False,
    ) -> None:
        """List your goals with their latest check-in."""
        settings = load_settings()
        store = Store(settings.database_path)
        store.migrate()
        today = date.today()
        goals = store.goals(store.user_id())
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
