"""The live labels of users' lines, one JSON record per turn (``assistant.turn_labels``)."""

from __future__ import annotations

import json
from typing import Any

from assistant.store.connections import Database
from assistant.store.records import utc_now


class TurnLabelTables(Database):
    """The turn_labels table."""

    def set_turn_labels(self, session_id: int, turn_id: int, data: dict[str, Any]) -> None:
        """Store (or replace) the labels of one turn."""
        with self._connect(write=True) as db:
            db.execute(
                # An upsert both backends spell the same (the dialect layer knows no OR REPLACE).
                "INSERT INTO turn_labels (turn_id, session_id, data, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (turn_id) DO UPDATE SET "
                "data = excluded.data, created_at = excluded.created_at",
                (turn_id, session_id, json.dumps(data), utc_now()),
            )

    def turn_labels(self, session_id: int) -> dict[int, dict[str, Any]]:
        """The session's stored labels by turn id (every branch)."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT turn_id, data FROM turn_labels WHERE session_id = ?", (session_id,)
            ).fetchall()
        return {int(row["turn_id"]): json.loads(row["data"]) for row in rows}
