"""Debriefs, stored with their session: structured data or the plain-text fallback."""

from __future__ import annotations

import json
from typing import Any, Literal

from assistant.store.connections import Database
from assistant.store.records import StoredDebrief, utc_now


class DebriefTables(Database):
    """The debriefs table."""

    def add_debrief(
        self,
        session_id: int,
        *,
        kind: Literal["structured", "plain"],
        data: dict[str, Any] | None = None,
        text: str = "",
        rating: float | None = None,
    ) -> int:
        """Store a debrief (and its overall rating) with the session; returns its id."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "INSERT INTO debriefs (session_id, kind, data, text, rating, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, kind, json.dumps(data or {}), text, rating, utc_now()),
            )
            return int(cursor.lastrowid or 0)

    def debriefs(self, session_id: int) -> list[StoredDebrief]:
        """The session's debriefs, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM debriefs WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
        result = []
        for row in rows:
            data = dict(row)
            data["data"] = json.loads(data["data"] or "{}")
            result.append(StoredDebrief(**data))
        return result
