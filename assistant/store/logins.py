"""Sign-ins and uploads every app process on one database shares (the logins, app_secrets
and uploads tables).

A login is kept as the SHA-256 of its token: whoever reads the table cannot sign in with what
it holds. Each row says whose login it is and the credential fingerprint it was issued with
(``assistant.users.credential_fingerprint``), so a password changed or removed by any process
ends it. Logins older than ``LOGIN_DAYS`` are not honoured and are deleted as new ones come.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from assistant.store.connections import Database
from assistant.store.records import utc_now

LOGIN_DAYS = 30


def _oldest_kept() -> str:
    return (datetime.now(UTC) - timedelta(days=LOGIN_DAYS)).isoformat(timespec="milliseconds")


class LoginTables(Database):
    """The logins, app_secrets and uploads tables."""

    def add_login(self, token_hash: str, user: str, fingerprint: str | None) -> None:
        """Record a new login (and forget the ones past their age)."""
        with self._connect(write=True) as db:
            db.execute("DELETE FROM logins WHERE created_at < ?", (_oldest_kept(),))
            db.execute(
                "INSERT INTO logins (token_hash, user_name, fingerprint, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET "
                "user_name = excluded.user_name, fingerprint = excluded.fingerprint",
                (token_hash, user, fingerprint, utc_now()),
            )

    def login(self, token_hash: str) -> tuple[str, str | None] | None:
        """The (user, credential fingerprint) of a live login, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT user_name, fingerprint FROM logins "
                "WHERE token_hash = ? AND created_at >= ?",
                (token_hash, _oldest_kept()),
            ).fetchone()
        return (str(row["user_name"]), row["fingerprint"]) if row else None

    def set_login_fingerprint(self, token_hash: str, fingerprint: str | None) -> bool:
        """Replace the credential fingerprint a login was issued with; False when it has ended."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "UPDATE logins SET fingerprint = ? WHERE token_hash = ?", (fingerprint, token_hash)
            )
            return cursor.rowcount > 0

    def end_login(self, token_hash: str) -> bool:
        """End one login, in every process; False when it had ended already."""
        with self._connect(write=True) as db:
            cursor = db.execute("DELETE FROM logins WHERE token_hash = ?", (token_hash,))
            return cursor.rowcount > 0

    def login_hashes(self) -> list[str]:
        """The token hashes of every live login."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT token_hash FROM logins WHERE created_at >= ? ORDER BY created_at",
                (_oldest_kept(),),
            ).fetchall()
        return [str(row["token_hash"]) for row in rows]

    def shared_secret(self, name: str) -> str:
        """A random value every process on this database reads the same (made on first use)."""
        with self._connect() as db:
            row = db.execute("SELECT value FROM app_secrets WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return str(row["value"])
        with self._connect(write=True) as db:
            # Two processes starting together: the first insert wins, both read the winner.
            db.execute(
                "INSERT OR IGNORE INTO app_secrets (name, value) VALUES (?, ?)",
                (name, secrets.token_urlsafe(32)),
            )
            row = db.execute("SELECT value FROM app_secrets WHERE name = ?", (name,)).fetchone()
            return str(row["value"])

    def add_uploads(self, user: str, paths: list[str]) -> None:
        """Record that the user uploaded the files at these (resolved) paths."""
        with self._connect(write=True) as db:
            for path in paths:
                db.execute(
                    "INSERT INTO uploads (path, user_name, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (path) DO UPDATE SET user_name = excluded.user_name",
                    (path, user, utc_now()),
                )

    def upload_owner(self, path: str) -> str | None:
        """Who uploaded the file at this (resolved) path, or None."""
        with self._connect() as db:
            row = db.execute("SELECT user_name FROM uploads WHERE path = ?", (path,)).fetchone()
        return str(row["user_name"]) if row else None
