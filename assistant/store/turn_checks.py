"""What the reply checks found on a reply, kept on its turn (``turns.checks``, JSON).

Only a reply whose first attempt failed a check has a record: ``{"before": [...], "after":
[...]}``, the problems of the first attempt and of the attempt kept. The debrief and ``coach
eval`` count them; a turn without one passed on the first try.
"""

from __future__ import annotations

import json

from assistant.store.connections import Database


class TurnCheckTables(Database):
    """The ``checks`` column of the turns table."""

    def set_checks(self, turn_id: int, checks: dict[str, list[str]]) -> None:
        """Keep what the reply checks found on a turn."""
        with self._connect(write=True) as db:
            db.execute("UPDATE turns SET checks = ? WHERE id = ?", (json.dumps(checks), turn_id))

    def turn_checks(self, session_id: int) -> dict[int, dict[str, list[str]]]:
        """The check records of a session's turns (every branch), by turn id."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT id, checks FROM turns WHERE session_id = ? AND checks IS NOT NULL",
                (session_id,),
            ).fetchall()
        return {int(row[0]): json.loads(row[1]) for row in rows}
