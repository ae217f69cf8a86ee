"""Several app processes on one database: a dead process's streaming reply is marked
interrupted by the others; a live one's is left alone (runs on both backends)."""

from __future__ import annotations

import logging

import pytest

from assistant.errors import CoachError
from assistant.store import Store
from assistant.store.liveness import Heartbeat


@pytest.fixture
def other_process(store, database_url):
    """A second store on the same database, as another app process would open it."""
    if database_url is None:
        other = Store(store.path)
    else:
        from assistant.store.postgres_store import PostgresStore

        other = PostgresStore(database_url)
    yield other
    other.close()


def age(store, owner: str) -> None:
    """Make ``owner``'s last beat an hour old (as if it stopped beating then)."""
    with store._connect(write=True) as db:
        db.execute(
            "UPDATE app_processes SET seen_at = '2000-01-01T00:00:00.000+00:00' WHERE owner = ?",
            (owner,),
        )


def test_only_the_replies_of_a_process_that_stopped_beating_are_interrupted(store, other_process):
    assert store.owner != other_process.owner
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "user", "my words")
    reply = store.add_turn(session.id, "assistant", "", status="streaming")
    store.save_partial(reply, "half a repl")
    store.heartbeat()
    other_process.heartbeat()

    assert other_process.recover_abandoned(stale_after=20) == 0  # its process is alive
    assert store.turns(session.id)[-1].status == "streaming"

    age(store, store.owner)
    assert store.recover_abandoned(stale_after=20) == 0  # a process never recovers its own
    assert other_process.recover_abandoned(stale_after=20) == 1
    turns = other_process.turns(session.id)
    assert [(t.role, t.text, t.status) for t in turns] == [
        ("user", "my words", "complete"),
        ("assistant", "half a repl", "interrupted"),
    ]
    with store._connect() as db:  # the dead process's row is cleaned away
        owners = {row[0] for row in db.execute("SELECT owner FROM app_processes")}
    assert owners == {other_process.owner}


def test_a_reply_stamped_by_no_process_is_recovered(store, other_process):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    reply = store.add_turn(session.id, "assistant", "", status="streaming")
    with store._connect(write=True) as db:  # as written before the owners were recorded
        db.execute("UPDATE turns SET stream_owner = NULL WHERE id = ?", (reply,))
    assert other_process.recover_abandoned(stale_after=20) == 1


def test_the_heartbeat_beats_at_start_and_recovers_in_the_same_beat(store, other_process):
    session = store.create_session(store.user_id(), mode="reflect", lang="en", system_prompt="S")
    store.add_turn(session.id, "assistant", "", status="streaming")
    store.heartbeat()
    age(store, store.owner)
    beat = Heartbeat(other_process, interval=3600, stale_after=20).start()
    try:
        assert store.turns(session.id)[-1].status == "interrupted"
        with store._connect() as db:
            row = db.execute(
                "SELECT owner FROM app_processes WHERE owner = ?", (other_process.owner,)
            ).fetchone()
        assert row is not None
    finally:
        beat.stop()


def test_the_heartbeat_refuses_to_start_before_the_migrations(tmp_path, database_url):
    if database_url is None:
        fresh = Store(tmp_path / "fresh.sqlite3")
    else:
        from assistant.store.postgres_store import PostgresStore

        fresh = PostgresStore(database_url)
    try:
        with pytest.raises(CoachError) as raised:
            Heartbeat(fresh, interval=3600).start()
        assert raised.value.code == "not_migrated" and raised.value.da
        assert not fresh.has_liveness_table()  # nothing was written before the refusal
    finally:
        fresh.close()


def test_a_heartbeat_whose_table_was_dropped_stops_without_warning(store, caplog):
    beat = Heartbeat(store, interval=0.01, stale_after=20).start()
    assert beat.running()
    with caplog.at_level(logging.DEBUG, logger="assistant.store.liveness"):
        with store._connect(write=True) as db:  # as a test's schema is dropped after it
            db.execute("DROP TABLE app_processes")
        assert beat._thread is not None
        beat._thread.join(timeout=60)  # waits for the thread's end, not for a time
        assert not beat.running()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [], [r.getMessage() for r in warnings]
    assert any("heartbeat stopped" in r.getMessage() for r in caplog.records)
