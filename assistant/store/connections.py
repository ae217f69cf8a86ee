"""The connection pool under every store call: one transaction per call on a reused
connection, the writer lock, the PRAGMAs, and SQLite errors turned into a CoachError.

Why connections are reused, and which commits are not synced to disk, is in the package
docstring (``assistant/store/__init__.py``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import CoachError


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
class Database:
    """The app's SQLite database: its connections, reused, and one transaction per call.

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

    def _database_exists(self) -> bool:
        """False before the database file is created (reading would create it)."""
        return self.path.exists()

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
