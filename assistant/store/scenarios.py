"""The user's own scenarios from the scenario builder (stored as their data)."""

from __future__ import annotations

import json
from typing import Any

from assistant.store.connections import Database
from assistant.store.records import utc_now


class ScenarioTables(Database):
    """The saved_scenarios table."""

    def save_scenario(
        self, user_id: int, scenario_id: str, lang: str, data: dict[str, Any]
    ) -> None:
        """Save (or replace) one of the user's own scenarios."""
        with self._connect(write=True) as db:
            db.execute(
                "INSERT INTO saved_scenarios (user_id, scenario_id, lang, data, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, scenario_id, lang) "
                "DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (user_id, scenario_id, lang, json.dumps(data), utc_now()),
            )

    def saved_scenarios(self, user_id: int, lang: str | None = None) -> list[dict[str, Any]]:
        """The user's own scenarios (their stored data), newest first."""
        query = "SELECT data FROM saved_scenarios WHERE user_id = ?"
        params: tuple[Any, ...] = (user_id,)
        if lang:
            query += " AND lang = ?"
            params += (lang,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY updated_at DESC", params).fetchall()
        return [json.loads(row["data"]) for row in rows]
