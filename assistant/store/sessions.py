"""Sessions and their turns, which form a tree: Rehearse can rewind, so a session's
conversation is the path from its first turn to its head turn, and the other paths are its
branches.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from assistant.store.connections import Database
from assistant.store.records import Role, Session, SessionSummary, Turn, TurnStatus, utc_now


def _turn_columns(table: str = "") -> str:
    """The turns table's columns in ``Turn``'s field order, so rows construct it positionally
    (several times faster than by keyword; a long session is read twice per turn)."""
    prefix = f"{table}." if table else ""
    return ", ".join(prefix + f.name for f in fields(Turn))


class SessionTables(Database):
    """The sessions and turns tables."""

    def create_session(
        self,
        user_id: int,
        *,
        mode: str,
        lang: str,
        system_prompt: str,
        title: str = "",
        options: dict[str, Any] | None = None,
    ) -> Session:
        """Start a session whose system prompt stays fixed for its whole life."""
        now = utc_now()
        with self._connect(write=True) as db:
            cursor = db.execute(
                "INSERT INTO sessions (user_id, mode, lang, title, system_prompt, options, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (user_id, mode, lang, title, system_prompt, json.dumps(options or {}), now, now),
            )
            session_id = int(cursor.lastrowid or 0)
        session = self.session(user_id, session_id)
        assert session is not None
        return session

    def session(self, user_id: int, session_id: int) -> Session | None:
        """One session, only if it belongs to the user."""
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM sessions WHERE id = ? AND user_id = ?", (session_id, user_id)
            ).fetchone()
        if row is None:
            return None
        data = dict(row)
        data["options"] = json.loads(data["options"] or "{}")
        return Session(**data)

    def sessions(self, user_id: int, *, limit: int = 100) -> list[SessionSummary]:
        """The user's sessions, most recently active first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT s.id, s.mode, s.lang, s.title, s.updated_at, "
                "(SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id AND t.role = 'user') "
                "AS user_turns FROM sessions s WHERE s.user_id = ? "
                "ORDER BY s.updated_at DESC, s.id DESC LIMIT ?",
                (user_id, limit),
            ).fetchall()
        return [SessionSummary(**dict(row)) for row in rows]

    def set_title(self, session_id: int, title: str) -> None:
        """Name a session (the list shows it)."""
        with self._connect(write=True) as db:
            db.execute("UPDATE sessions SET title = ? WHERE id = ?", (title, session_id))

    def update_options(self, session_id: int, **changes: Any) -> dict[str, Any]:
        """Merge changes into a session's options (stage, action plan, ...); returns them."""
        with self._connect(write=True) as db:
            row = db.execute("SELECT options FROM sessions WHERE id = ?", (session_id,)).fetchone()
            options = json.loads(row["options"] or "{}") if row else {}
            options.update(changes)
            db.execute(
                "UPDATE sessions SET options = ? WHERE id = ?", (json.dumps(options), session_id)
            )
        return options

    def delete_session(self, user_id: int, session_id: int) -> bool:
        """Delete a session and its turns; False when it is not the user's."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "DELETE FROM sessions WHERE id = ? AND user_id = ?", (session_id, user_id)
            )
            return cursor.rowcount > 0

    # turns

    def recover_interrupted(self) -> int:
        """Mark replies left 'streaming' by a crash as interrupted; returns how many."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "UPDATE turns SET status='interrupted', completed_at=? WHERE status='streaming'",
                (utc_now(),),
            )
            return cursor.rowcount

    def add_turn(
        self,
        session_id: int,
        role: Role,
        text: str,
        *,
        status: TurnStatus = "complete",
        author: str | None = None,
    ) -> int:
        """Append a turn after the session's head turn and make it the new head; returns its
        id and marks the session as just active. ``author`` notes who wrote a turn when it is
        not the usual one (e.g. "swap" while the roles are switched)."""
        now = utc_now()
        completed = now if status == "complete" else None
        # A reply's empty placeholder need not wait for the disk (see the package docstring).
        with self._connect(write=True, synced=status != "streaming") as db:
            head = db.execute(
                "SELECT head_turn_id FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            # A streaming reply is stamped with this process (see liveness.py).
            owner = getattr(self, "owner", None) if status == "streaming" else None
            cursor = db.execute(
                "INSERT INTO turns (session_id, role, text, status, created_at, completed_at, "
                "parent_id, author, stream_owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session_id,
                    role,
                    text,
                    status,
                    now,
                    completed,
                    head[0] if head else None,
                    author,
                    owner,
                ),
            )
            turn_id = int(cursor.lastrowid or 0)
            db.execute(
                "UPDATE sessions SET updated_at = ?, head_turn_id = ? WHERE id = ?",
                (now, turn_id, session_id),
            )
            return turn_id

    def save_partial(self, turn_id: int, text: str) -> None:
        """Keep what has streamed so far, so a crash loses at most the last moment (an app
        crash; not synced to disk, see the package docstring)."""
        with self._connect(write=True, synced=False) as db:
            db.execute("UPDATE turns SET text = ? WHERE id = ?", (text, turn_id))

    def finish_turn(
        self,
        turn_id: int,
        text: str,
        *,
        status: TurnStatus,
        error: str | None = None,
        prompt_tokens: int | None = None,
        completion_tokens: int | None = None,
    ) -> None:
        """Store a reply's final text and how it ended."""
        with self._connect(write=True) as db:
            db.execute(
                "UPDATE turns SET text = ?, status = ?, error = ?, completed_at = ?, "
                "prompt_tokens = ?, completion_tokens = ? WHERE id = ?",
                (text, status, error, utc_now(), prompt_tokens, completion_tokens, turn_id),
            )

    def interrupt_streaming(self, session_id: int) -> int:
        """Mark the session's still-streaming reply as interrupted (the user pressed Stop)."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "UPDATE turns SET status = 'interrupted', completed_at = ? "
                "WHERE session_id = ? AND status = 'streaming'",
                (utc_now(), session_id),
            )
            return cursor.rowcount

    def supersede_trailing_replies(self, session_id: int) -> int:
        """Set aside the replies after the last user turn, so Retry can answer it anew."""
        with self._connect(write=True) as db:
            last_user = db.execute(
                "SELECT MAX(id) FROM turns WHERE session_id = ? AND role = 'user'", (session_id,)
            ).fetchone()[0]
            if last_user is None:
                return 0
            cursor = db.execute(
                "UPDATE turns SET status = 'superseded' WHERE session_id = ? AND id > ? "
                "AND role = 'assistant'",
                (session_id, last_user),
            )
            return cursor.rowcount

    def turns(self, session_id: int, *, include_superseded: bool = False) -> list[Turn]:
        """The session's conversation in order: the path from its first turn to its head.

        Without rewinds this is every turn of the session; after a rewind, other branches
        are left out (see ``branches``).
        """
        query = (
            "WITH RECURSIVE path(id) AS ("
            " SELECT head_turn_id FROM sessions WHERE id = ?"
            " UNION ALL SELECT t.parent_id FROM turns t JOIN path p ON t.id = p.id"
            " WHERE t.parent_id IS NOT NULL)"
            f" SELECT {_turn_columns('turns')} FROM turns JOIN path ON turns.id = path.id"
            " WHERE session_id = ?"
        )
        if not include_superseded:
            query += " AND status != 'superseded'"
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY turns.id", (session_id, session_id)).fetchall()
        return [Turn(*row) for row in rows]

    def all_turns(self, session_id: int) -> list[Turn]:
        """Every turn of the session, all branches, in the order they were written."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_turn_columns()} FROM turns WHERE session_id = ? ORDER BY id",
                (session_id,),
            ).fetchall()
        return [Turn(*row) for row in rows]

    def set_head(self, session_id: int, turn_id: int | None) -> None:
        """Continue the session after ``turn_id`` (None: from the very start); the turns
        after it stay stored as another branch."""
        with self._connect(write=True) as db:
            if turn_id is not None:
                row = db.execute(
                    "SELECT 1 FROM turns WHERE id = ? AND session_id = ?", (turn_id, session_id)
                ).fetchone()
                if row is None:
                    raise ValueError(f"turn {turn_id} is not part of session {session_id}")
            db.execute("UPDATE sessions SET head_turn_id = ? WHERE id = ?", (turn_id, session_id))

    def branches(self, session_id: int) -> list[Turn]:
        """The last turn of every branch (turns nothing follows), oldest first."""
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_turn_columns('t')} FROM turns t WHERE session_id = ? "
                "AND status != 'superseded' AND "
                "NOT EXISTS (SELECT 1 FROM turns c WHERE c.parent_id = t.id "
                "AND c.status != 'superseded') ORDER BY id",
                (session_id,),
            ).fetchall()
        return [Turn(*row) for row in rows]

    def set_warning(self, turn_id: int, warning: str | None) -> None:
        """Attach a quiet warning to a turn (e.g. a reply that still broke character)."""
        with self._connect(write=True) as db:
            db.execute("UPDATE turns SET warning = ? WHERE id = ?", (warning, turn_id))
