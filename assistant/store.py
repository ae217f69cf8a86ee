"""SQLite persistence: users, sessions and turns, with ordered migrations.

Each call runs as one transaction on a reused connection that no other thread uses meanwhile
(opening one per call, and checkpointing the WAL each time the last one closed, cost more than
the queries). WAL mode lets the page read while a reply is being written; every commit is
synced to disk (``synchronous = FULL``) except two kinds that need not be, each costing an
fsync before or during every reply: the empty placeholder of a reply about to stream and the
partial text saved while it streams. They still reach the OS at once (an app crash loses
nothing) and the disk with the next synced commit (the reply's end, the next message); a power
cut can lose only them, and a placeholder left "streaming" is marked interrupted at start.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from assistant.errors import CoachError

Role = Literal["user", "assistant"]
TurnStatus = Literal["complete", "streaming", "interrupted", "superseded"]
LOCAL_USER = "local"

MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    """Register a schema migration; they run once each, in the order they are defined."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            mode TEXT NOT NULL,
            lang TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            system_prompt TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions(user_id, updated_at);
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            text TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('complete', 'streaming', 'interrupted', 'superseded')),
            error TEXT,
            created_at TEXT NOT NULL,
            completed_at TEXT,
            prompt_tokens INTEGER,
            completion_tokens INTEGER
        );
        CREATE INDEX turns_by_session ON turns(session_id, id);
        """
    )


@migration
def m002_turn_tree_and_debriefs(db: sqlite3.Connection) -> None:
    """Turns form a tree (Rehearse can rewind and branch); debriefs and saved scenarios."""
    db.executescript(
        """
        ALTER TABLE turns ADD COLUMN parent_id INTEGER;
        ALTER TABLE turns ADD COLUMN warning TEXT;
        ALTER TABLE turns ADD COLUMN author TEXT;
        ALTER TABLE sessions ADD COLUMN head_turn_id INTEGER;
        UPDATE turns SET parent_id = (
            SELECT MAX(p.id) FROM turns p WHERE p.session_id = turns.session_id AND p.id < turns.id
        );
        UPDATE sessions SET head_turn_id = (
            SELECT MAX(t.id) FROM turns t WHERE t.session_id = sessions.id
        );
        CREATE INDEX turns_by_parent ON turns(parent_id);
        CREATE TABLE debriefs (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('structured', 'plain')),
            data TEXT NOT NULL DEFAULT '{}',
            text TEXT NOT NULL DEFAULT '',
            rating REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX debriefs_by_session ON debriefs(session_id, id);
        CREATE TABLE saved_scenarios (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            scenario_id TEXT NOT NULL,
            lang TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (user_id, scenario_id, lang)
        );
        """
    )


@migration
def m003_goals(db: sqlite3.Connection) -> None:
    """Goals with a history of check-ins (follow-up across sessions)."""
    db.executescript(
        """
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
            text TEXT NOT NULL,
            measure TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX goals_by_user ON goals(user_id, status);
        CREATE TABLE check_ins (
            id INTEGER PRIMARY KEY,
            goal_id INTEGER NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
            session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
            note TEXT NOT NULL DEFAULT '',
            progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
            created_at TEXT NOT NULL
        );
        CREATE INDEX check_ins_by_goal ON check_ins(goal_id, id);
        """
    )


@migration
def m004_credentials(db: sqlite3.Connection) -> None:
    """Passwords for sharing on a team: a salted scrypt hash with its cost parameters."""
    db.executescript(
        """
        CREATE TABLE credentials (
            user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
            scheme TEXT NOT NULL DEFAULT 'scrypt',
            n INTEGER NOT NULL,
            r INTEGER NOT NULL,
            p INTEGER NOT NULL,
            salt BLOB NOT NULL,
            hash BLOB NOT NULL,
            updated_at TEXT NOT NULL
        );
        """
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Credential:
    """A user's password as a salted hash, with the scrypt parameters it was made with."""

    scheme: str
    n: int
    r: int
    p: int
    salt: bytes
    hash: bytes = field(repr=False)


