"""The PostgreSQL backend under the same table families as SQLite: a psycopg connection pool,
one transaction per store call, and connections that answer the sqlite3 calls the families
make (``execute`` with ``?`` placeholders, ``executescript``, ``lastrowid``, rows read by
name or position), with the SQL rewritten in one place (``dialect.py``).

Durability is PostgreSQL's own: a commit returns once it is in the server's WAL on disk.
The two kinds of commit that SQLite leaves unsynced (a reply's empty placeholder and its
partial text) commit with ``synchronous_commit = off`` here: they are in the server at once,
so a dying app process loses nothing; only a crash of the database server itself can lose
their last fraction of a second.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from assistant.errors import CoachError
from assistant.store.dialect import schema_to_postgres, to_postgres

# PostgreSQL's text cannot hold NUL, which SQLite stores as given (a user's pasted text may
# have one). Text is escaped on its way in and back on its way out: NUL as ESCAPE + "0",
# ESCAPE itself (a private-use character) doubled, so every text comes back unchanged.
_ESCAPE = "\ue000"
_UNESCAPE = re.compile("\ue000(.)", re.DOTALL)


def _to_server(value: Any) -> Any:
    if isinstance(value, str) and ("\x00" in value or _ESCAPE in value):
        return value.replace(_ESCAPE, _ESCAPE * 2).replace("\x00", _ESCAPE + "0")
    return value


def _from_server(value: Any) -> Any:
    if isinstance(value, str) and _ESCAPE in value:
        return _UNESCAPE.sub(lambda m: "\x00" if m.group(1) == "0" else m.group(1), value)
    return value


class PgRow:
    """A result row read like ``sqlite3.Row``: by position, by column name, or as a dict."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: Sequence[Any]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """The column names, in order (so ``dict(row)`` works as with sqlite3.Row)."""
        return list(self._index)

    def __repr__(self) -> str:
        return f"PgRow({dict(zip(self._index, self._values, strict=True))!r})"


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    names = [column.name for column in cursor.description or ()]
    index = {name: position for position, name in enumerate(names)}
    return lambda values: PgRow(index, [_from_server(value) for value in values])


class PgCursor:
    """What one ``execute`` returns: its rows, ``rowcount`` and (after an INSERT) ``lastrowid``."""

    def __init__(self, cursor: psycopg.Cursor[Any], *, inserted: bool) -> None:
        self._cursor = cursor
        self.rowcount = cursor.rowcount
        self.lastrowid: int | None = None
        if inserted and cursor.description is not None:
            # The rows of the RETURNING * the dialect added; an INSERT returns nothing else.
            returned = cursor.fetchall()
            names = [column.name for column in cursor.description]
            if returned and "id" in names:
                self.lastrowid = int(returned[-1][names.index("id")])
            self._rows: list[Any] | None = []
        else:
            self._rows = None

    def fetchone(self) -> Any:
        if self._rows is not None:
            return self._rows.pop(0) if self._rows else None
        return self._cursor.fetchone() if self._cursor.description is not None else None

    def fetchall(self) -> list[Any]:
        if self._rows is not None:
            rows, self._rows = self._rows, []
            return rows
        return self._cursor.fetchall() if self._cursor.description is not None else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """A pooled psycopg connection inside one transaction, offering sqlite3's calls."""

    dialect = "postgresql"

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PgCursor:
        """Run one statement written in SQLite's spelling (see ``dialect.py``)."""
        statement = to_postgres(sql, has_params=bool(params))
        cursor = self._connection.execute(
            cast("Any", statement), tuple(map(_to_server, params)) if params else None
        )
        return PgCursor(cursor, inserted=statement.rstrip().endswith("RETURNING *"))

    @property
    def in_transaction(self) -> bool:
        """True once a statement has run in this call's transaction (as sqlite3 reports)."""
        return bool(self._connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)

    def executescript(self, script: str) -> None:
        """Run several statements without parameters (a migration's script)."""
        self._connection.execute(cast("Any", schema_to_postgres(script)))


