"""Users and their passwords (the credentials table)."""

from __future__ import annotations

from assistant.store.connections import Database
from assistant.store.dialect import table_exists
from assistant.store.records import LOCAL_USER, Credential, utc_now


class UserTables(Database):
    """The users and credentials tables."""

    def user_id(self, name: str = LOCAL_USER) -> int:
        """The id of a user, created on first use."""
        # Every page event asks, so an existing user is a plain read that never queues behind
        # a reply's writes; only a new name takes the writer lock. INSERT OR IGNORE then a
        # read, so a name another thread or process created meanwhile is found, not doubled.
        found = self.find_user(name)
        if found is not None:
            return found
        with self._connect(write=True) as db:
            db.execute(
                "INSERT OR IGNORE INTO users (name, created_at) VALUES (?, ?)", (name, utc_now())
            )
            row = db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
            return int(row["id"])

    def find_user(self, name: str) -> int | None:
        """The id of an existing user, or None (never creates one)."""
        with self._connect() as db:
            row = db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
        return int(row["id"]) if row else None

    def user_with_password(self, name: str) -> int | None:
        """The id of a user who can sign in (has a password), or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT u.id FROM users u JOIN credentials c ON c.user_id = u.id WHERE u.name = ?",
                (name,),
            ).fetchone()
        return int(row["id"]) if row else None

    def users(self) -> list[tuple[str, bool, str]]:
        """Every user as (name, has a password, created at), by name."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT u.name, c.user_id IS NOT NULL AS has_password, u.created_at "
                "FROM users u LEFT JOIN credentials c ON c.user_id = u.id ORDER BY u.name"
            ).fetchall()
        return [(row["name"], bool(row["has_password"]), row["created_at"]) for row in rows]

    def set_credential(self, user_id: int, credential: Credential) -> None:
        """Store (or replace) a user's password hash."""
        with self._connect(write=True) as db:
            db.execute(
                "INSERT INTO credentials (user_id, scheme, n, r, p, salt, hash, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
                "scheme = excluded.scheme, n = excluded.n, r = excluded.r, p = excluded.p, "
                "salt = excluded.salt, hash = excluded.hash, updated_at = excluded.updated_at",
                (
                    user_id,
                    credential.scheme,
                    credential.n,
                    credential.r,
                    credential.p,
                    credential.salt,
                    credential.hash,
                    utc_now(),
                ),
            )

    def credential(self, name: str) -> Credential | None:
        """The password hash of the named user, or None when they have none."""
        with self._connect() as db:
            row = db.execute(
                "SELECT c.scheme, c.n, c.r, c.p, c.salt, c.hash FROM credentials c "
                "JOIN users u ON u.id = c.user_id WHERE u.name = ?",
                (name,),
            ).fetchone()
        return Credential(**dict(row)) if row else None

    def has_credentials(self) -> bool:
        """True when at least one user has a password (the page then requires sign-in)."""
        if not self._database_exists():
            return False
        with self._connect() as db:
            return (
                table_exists(db, "credentials")
                and db.execute("SELECT 1 FROM credentials").fetchone() is not None
            )

    def delete_credential(self, user_id: int) -> bool:
        """Remove a user's password (they can no longer sign in; their data stays)."""
        with self._connect(write=True) as db:
            cursor = db.execute("DELETE FROM credentials WHERE user_id = ?", (user_id,))
            return cursor.rowcount > 0

    def delete_user(self, user_id: int) -> bool:
        """Delete a user with everything they stored (sessions, turns, goals, scenarios)."""
        with self._connect(write=True) as db:
            cursor = db.execute("DELETE FROM users WHERE id = ?", (user_id,))
            return cursor.rowcount > 0