@dataclass(frozen=True)
class CheckIn:
    """Progress on a goal at one moment."""

    id: int
    goal_id: int
    session_id: int | None
    note: str
    progress: int
    created_at: str


@dataclass(frozen=True)
class Goal:
    """Something the person committed to, and how it has gone since."""

    id: int
    user_id: int
    session_id: int | None
    text: str
    measure: str
    due: str
    status: str
    created_at: str
    updated_at: str
    check_ins: list[CheckIn] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """The latest progress estimate (0 before any check-in; 100 once done)."""
        if self.status == "done":
            return 100
        return self.check_ins[-1].progress if self.check_ins else 0


@dataclass(frozen=True)
class Session:
    """One practice conversation; its system prompt is fixed when it starts."""

    id: int
    user_id: int
    mode: str
    lang: str
    title: str
    system_prompt: str
    options: dict[str, Any]
    created_at: str
    updated_at: str
    head_turn_id: int | None = None


@dataclass(frozen=True)
class Turn:
    """One message in a session, by the user or by the model."""

    id: int
    session_id: int
    role: Role
    text: str
    status: TurnStatus
    created_at: str
    error: str | None = None
    completed_at: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    parent_id: int | None = None
    warning: str | None = None
    author: str | None = None


def _turn_columns(table: str = "") -> str:
    """The turns table's columns in ``Turn``'s field order, so rows construct it positionally
    (several times faster than by keyword; a long session is read twice per turn)."""
    prefix = f"{table}." if table else ""
    return ", ".join(prefix + f.name for f in fields(Turn))


@dataclass(frozen=True)
class StoredDebrief:
    """A debrief saved with its session: the structured data or the plain-text fallback."""

    id: int
    session_id: int
    kind: Literal["structured", "plain"]
    data: dict[str, Any]
    text: str
    rating: float | None
    created_at: str


@dataclass(frozen=True)
class SessionSummary:
    """A line of the session list."""

    id: int
    mode: str
    lang: str
    title: str
    updated_at: str
    user_turns: int


def _storage_error(exc: sqlite3.Error, path: Path) -> CoachError:
    text = str(exc).lower()
    if "full" in text:
        return CoachError(
            "disk_full",
            f"The disk holding {path} is full, so nothing could be saved. Free some space and "
            "try again; your text is still in the message box.",
            f"Disken med {path} er fuld, så intet kunne gemmes. Frigør plads og prøv igen; "
            "din tekst står stadig i beskedfeltet.",
        )
    if "readonly" in text or "read-only" in text:
        return _read_only_error(path)
    if "unable to open" in text:
        return CoachError(
            "cannot_open",
            f"{path} could not be opened for writing, so nothing was saved. The data directory "
            "(COACH_DATA_DIR) may be read-only, missing or on a disconnected drive; check it "
            "and try again.",
            f"{path} kunne ikke åbnes til skrivning, så intet blev gemt. Datamappen "
            "(COACH_DATA_DIR) er måske skrivebeskyttet, væk eller på et frakoblet drev; tjek "
            "den, og prøv igen.",
        )
    if "disk i/o error" in text:
        return CoachError(
            "disk_error",
            f"Writing to {path} failed (disk I/O error), so nothing was saved. The disk may be "
            "full, over a quota or failing; free some space or check it, then try again.",
            f"Skrivning til {path} mislykkedes (I/O-fejl på disken), så intet blev gemt. "
            "Disken er måske fuld, over en kvote eller ved at fejle; frigør plads eller tjek "
            "den, og prøv igen.",
        )
    if "locked" in text or "busy" in text:
        return CoachError(
            "busy",
            f"Another program is holding a lock on {path}. Try again in a moment.",
            f"Et andet program holder en lås på {path}. Prøv igen om et øjeblik.",
        )
    return CoachError(
        "storage",
        f"Saving to {path} failed: {exc}.",
        f"Det mislykkedes at gemme i {path}: {exc}.",
    )


def _read_only_error(path: Path) -> CoachError:
    return CoachError(
        "read_only",
        f"{path} is read-only, so nothing could be saved. Check the permissions of the "
        "data directory (COACH_DATA_DIR) and try again.",
        f"{path} er skrivebeskyttet, så intet kunne gemmes. Tjek rettighederne til "
        "datamappen (COACH_DATA_DIR), og prøv igen.",
    )


