"""SQLite persistence: users, sessions and turns, with ordered migrations.

Each call runs as one transaction on a reused connection that no other thread uses meanwhile
(opening one per call, and checkpointing the WAL each time the last one closed, cost more than
the queries). WAL mode lets the page read while a reply is being written; every commit is
synced to disk (``synchronous = FULL``) except two kinds that need not be, each costing an
fsync before or during every reply: the empty placeholder of a reply about to stream and the
partial text saved while it streams. They still reach the OS at once (an app crash loses
nothing) and the disk with the next synced commit (the reply's end, the next message); a power
cut can lose only them, and a placeholder left "streaming" is marked interrupted at start.

The package: ``connections`` (the pool and its transactions), ``migrations``, ``records`` (what
calls return) and one module per table family; ``Store`` below puts the families together.
"""

from __future__ import annotations

from assistant.store import migrations
from assistant.store.debriefs import DebriefTables
from assistant.store.goals import GoalTables
from assistant.store.liveness import LivenessTables
from assistant.store.locks import SharedLocks
from assistant.store.logins import LoginTables
from assistant.store.migrations import MIGRATIONS, migration
from assistant.store.records import (
    LOCAL_USER,
    CheckIn,
    Credential,
    Goal,
    Role,
    Session,
    SessionSummary,
    StoredDebrief,
    Turn,
    TurnStatus,
)
from assistant.store.scenarios import ScenarioTables
from assistant.store.sessions import SessionTables
from assistant.store.turn_checks import TurnCheckTables
from assistant.store.turn_labels import TurnLabelTables
from assistant.store.users import UserTables

__all__ = [
    "LOCAL_USER",
    "MIGRATIONS",
    "CheckIn",
    "Credential",
    "Goal",
    "Role",
    "Session",
    "SessionSummary",
    "Store",
    "StoredDebrief",
    "Turn",
    "TurnStatus",
    "migration",
]


class Store(
    UserTables,
    SessionTables,
    DebriefTables,
    ScenarioTables,
    GoalTables,
    LivenessTables,
    LoginTables,
    TurnLabelTables,
    TurnCheckTables,
    SharedLocks,
):
    """The app's SQLite database: every table family's calls on one pool of connections.

    How connections are reused, and when the database file may be replaced, is told on
    ``Database`` (``connections.py``).
    """

    def migrate(self) -> int:
        """Create the file if needed, apply pending migrations, return the schema version."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect(write=True) as db:
            db.execute("PRAGMA journal_mode = WAL")
            migrations.migrate(db)
        self._ready = True
        return self.schema_version()

    def schema_version(self) -> int:
        """How many migrations have been applied (0 for a database that does not exist)."""
        if not self.path.exists():
            return 0
        with self._connect() as db:
            return migrations.applied_count(db)

    def integrity_ok(self) -> bool:
        """True when SQLite's own integrity check passes."""
        with self._connect() as db:
            return bool(db.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
