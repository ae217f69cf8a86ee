"""App processes sharing one database: each says it is alive now and then, and replies left
streaming by a process that stopped saying so are marked interrupted by the others.

A reply is stamped with the process streaming it (``turns.stream_owner``); every process
writes its own ``app_processes`` row each ``interval`` seconds and, in the same beat, marks
interrupted the streaming replies whose process has not been seen for ``stale_after``
seconds (a killed process, a lost machine). A live process's replies are never touched,
however long its model takes to answer.

The beat starts only on a migrated database (``Heartbeat.start`` refuses one without the
table), and a beat that finds its table gone (the database was dropped or emptied under a
running process, as a test's schema is after the test) ends the thread quietly instead of
warning every few seconds about a database that no longer exists.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from assistant.errors import CoachError
from assistant.store.connections import Database
from assistant.store.dialect import table_exists
from assistant.store.records import utc_now

log = logging.getLogger(__name__)


def new_owner() -> str:
    """A name for this process that no other process, here or on another machine, has."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LivenessTables(Database):
    """The app_processes table and the owners of streaming replies."""

    @property
    def owner(self) -> str:
        """This store's process name, stamped on the replies it streams."""
        found = self.__dict__.get("_stream_owner")
        if found is None:
            found = self.__dict__.setdefault("_stream_owner", new_owner())
        return str(found)

    def heartbeat(self) -> None:
        """Record that this process is alive now."""
        with self._connect(write=True) as db:
            db.execute(
                "INSERT INTO app_processes (owner, seen_at) VALUES (?, ?) ON CONFLICT (owner) "
                "DO UPDATE SET seen_at = excluded.seen_at",
                (self.owner, utc_now()),
            )

    def forget_process(self) -> int:
        """This process is stopping: remove its ``app_processes`` row, so the others stop
        counting it as alive, and mark interrupted the replies it was still streaming (no
        process will finish them); returns how many replies it marked."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "UPDATE turns SET status = 'interrupted', completed_at = ? "
                "WHERE status = 'streaming' AND stream_owner = ?",
                (utc_now(), self.owner),
            )
            db.execute("DELETE FROM app_processes WHERE owner = ?", (self.owner,))
            return cursor.rowcount

    def has_liveness_table(self) -> bool:
        """True when the database has the app_processes table (the migrations have run)."""
        with self._connect() as db:
            return table_exists(db, "app_processes")

    def recover_abandoned(self, stale_after: float) -> int:
        """Mark interrupted the streaming replies of processes not seen for ``stale_after``
        seconds (and those stamped by no process); returns how many."""
        cutoff = (datetime.now(UTC) - timedelta(seconds=stale_after)).isoformat(
            timespec="milliseconds"
        )
        with self._connect(write=True) as db:
            cursor = db.execute(
                "UPDATE turns SET status = 'interrupted', completed_at = ? "
                "WHERE status = 'streaming' AND (stream_owner IS NULL OR (stream_owner != ? "
                "AND stream_owner NOT IN (SELECT owner FROM app_processes WHERE seen_at >= ?)))",
                (utc_now(), self.owner, cutoff),
            )
            db.execute("DELETE FROM app_processes WHERE seen_at < ?", (cutoff,))
            return cursor.rowcount


def _beat_until_stopped(
    store_ref: weakref.ref[LivenessTables],
    interval: float,
    stale_after: float,
    stop: threading.Event,
) -> None:
    while not stop.wait(interval):
        store = store_ref()
        if store is None:
            return
        try:
            Heartbeat(store, interval, stale_after).beat()
        except CoachError as exc:
            if _table_gone(store):
                log.debug("heartbeat stopped: the database has no app_processes table now")
                return
            log.warning("heartbeat failed: %s", exc.en)  # away for a moment: beat again later
        del store


def _table_gone(store: LivenessTables) -> bool:
    """True when the database answers and has no app_processes table any more."""
    try:
        return not store.has_liveness_table()
    except CoachError:
        return False  # unreachable: it may come back


@dataclass
class Heartbeat:
    """A daemon thread that beats for one store: alive, then recovers dead processes' replies."""

    store: LivenessTables
    interval: float = 5.0
    stale_after: float = 20.0
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    def beat(self) -> int:
        """One beat now; returns how many abandoned replies it marked interrupted."""
        self.store.heartbeat()
        recovered = self.store.recover_abandoned(self.stale_after)
        if recovered:
            log.warning("marked %d reply(ies) of a stopped app process interrupted", recovered)
        return recovered

    def start(self) -> Heartbeat:
        """Beat once now, then every ``interval`` seconds until ``stop`` (or until the store
        is dropped: the thread holds it only weakly, so it never keeps a store alive).

        Raises CoachError when the store has not been migrated (no app_processes table)."""
        if not self.store.has_liveness_table():
            raise CoachError(
                "not_migrated",
                "The heartbeat needs a migrated database (no app_processes table yet): run "
                "the store's migrations (`coach doctor` or starting the app does) first.",
                "Hjerteslaget kræver en migreret database (der er ingen app_processes-tabel "
                "endnu): kør først lagerets migreringer (`coach doctor` eller at starte appen "
                "gør det).",
            )
        self.beat()
        self._thread = threading.Thread(
            target=_beat_until_stopped,
            args=(weakref.ref(self.store), self.interval, self.stale_after, self._stop),
            name="coach-heartbeat",
            daemon=True,
        )
        self._thread.start()
        return self

    def running(self) -> bool:
        """True while the beating thread runs."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """End the thread (its last beat stays in the table until it goes stale)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.interval + 5)