def _file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names now (device and inode), or None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


@dataclass
class _Connection:
    """A reusable SQLite connection and what it was opened on."""

    db: sqlite3.Connection
    file_id: tuple[int, int] | None
    busy_timeout_ms: int
    generation: int


@dataclass
class Store:
    """The app's SQLite database.

    Connections are reused: a call takes an idle connection (or opens one), runs as one
    transaction and hands it back, so each thread has its own connection while it is inside
    the store and no two threads ever use one at the same time. ``close`` closes them.
    While connections are open the WAL holds recent commits, so replace or restore the
    database file only with the app stopped or after ``close`` (else SQLite would apply the
    old WAL to the new file); a file deleted or replaced meanwhile is not written to.
    """

    path: Path
    busy_timeout_ms: int = 5000
    _ready: bool = field(default=False, init=False, repr=False)
    _idle: list[_Connection] = field(default_factory=list, init=False, repr=False, compare=False)
    _open: int = field(default=0, init=False, repr=False, compare=False)
    _generation: int = field(default=0, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    # Held for a writing transaction (see _connect): writers in this process take turns.
    _write_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    # The connection this thread is using now, so a store call made inside another joins it.
    _local: threading.local = field(
        default_factory=threading.local, init=False, repr=False, compare=False
    )

    @contextmanager
    def _connect(self, *, write: bool = False, synced: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back when it raises.

        ``write=True`` (for a transaction that writes) takes the store's writer lock first, so
        this process's writers queue in turn instead of meeting in SQLite, whose busy handler
        makes a writer that finds the database locked sleep 1, 2, 5, 10 ... 100 ms between
        tries (20 writers at once: up to 0.75 s instead of 0.07 s here). Reads never wait.

        ``synced=False`` commits without waiting for the disk (WAL with ``synchronous =
        NORMAL``: the commit is in the OS's hands; the next synced commit makes it durable).
        Called inside another ``_connect`` block on the same thread, it joins that transaction
        (which commits or rolls back both). A connection that raised an SQLite error is
        closed, not reused: the next call opens a fresh one.
        """
        joined: _Connection | None = getattr(self._local, "current", None)
        if joined is not None:
            yield joined.db
            return
        with self._write_lock if write else nullcontext():
            with self._transaction(synced) as db:
                yield db

    @contextmanager
    def _transaction(self, synced: bool) -> Iterator[sqlite3.Connection]:
        connection = self._checkout()
        self._local.current = connection
        failed = False
        try:
            if not synced:
                connection.db.execute("PRAGMA synchronous = NORMAL")
            try:
                with connection.db:
                    yield connection.db
            finally:
                if not synced:
                    connection.db.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            failed = True
            raise _storage_error(exc, self.path) from exc
        finally:
            self._local.current = None
            self._checkin(connection, failed=failed)

    def _checkout(self) -> _Connection:
        """An idle connection to the file now at ``path``, or a new one.

        Connections to a file that was deleted or replaced since they opened are closed, so
        nothing is written into a file that is gone (a fresh connection then fails clearly, or
        opens the file now there). While
        connections are open, SQLite maps the ``-shm`` file into memory; writing to that map
        once the file has become unwritable (e.g. ``chattr +i``) kills the process with
        SIGBUS, so then no connection is touched and the read-only error is raised instead.
        """
        file_id = _file_id(self.path)
        with self._lock:
            stale = [c for c in self._idle if file_id is None or c.file_id != file_id]
            if stale:
                self._idle = [c for c in self._idle if not any(c is s for s in stale)]
            open_now = self._open - len(stale)
        for old in stale:
            self._discard(old)
        if open_now and not self._shm_writable():
            raise _read_only_error(self.path)
        with self._lock:
            idle = self._idle.pop() if self._idle else None
        connection = idle or self._open_connection()
        if connection.busy_timeout_ms != self.busy_timeout_ms:
            try:
                connection.db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            except sqlite3.Error as exc:
                self._discard(connection)
                raise _storage_error(exc, self.path) from exc
            connection.busy_timeout_ms = self.busy_timeout_ms
        return connection

    def _open_connection(self) -> _Connection:
        with self._lock:
            generation = self._generation
        try:
            # Only one thread uses a connection at a time (see _checkout/_checkin), but it may
            # be a different thread from one call to the next.
            db = sqlite3.connect(
                self.path, timeout=self.busy_timeout_ms / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise _storage_error(exc, self.path) from exc
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA foreign_keys = ON")
            # SQLite's default with WAL, stated: every commit is on disk when it returns.
            db.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            db.close()
            raise _storage_error(exc, self.path) from exc
        with self._lock:
            self._open += 1
        return _Connection(db, _file_id(self.path), self.busy_timeout_ms, generation)

    def _checkin(self, connection: _Connection, *, failed: bool) -> None:
        with self._lock:
            reusable = (
                not failed
                and not connection.db.in_transaction
                and connection.generation == self._generation
            )
            if reusable:
                self._idle.append(connection)
        if not reusable:
            self._discard(connection)

    def _discard(self, connection: _Connection) -> None:
        with self._lock:
            self._open -= 1
        with suppress(sqlite3.Error):  # closing only checkpoints; a later close does it
            connection.db.close()

    def _shm_writable(self) -> bool:
        shm = f"{self.path}-shm"
        return os.access(shm, os.W_OK) or not os.path.exists(shm)

    def close(self) -> None:
        """Close the store's connections; a later call opens a new one.

        Connections other threads are using close when their call ends. Raises the read-only
        error (and keeps them open) while the database's files cannot be written: closing
        would have SQLite write to its memory-mapped index (see ``_checkout``).
        """
        with self._lock:
            if self._idle and not self._shm_writable():
                raise _read_only_error(self.path)
            idle, self._idle = self._idle, []
            self._generation += 1
        for connection in idle:
            self._discard(connection)

    def __del__(self) -> None:
        # A dropped store closes its connections now: sqlite3 connections sit in reference
        # cycles, so they (and their three open files) would wait for the garbage collector.
        with suppress(Exception):
            self.close()

    def migrate(self) -> int:
        """Create the file if needed, apply pending migrations, return the schema version."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect(write=True) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            applied = {row["name"] for row in db.execute("SELECT name FROM migrations")}
            for name, apply in MIGRATIONS:
                if name not in applied:
                    apply(db)
                    db.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))
        self._ready = True
        return self.schema_version()

    def schema_version(self) -> int:
        """How many migrations have been applied (0 for a database that does not exist)."""
        if not self.path.exists():
            return 0
        with self._connect() as db:
            exists = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='migrations'"
            ).fetchone()
            if not exists:
                return 0
            return int(db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0])

    def recover_interrupted(self) -> int:
        """Mark replies left 'streaming' by a crash as interrupted; returns how many."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "UPDATE turns SET status='interrupted', completed_at=? WHERE status='streaming'",
                (_now(),),
            )
            return cursor.rowcount

    # users

    def user_id(self, name: str = LOCAL_USER) -> int:
        """The id of a user, created on first use."""
        with self._connect(write=True) as db:
            row = db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
            if row:
                return int(row["id"])
            cursor = db.execute(
                "INSERT INTO users (name, created_at) VALUES (?, ?)", (name, _now())
            )
            return int(cursor.lastrowid or 0)

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
                    _now(),
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
        if not self.path.exists():
            return False
        with self._connect() as db:
            exists = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='credentials'"
            ).fetchone()
            return bool(exists) and db.execute("SELECT 1 FROM credentials").fetchone() is not None

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

    # sessions

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
        now = _now()
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
        now = _now()
        completed = now if status == "complete" else None
        # A reply's empty placeholder need not wait for the disk (see the module docstring).
        with self._connect(write=True, synced=status != "streaming") as db:
            head = db.execute(
                "SELECT head_turn_id FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            cursor = db.execute(
                "INSERT INTO turns (session_id, role, text, status, created_at, completed_at, "
                "parent_id, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, role, text, status, now, completed, head[0] if head else None, author),
            )
            turn_id = int(cursor.lastrowid or 0)
            db.execute(
                "UPDATE sessions SET updated_at = ?, head_turn_id = ? WHERE id = ?",
                (now, turn_id, session_id),
            )
            return turn_id

    def save_partial(self, turn_id: int, text: str) -> None:
        """Keep what has streamed so far, so a crash loses at most the last moment (an app
        crash; not synced to disk, see the module docstring)."""
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
                (text, status, error, _now(), prompt_tokens, completion_tokens, turn_id),
            )

    def interrupt_streaming(self, session_id: int) -> int:
        """Mark the session's still-streaming reply as interrupted (the user pressed Stop)."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "UPDATE turns SET status = 'interrupted', completed_at = ? "
                "WHERE session_id = ? AND status = 'streaming'",
                (_now(), session_id),
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

    # debriefs

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
                (session_id, kind, json.dumps(data or {}), text, rating, _now()),
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

    # saved scenarios (the scenario builder)

    def save_scenario(
        self, user_id: int, scenario_id: str, lang: str, data: dict[str, Any]
    ) -> None:
        """Save (or replace) one of the user's own scenarios."""
        with self._connect(write=True) as db:
            db.execute(
                "INSERT INTO saved_scenarios (user_id, scenario_id, lang, data, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, scenario_id, lang) "
                "DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                (user_id, scenario_id, lang, json.dumps(data), _now()),
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

    # goals and check-ins

    def add_goal(
        self,
        user_id: int,
        text: str,
        *,
        measure: str = "",
        due: str = "",
        session_id: int | None = None,
    ) -> Goal:
        """Record a goal (from an action plan, a debrief or written by hand)."""
        now = _now()
        with self._connect(write=True) as db:
            cursor = db.execute(
                "INSERT INTO goals (user_id, session_id, text, measure, due, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user_id, session_id, text, measure, due, now, now),
            )
            goal_id = int(cursor.lastrowid or 0)
        goal = self.goal(user_id, goal_id)
        assert goal is not None
        return goal

    def goal(self, user_id: int, goal_id: int) -> Goal | None:
        """One of the user's goals with its check-ins, or None."""
        goals = self.goals(user_id, goal_id=goal_id)
        return goals[0] if goals else None

    def goals(
        self, user_id: int, *, status: str | None = None, goal_id: int | None = None
    ) -> list[Goal]:
        """The user's goals, newest first, each with its check-ins (oldest first)."""
        query = "SELECT * FROM goals WHERE user_id = ?"
        params: list[Any] = [user_id]
        if status:
            query += " AND status = ?"
            params.append(status)
        if goal_id is not None:
            query += " AND id = ?"
            params.append(goal_id)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id DESC", params).fetchall()
            result = []
            for row in rows:
                check_ins = db.execute(
                    "SELECT * FROM check_ins WHERE goal_id = ? ORDER BY id", (row["id"],)
                ).fetchall()
                result.append(Goal(**dict(row), check_ins=[CheckIn(**dict(c)) for c in check_ins]))
        return result

    def check_in(
        self,
        user_id: int,
        goal_id: int,
        *,
        progress: int,
        note: str = "",
        status: str | None = None,
        session_id: int | None = None,
    ) -> Goal | None:
        """Record progress (0-100 %) on one of the user's goals, optionally a new status."""
        if self.goal(user_id, goal_id) is None:
            return None
        now = _now()
        with self._connect(write=True) as db:
            db.execute(
                "INSERT INTO check_ins (goal_id, session_id, note, progress, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (goal_id, session_id, note, max(0, min(100, int(progress))), now),
            )
            if status in ("open", "done", "dropped"):
                db.execute(
                    "UPDATE goals SET status = ?, updated_at = ? WHERE id = ?",
                    (status, now, goal_id),
                )
            else:
                db.execute("UPDATE goals SET updated_at = ? WHERE id = ?", (now, goal_id))
        return self.goal(user_id, goal_id)

    def integrity_ok(self) -> bool:
        """True when SQLite's own integrity check passes."""
        with self._connect() as db:
            return bool(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
