"""Which database the app uses: SQLite in the data directory (the default, for one person),
or PostgreSQL when ``COACH_DATABASE_URL`` names one (for a team, several app processes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.store import Store

if TYPE_CHECKING:
    from assistant.config import Settings


def is_postgres_url(url: str | None) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL."""
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def open_store(settings: Settings) -> Store:
    """The store the settings name (no connection is made yet)."""
    if is_postgres_url(settings.database_url):
        # psycopg is imported only for a PostgreSQL store: a single user's app never loads it.
        from assistant.store.postgres_store import PostgresStore

        return PostgresStore(
            str(settings.database_url),
            pool_min=settings.database_pool_min,
            pool_max=settings.database_pool_max,
            pool_timeout=settings.database_pool_timeout,
            connect_timeout=settings.database_connect_timeout,
            statement_timeout_ms=int(settings.database_statement_timeout * 1000),
        )
    return Store(settings.database_path)
