"""Schema changes as ordered migrations (as simonw/llm keeps them): each ``m00N_...`` function
runs once, in the order it is defined, and its name is recorded in the ``migrations`` table, so
an existing database gets only the ones it has not had. Never rename or reorder one: the names
on disk are how a database knows what it has.

The same migrations run on SQLite and PostgreSQL: write them in SQLite's spelling with
``db.execute``/``db.executescript`` (e.g. ``ALTER TABLE turns ADD COLUMN x TEXT``); what
PostgreSQL spells differently is rewritten in ``dialect.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from assistant.store.dialect import table_exists
from assistant.store.records import utc_now

MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    """Register a schema migration; they run once each, in the order they are defined."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def migrate(db: sqlite3.Connection) -> None:
    """Apply the migrations ``db`` has not had yet, recording each one's name."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    applied = {row["name"] for row in db.execute("SELECT name FROM migrations")}
    for name, apply in MIGRATIONS:
        if name not in applied:
            apply(db)
            db.execute("INSERT INTO migrations VALUES (?, ?)", (name, utc_now()))


def applied_count(db: sqlite3.Connection) -> int:
    """How many migrations ``db`` has had (0 before the first)."""
    if not table_exists(db, "migrations"):
        return 0
    return int(db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0])


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


@migration
def m005_stream_owners(db: sqlite3.Connection) -> None:
    """Which app process is streaming a reply, and when each process was last seen alive, so
    with several processes on one database a dead one's reply is marked interrupted by the
    others while the replies of live ones are left streaming."""
    db.executescript(
        """
        ALTER TABLE turns ADD COLUMN stream_owner TEXT;
        CREATE TABLE app_processes (
            owner TEXT PRIMARY KEY,
            seen_at TEXT NOT NULL
        );
        """
    )


@migration
def m006_turn_labels(db: sqlite3.Connection) -> None:
    """Live labels of a user's line (skill labels, feedback moves, answer numbers, openness),
    stored with the turn as JSON (issue #18)."""
    db.executescript(
        """
        CREATE TABLE turn_labels (
            turn_id INTEGER PRIMARY KEY REFERENCES turns(id) ON DELETE CASCADE,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX turn_labels_by_session ON turn_labels(session_id);
        """
    )


@migration
def m007_turn_checks(db: sqlite3.Connection) -> None:
    """What the reply checks found on a reply: the problems of the first attempt and of the
    one kept, as JSON (NULL when the first attempt passed)."""
    db.execute("ALTER TABLE turns ADD COLUMN checks TEXT")


@migration
def m008_logins(db: sqlite3.Connection) -> None:
    """Sign-ins shared by every app process on one database: a hash of each login token (never
    the token) with its user and the credential fingerprint it was issued with, and the
    secrets all processes must agree on (the name of Gradio's sign-in cookie)."""
    db.executescript(
        """
        CREATE TABLE logins (
            token_hash TEXT PRIMARY KEY,
            user_name TEXT NOT NULL,
            fingerprint TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX logins_by_user ON logins(user_name);
        CREATE TABLE app_secrets (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


@migration
def m009_uploads(db: sqlite3.Connection) -> None:
    """Who uploaded each file in the shared upload folder, so any app process can tell."""
    db.executescript(
        """
        CREATE TABLE uploads (
            path TEXT PRIMARY KEY,
            user_name TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )
