"""``PostgresStore``: every table family's calls on the PostgreSQL pool (``postgres.py``)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from assistant.store import Store, migrations
from assistant.store.postgres import PostgresDatabase, _database_error

# Held while one process migrates, so processes started together do not race to the schema.
MIGRATION_LOCK_KEY = 0x636F616368  # "coach"
# The advisory locks of ``exclusive``: this prefix and a checksum of the lock's name.
NAMED_LOCK_PREFIX = 0x636F << 32


def named_lock_key(name: str) -> int:
    """The advisory lock key of a named lock (not the migration lock's)."""
    return NAMED_LOCK_PREFIX | zlib.crc32(name.encode("utf-8"))


class PostgresStore(PostgresDatabase, Store):
    """The app's database on PostgreSQL: the same calls, migrations and records as SQLite."""

    def migrate(self) -> int:
        """Apply pending migrations (one process at a time), return the schema version."""
        with self._connect(write=True) as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK_KEY,))
            migrations.migrate(db)
        return self.schema_version()

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Hold the advisory lock ``name`` for the block, across every process on this
        server, waiting (without a statement timeout) while another process holds it.

        The lock lives on a connection of its own, outside the pool, so the block may use
        the store freely; a process that dies mid-block loses its connection and with it the
        lock, so the next process goes on."""
        try:
            connection = psycopg.connect(
                self.url, autocommit=True, connect_timeout=max(1, round(self.connect_timeout))
            )
        except psycopg.Error as exc:
            raise _database_error(exc, self.where) from exc
        with connection:
            connection.execute("SET statement_timeout = 0")
            connection.execute("SELECT pg_advisory_lock(%s)", (named_lock_key(name),))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (named_lock_key(name),))

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
