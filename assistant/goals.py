"""Follow-up across sessions: the opening check-in on open goals, overdue flags, recording
check-ins, celebrating finished goals (the `coach goals` command is in goals_cli.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from assistant import i18n
from assistant.feedback import Debrief
from assistant.store import Goal, Session, Store

MAX_CHECK_IN_GOALS = 3


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
    lines = goal_lines(goals, lang, today)
    if not lines:
        return None
    return "\n".join(
        [i18n.t(lang, "check_in_opening_intro"), *lines, i18n.t(lang, "check_in_opening_question")]
    )


def goal_lines(goals: list[Goal], lang: str, today: date) -> list[str]:
    """Up to three open goals as "- text (by date)" lines, overdue ones flagged gently."""
    lines = []
    for goal in [g for g in goals if g.status == "open"][:MAX_CHECK_IN_GOALS]:
        line = f"- {goal.text}"
        if goal.due.strip():
            line += f" ({i18n.t(lang, 'check_in_opening_by', due=goal.due.strip())})"
        if is_overdue(goal, today):
            line += f"; {i18n.t(lang, 'check_in_opening_overdue')}"
        lines.append(line)
    return lines


def checked_in_on(goal: Goal, today: date) -> bool:
    """True when the goal already has a check-in from today (no need to ask again)."""
    return any(c.created_at.startswith(today.isoformat()) for c in goal.check_ins)


_SKIP = re.compile(
    r"^\W*(skip|not now|no thanks|spring (det )?over|ikke nu|nej tak)\b", re.IGNORECASE
)


def wants_to_skip(answer: str) -> bool:
    """True when the person skips the check-in ("skip", "spring over", "ikke nu")."""
    return _SKIP.search(answer) is not None


def record_check_in(
    store: Store,
    user_id: int,
    goal_id: int,
    *,
    progress: int,
    note: str = "",
    status: str | None = None,
    session_id: int | None = None,
) -> Goal | None:
    """Record how one of the user's goals is going: progress (0-100 %), a note, optionally a
    new status (open, done, dropped). Returns the goal as it is now, or None when it is not
    the user's."""
    return store.check_in(
        user_id, goal_id, progress=progress, note=note, status=status, session_id=session_id
    )


def record_check_ins(
    store: Store, user_id: int, goals: Iterable[Goal], note: str, *, session_id: int | None = None
) -> int:
    """One answer ("how has it gone?") as a check-in on each of the goals, progress unchanged
    (the person updates it in the Goals tab). Returns how many check-ins were stored (a goal
    that is not the user's gets none)."""
    stored = 0
    for goal in goals:
        checked = record_check_in(
            store, user_id, goal.id, progress=goal.progress, note=note, session_id=session_id
        )
        stored += checked is not None
    return stored


def check_in_recorder(store: Store) -> Callable[[Session, str], None]:
    """Store the person's answer to the opening check-in as a check-in on each goal it named
    (progress unchanged; they can update it in the Goals tab). A skip stores nothing."""

    def record(session: Session, answer: str) -> None:
        if wants_to_skip(answer):
            return
        named = [
            store.goal(session.user_id, int(i)) for i in session.options.get("check_in_goals", [])
        ]
        still_open = [g for g in named if g is not None and g.status == "open"]
        record_check_ins(store, session.user_id, still_open, answer, session_id=session.id)

    return record


def goal_from_debrief(debrief: Debrief | None, lang: str) -> tuple[str, str]:
    """A goal the person can keep from a debrief: the first thing to try next time as the
    goal, and the lowest-rated success criterion, one point higher, as the measure.

    A plain-text debrief gives ("", "") so the person writes the goal themselves."""
    if debrief is None or not debrief.growth_areas:
        return "", ""
    area = debrief.growth_areas[0]
    text = area.suggestion.strip()
    if area.alternative_line.strip():
        text += f" “{area.alternative_line.strip()}”"
    if not debrief.ratings:
        return text, ""
    weakest = min(debrief.ratings, key=lambda r: r.rating)
    measure = i18n.t(
        lang,
        "goal_from_debrief_measure",
        criterion=weakest.criterion,
        target=min(5, weakest.rating + 1),
        now=weakest.rating,
    )
    return text, measure


def celebration(goal: Goal, lang: str) -> str:
    """A short, specific word for a finished goal (strategy celebrate-wins)."""
    return i18n.t(lang, "goal_celebrate", text=goal.text)


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
