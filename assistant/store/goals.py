"""Goals and their check-ins (follow-up across sessions)."""

from __future__ import annotations

from typing import Any

from assistant.store.connections import Database
from assistant.store.records import CheckIn, Goal, utc_now


class GoalTables(Database):
    """The goals and check_ins tables."""

    def add_goal(
        self,
        user_id: int,
        text: str,
        *,
        measure: str = "",
        due: str = "",
        session_id: int | None = None,
    ) -> Goal:
        """Record a goal (from an action plan, a debrief or written by hand)."""
        now = utc_now()
        with self._connect(write=True) as db:
            cursor = db.execute(
                "INSERT INTO goals (user_id, session_id, text, measure, due, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, session_id, text, measure, due, now, now),
            )
            goal_id = int(cursor.lastrowid or 0)
        goal = self.goal(user_id, goal_id)
        assert goal is not None
        return goal

    def goal(self, user_id: int, goal_id: int) -> Goal | None:
        """One of the user's goals with its check-ins, or None."""
        goals = self.goals(user_id, goal_id=goal_id)
        return goals[0] if goals else None

    def goals(
        self, user_id: int, *, status: str | None = None, goal_id: int | None = None
    ) -> list[Goal]:
        """The user's goals, newest first, each with its check-ins (oldest first)."""
        query = "SELECT * FROM goals WHERE user_id = ?"
        params: list[Any] = [user_id]
        if status:
            query += " AND status = ?"
            params.append(status)
        if goal_id is not None:
            query += " AND id = ?"
            params.append(goal_id)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id DESC", params).fetchall()
            result = []
            for row in rows:
                check_ins = db.execute(
                    "SELECT * FROM check_ins WHERE goal_id = ? ORDER BY id", (row["id"],)
                ).fetchall()
                result.append(Goal(**dict(row), check_ins=[CheckIn(**dict(c)) for c in check_ins]))
        return result

    def check_in(
        self,
        user_id: int,
        goal_id: int,
        *,
        progress: int,
        note: str = "",
        status: str | None = None,
        session_id: int | None = None,
    ) -> Goal | None:
        """Record progress (0-100 %) on one of the user's goals, optionally a new status."""
        if self.goal(user_id, goal_id) is None:
            return None
        now = utc_now()
        with self._connect(write=True) as db:
            db.execute(
                "INSERT INTO check_ins (goal_id, session_id, note, progress, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (goal_id, session_id, note, max(0, min(100, int(progress))), now),
            )
            if status in ("open", "done", "dropped"):
                db.execute(
                    "UPDATE goals SET status = ?, updated_at = ? WHERE id = ?",
                    (status, now, goal_id),
                )
            else:
                db.execute("UPDATE goals SET updated_at = ? WHERE id = ?", (now, goal_id))
        return self.goal(user_id, goal_id)
