"""``PostgresStore``: every table family's calls on the PostgreSQL pool (``postgres.py``)."""

from __future__ import annotations

from assistant.store import Store, migrations
from assistant.store.postgres import PostgresDatabase

# Held while one process migrates, so processes started together do not race to the schema.
MIGRATION_LOCK_KEY = 0x636F616368  # "coach"


class PostgresStore(PostgresDatabase, Store):
    """The app's database on PostgreSQL: the same calls, migrations and records as SQLite."""

    def migrate(self) -> int:
        """Apply pending migrations (one process at a time), return the schema version."""
        with self._connect(write=True) as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK_KEY,))
            migrations.migrate(db)
        return self.schema_version()

    def schema_version(self) -> int:
        """How many migrations have been applied (0 for an empty database)."""
        with self._connect() as db:
            return migrations.applied_count(db)

    def integrity_ok(self) -> bool:
        """True when the server answers (PostgreSQL checks its own pages as it reads them)."""
        with self._connect() as db:
            return bool(db.execute("SELECT 1").fetchone()[0] == 1)

    def _database_exists(self) -> bool:
        return True