_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def redacted(url: str) -> str:
    """A database URL fit for a message: its password replaced by ***."""
    return _PASSWORD.sub(r"\1***@", url)


def _database_error(exc: Exception, where: str) -> CoachError:
    if isinstance(exc, PoolTimeout):
        return CoachError(
            "busy",
            f"Every connection to the database at {where} is in use, so nothing was saved "
            "this time. Try again in a moment; your text is still in the message box. (An "
            "administrator can raise COACH_DATABASE_POOL_MAX.)",
            f"Alle forbindelser til databasen på {where} er optaget, så intet blev gemt denne "
            "gang. Prøv igen om et øjeblik; din tekst står stadig i beskedfeltet. (En "
            "administrator kan hæve COACH_DATABASE_POOL_MAX.)",
        )
    if isinstance(exc, psycopg.OperationalError):
        return CoachError(
            "database_unreachable",
            f"The database at {where} could not be reached ({str(exc).strip()}), so nothing "
            "was saved. Check that PostgreSQL is running and COACH_DATABASE_URL is right, then "
            "try again; your text is still in the message box.",
            f"Databasen på {where} kunne ikke nås ({str(exc).strip()}), så intet blev gemt. "
            "Tjek at PostgreSQL kører, og at COACH_DATABASE_URL er rigtig, og prøv så igen; "
            "din tekst står stadig i beskedfeltet.",
        )
    return CoachError(
        "storage",
        f"Saving to the database at {where} failed: {str(exc).strip()}.",
        f"Det mislykkedes at gemme i databasen på {where}: {str(exc).strip()}.",
    )


@dataclass
class PostgresDatabase:
    """The app's PostgreSQL database: a pool of connections, one transaction per call.

    A call inside another on the same thread joins its transaction, as with SQLite. There is
    no writer lock: PostgreSQL's row locks let writers from every process work at once.
    """

    url: str
    pool_min: int = 1
    pool_max: int = 10
    pool_timeout: float = 10.0
    connect_timeout: float = 5.0
    statement_timeout_ms: int = 30_000
    _pool: ConnectionPool[Any] | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    _local: threading.local = field(
        default_factory=threading.local, init=False, repr=False, compare=False
    )

    @property
    def where(self) -> str:
        """The database's URL without its password, for messages."""
        return redacted(self.url)

    def _configure(self, connection: psycopg.Connection[Any]) -> None:
        connection.execute(f"SET statement_timeout = {int(self.statement_timeout_ms)}")
        connection.commit()

    def _the_pool(self) -> ConnectionPool[Any]:
        with self._lock:
            if self._pool is None:
                pool: ConnectionPool[Any] = ConnectionPool(
                    self.url,
                    min_size=self.pool_min,
                    max_size=self.pool_max,
                    timeout=self.pool_timeout,
                    kwargs={
                        "row_factory": _row_factory,
                        "connect_timeout": max(1, round(self.connect_timeout)),
                    },
                    configure=self._configure,
                    # A connection the server dropped (restart, idle timeout) is replaced
                    # before it is handed out, instead of failing the user's call.
                    check=ConnectionPool.check_connection,
                    open=False,
                    name="coach-store",
                )
                pool.open(wait=False)
                self._pool = pool
            return self._pool

    @contextmanager
    def _connect(self, *, write: bool = False, synced: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back when it raises.

        Yields a ``PgConnection`` (typed as the sqlite3 calls it answers). ``synced=False``
        commits without waiting for the server's disk (see the module docstring).
        """
        joined: PgConnection | None = getattr(self._local, "current", None)
        if joined is not None:
            yield cast("sqlite3.Connection", joined)
            return
        try:
            with self._the_pool().connection() as connection:
                current = PgConnection(connection)
                self._local.current = current
                try:
                    if not synced:
                        connection.execute("SET LOCAL synchronous_commit = off")
                    yield cast("sqlite3.Connection", current)
                finally:
                    self._local.current = None
        except (psycopg.Error, PoolTimeout) as exc:
            raise _database_error(exc, self.where) from exc

    def close(self) -> None:
        """Close the pool's connections; a later call opens a new pool."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
